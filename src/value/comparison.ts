// The architecture comparison (`gridnest compare`): every coordination and the baseline on the same scenarios and
// seeds; per-run rows, mean and spread over seeds, a Markdown table and one chart per metric.
//
// welfareGapPct = 100·(W_centralised − W) / |W_centralised| against the centralised run of the same seed (null when
// that seed has no centralised run). Spread: the sample standard deviation over seeds (0 with one seed).

import { welfareGap } from './coordination-outcome.ts';
import { WELFARE_REFERENCE_RUN } from './coordination-table.ts';
import { renderChartSvg, wrappedLegend } from './render-chart-svg.ts';

/** One run of one coordination on one seed (what `compare --json` prints per row). */
export interface ComparisonRow {
  readonly coordination: string;
  readonly seed: number;
  readonly welfareEur: number;
  readonly welfareGapPct: number | null;
  readonly lvVoltageViolationIntervals: number;
  readonly lvThermalViolationIntervals: number;
  readonly mvViolationIntervals: number;
  readonly lossesMwh: number;
  readonly messages: number;
  /** Messages of the mechanism itself (negotiation offers and counter-offers; 0 for mpc). */
  readonly coordinationMessages: number;
  readonly bytes: number;
  readonly wallS: number;
  readonly interPlatformSettlementEur: number;
}

export type ComparisonInput = Omit<ComparisonRow, 'welfareGapPct'>;

/** The metrics of the summary and charts: key, label, unit, whether lower is better. */
export const COMPARISON_METRICS = [
  ['welfareGapPct', 'welfare gap to centralised', '%'],
  ['lvVoltageViolationIntervals', 'LV voltage violation intervals', 'count'],
  ['lvThermalViolationIntervals', 'LV thermal violation intervals', 'count'],
  ['mvViolationIntervals', 'MV violation intervals', 'count'],
  ['lossesMwh', 'LV + MV losses', 'MWh'],
  ['coordinationMessages', 'coordination messages', 'count'],
  ['bytes', 'bytes delivered', 'count'],
  ['wallS', 'compute time', 's'],
  ['interPlatformSettlementEur', 'inter-platform settlement', 'EUR'],
] as const satisfies readonly (readonly [keyof ComparisonRow, string, string])[];

export type ComparisonMetric = (typeof COMPARISON_METRICS)[number][0];

/** Rows with the welfare gap to the same seed's centralised run. */
export function withWelfareGaps(runs: readonly ComparisonInput[]): ComparisonRow[] {
  return runs.map((r) => {
    const ref = runs.find((x) => x.seed === r.seed && x.coordination === WELFARE_REFERENCE_RUN);
    return { ...r, welfareGapPct: ref ? 100 * welfareGap(r.welfareEur, ref.welfareEur) : null };
  });
}

export interface SummaryCell {
  readonly mean: number | null;
  readonly sd: number | null;
}

/** Mean and sample standard deviation over seeds, per coordination (in first-seen order) and metric. */
export function summariseComparison(
  rows: readonly ComparisonRow[],
): { coordination: string; seeds: number; cells: Record<ComparisonMetric | 'welfareEur', SummaryCell> }[] {
  const names = [...new Set(rows.map((r) => r.coordination))];
  const keys = ['welfareEur', ...COMPARISON_METRICS.map((m) => m[0])] as const;
  return names.map((coordination) => {
    const mine = rows.filter((r) => r.coordination === coordination);
    const cells = Object.fromEntries(
      keys.map((k) => {
        const v = mine.map((r) => r[k]).filter((x): x is number => x !== null && Number.isFinite(x));
        if (v.length === 0) return [k, { mean: null, sd: null }];
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
        return [k, { mean, sd }];
      }),
    ) as Record<ComparisonMetric | 'welfareEur', SummaryCell>;
    return { coordination, seeds: mine.length, cells };
  });
}

const fmt = (c: SummaryCell, digits: number) =>
  c.mean === null ? 'n/a' : `${c.mean.toFixed(digits)} ± ${(c.sd ?? 0).toFixed(digits)}`;

/** Markdown table of the summary: mean ± sd over seeds. */
export function comparisonMarkdown(summary: ReturnType<typeof summariseComparison>): string {
  const header = [
    'coordination',
    'welfare gap %',
    'LV V viol.',
    'LV thermal viol.',
    'MV viol.',
    'losses MWh',
    'coord. msgs',
    'wall s',
    'inter-platform EUR',
  ];
  const lines = summary.map((s) =>
    [
      s.coordination,
      fmt(s.cells.welfareGapPct, 3),
      fmt(s.cells.lvVoltageViolationIntervals, 1),
      fmt(s.cells.lvThermalViolationIntervals, 1),
      fmt(s.cells.mvViolationIntervals, 1),
      fmt(s.cells.lossesMwh, 2),
      fmt(s.cells.coordinationMessages, 0),
      fmt(s.cells.wallS, 1),
      fmt(s.cells.interPlatformSettlementEur, 1),
    ].join(' | '),
  );
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...lines.map((l) => `| ${l} |`),
  ].join('\n');
}

/** One bar chart per metric: mean per coordination, each seed's value as a point on it. */
export function comparisonCharts(rows: readonly ComparisonRow[]): { name: string; svg: string }[] {
  const summary = summariseComparison(rows);
  const names = summary.map((s) => s.coordination);
  const seeds = [...new Set(rows.map((r) => r.seed))];
  const width = 760;
  const { legend, gridBottomPx } = wrappedLegend(['mean', ...seeds.map((s) => `seed ${s}`)], width, 48);
  return COMPARISON_METRICS.map(([key, label, unit], i) => ({
    name: key,
    svg: renderChartSvg(
      {
        title: {
          text: `${label} (${unit})`,
          subtext: 'lower is better; bar = mean over seeds',
          textStyle: { fontSize: 13 },
        },
        legend,
        grid: { left: 70, right: 20, top: 60, bottom: gridBottomPx },
        xAxis: { type: 'category', data: names, axisLabel: { rotate: 20, fontSize: 11 } },
        yAxis: { type: 'value' },
        series: [
          { name: 'mean', type: 'bar', data: summary.map((s) => s.cells[key].mean) },
          ...seeds.map((seed) => ({
            name: `seed ${seed}`,
            type: 'scatter' as const,
            data: names.map((n) => rows.find((r) => r.coordination === n && r.seed === seed)?.[key] ?? null),
          })),
        ],
      },
      width,
      340,
      `compare-${i}`,
    ),
  }));
}
