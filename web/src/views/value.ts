// Value view: every metric per run next to the baseline; comparison view: the coordinations' change against it.
import type { ViewSummary } from '../api.ts';
import { fetchSummary } from '../api.ts';
import { barChart } from '../charts.ts';
import { fmt, h, table } from '../dom.ts';

type Row = ViewSummary['value'][number];

const runsOf = (rows: readonly Row[]) => [...new Set(rows.flatMap((r) => Object.keys(r.values)))];

/** Change of `run` against the baseline in % of |baseline| (null when either is missing or the baseline is 0). */
export function changePercent(row: Row, run: string): number | null {
  const base = row.values.baseline;
  const value = row.values[run];
  if (base === null || base === undefined || value === null || value === undefined || base === 0) return null;
  return (100 * (value - base)) / Math.abs(base);
}

function valueTable(caption: string, rows: readonly Row[], id: string): HTMLTableElement {
  const runs = runsOf(rows);
  return table(
    caption,
    ['category', 'metric', 'unit', ...runs, 'better is'],
    rows.map((r) => [
      r.category,
      r.metric,
      r.unit,
      ...runs.map((run) => fmt(r.values[run], 3)),
      r.isHigherBetter ? 'higher' : 'lower',
    ]),
    id,
  );
}

export async function renderValue(main: HTMLElement): Promise<void> {
  const summary = await fetchSummary();
  main.append(
    h('h2', { text: 'Value metrics against the baseline' }),
    h('p', {
      text: 'baseline: no home energy management and no P2P trading; none and dso-pricing: P2P trading without and with DSO pricing.',
    }),
    valueTable('Value metrics per run', summary.value, 'value-table'),
  );
  const rows = summary.value.filter((r) => r.category !== 'check');
  const chart = h('div', { id: 'chart-value', class: 'chart tall' });
  main.append(chart);
  barChart(
    chart,
    'Change against the baseline (% of the baseline value; see the table for the direction that is better)',
    rows.map((r) => r.metric),
    runsOf(rows)
      .filter((run) => run !== 'baseline')
      .map((run) => ({ name: run, data: rows.map((r) => changePercent(r, run)) })),
    '%',
  );
}

export async function renderComparison(main: HTMLElement): Promise<void> {
  const summary = await fetchSummary();
  const rows = summary.value.filter((r) => r.category !== 'check');
  const coordinations = runsOf(rows).filter((run) => run !== 'baseline');
  main.append(h('h2', { text: 'Coordination comparison' }));
  const wins = coordinations.map((run) => {
    const better = rows.filter((r) => {
      const others = coordinations
        .map((o) => r.values[o])
        .filter((v): v is number => v !== null && v !== undefined);
      const v = r.values[run];
      if (v === null || v === undefined || others.length < 2) return false;
      return v === (r.isHigherBetter ? Math.max(...others) : Math.min(...others));
    }).length;
    return [run, better, rows.length] as const;
  });
  main.append(
    table(
      'Metrics on which each coordination is best (ties count for both)',
      ['coordination', 'best on', 'of metrics'],
      wins.map(([run, n, total]) => [run, n, total]),
      'comparison-wins',
    ),
  );
  for (const row of rows.slice(0, 12)) {
    const chart = h('div', { class: 'chart small', 'data-metric': row.metric });
    main.append(chart);
    barChart(
      chart,
      `${row.metric} (${row.unit}; ${row.isHigherBetter ? 'higher' : 'lower'} is better)`,
      runsOf([row]),
      [{ name: row.metric, data: runsOf([row]).map((run) => row.values[run]) }],
      row.unit,
    );
  }
  if (summary.comparison)
    main.append(valueTable('Further comparisons (compare output)', summary.comparison, 'comparison-table'));
  else
    main.append(
      h('p', { text: 'No compare output in this folder (compare.json); showing the runs of simulate.' }),
    );
}
