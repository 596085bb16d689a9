// Prices view: a platform's P2P, import, export and wholesale prices, and the TSO's LMPs by market stage.
import { fetchSummary } from '../api.ts';
import { lineChart } from '../charts.ts';
import { h, hhmm, platformControls } from '../dom.ts';

export async function renderPrices(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const summary = await fetchSummary();
  const ids = Object.keys(summary.prices.platforms);
  const platform = params.get('platform') ?? ids[0];
  main.append(h('h2', { text: 'Prices' }), platformControls('prices', ids, platform));
  const p = summary.prices.platforms[platform];
  const platformChart = h('div', { id: 'chart-platform-prices', class: 'chart' });
  const tsoChart = h('div', { id: 'chart-tso-prices', class: 'chart' });
  main.append(platformChart, tsoChart);
  if (p)
    lineChart(
      platformChart,
      `${platform}: P2P, import, export and wholesale prices and the P2P network fee (EUR/kWh)`,
      summary.prices.timeUtc.map(hhmm),
      [
        { name: 'P2P', data: p.p2pEurPerKwh, step: true },
        { name: 'import (DSO price schedule)', data: p.importEurPerKwh, step: true },
        { name: 'export (DSO price schedule)', data: p.exportEurPerKwh, step: true },
        { name: 'wholesale', data: p.wholesaleEurPerKwh, step: true },
        { name: 'P2P network fee (mean of trades)', data: p.p2pFeeEurPerKwh, step: true },
      ],
      'EUR/kWh',
    );
  const tso = summary.prices.tso;
  lineChart(
    tsoChart,
    'TSO locational marginal price at the grid supply point (EUR/MWh)',
    tso.timeUtc.map(hhmm),
    [
      { name: 'day-ahead', data: tso.dayAheadEurPerMwh, step: true },
      { name: 'intraday', data: tso.intradayEurPerMwh, step: true },
      { name: 'real time', data: tso.realTimeEurPerMwh, step: true },
    ],
    'EUR/MWh',
  );
}
