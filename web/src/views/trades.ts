// Trades view: who sold to whom on a platform (arrow seller → buyer, width ∝ energy) and the largest pairs.
import { fetchSummary } from '../api.ts';
import { fmt, h, platformControls, table } from '../dom.ts';
import { tradeGraph } from '../graphs.ts';

export async function renderTrades(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const summary = await fetchSummary();
  const ids = [...new Set(summary.feeders.map((f) => f.platform))];
  const platform = params.get('platform') ?? ids[0];
  const pairs = summary.trades.filter((t) => t.platform === platform).sort((a, b) => b.eKwh - a.eKwh);
  main.append(
    h('h2', { text: 'P2P trades network' }),
    platformControls('trades', ids, platform),
    h('p', {
      text: `${pairs.length} trading pairs, ${fmt(
        pairs.reduce((a, t) => a + t.eKwh, 0),
        1,
      )} kWh in ${pairs.reduce((a, t) => a + t.count, 0)} trades (one simulated feeder). Arrows point from seller to buyer.`,
    }),
  );
  const graph = h('div', {
    id: 'trades-graph',
    class: 'graph',
    role: 'img',
    'aria-label': `trades on ${platform}`,
  });
  main.append(graph);
  tradeGraph(graph, pairs);
  main.append(
    table(
      'Largest trading pairs',
      ['seller', 'buyer', 'energy (kWh)', 'trades', 'paid (EUR)'],
      pairs.slice(0, 15).map((t) => [t.seller, t.buyer, fmt(t.eKwh, 2), t.count, fmt(t.paidEur, 2)]),
      'trades-table',
    ),
  );
}
