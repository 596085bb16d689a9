// Differences to the baseline, one small bar chart per metric in the metric's own unit (bar = run − baseline).

import { escapeHtml } from './escape-html.ts';
import { COUNT_UNIT, deltaUnit, formatMetricDelta, isZeroDelta } from './format-value.ts';
import type { ValueRow } from './metrics.ts';
import { renderChartSvg } from './render-chart-svg.ts';
import { BASELINE_RUN } from './run-definitions.ts';

/** Bar fills: the difference improves the metric, worsens it; both are what the browser test counts. */
export const BETTER_FILL = '#2e7d32';
export const WORSE_FILL = '#c62828';

const CHART_WIDTH_PX = 470;
const CHART_HEIGHT_PX = 150;

/** One run's difference to the baseline in a metric: null when either value is missing. */
interface Difference {
  readonly run: string;
  readonly delta: number | null;
}

/** The difference of each non-baseline run in one metric. */
function differences(row: ValueRow, runs: readonly string[]): Difference[] {
  const base = row.values[BASELINE_RUN];
  return runs.map((run) => {
    const v = row.values[run];
    if (!Number.isFinite(base) || !Number.isFinite(v)) return { run, delta: null };
    return { run, delta: isZeroDelta(v - base, v, base) ? 0 : v - base };
  });
}

/** The smallest 1, 2, 2.5 or 5 × 10^k at or above x (x > 0): a round axis limit. */
function niceCeil(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  return ([1, 2, 2.5, 5].find((m) => m * power >= x * (1 - 1e-12)) ?? 10) * power;
}

function differenceChart(row: ValueRow, runs: readonly string[], idPrefix: string): string {
  const diffs = differences(row, runs);
  const unit = deltaUnit(row.unit);
  const isBetter = (d: number) => d > 0 === row.isHigherBetter;
  const describe = (d: number | null) =>
    d === null
      ? 'n/a (no data)'
      : d === 0
        ? 'no change'
        : `${formatMetricDelta(d, row.unit)}${row.unit === COUNT_UNIT ? '' : ` ${unit}`}, ${isBetter(d) ? 'better' : 'worse'}`;
  const text = new Map(diffs.map((d) => [d.run, describe(d.delta)]));
  // Symmetric axis around 0, so the side of a bar shows its sign.
  const largest = Math.max(...diffs.map((d) => Math.abs(d.delta ?? 0)));
  // Counts keep integer ticks (limit/2 a whole number).
  const limit =
    row.unit === COUNT_UNIT ? Math.max(2, 2 * Math.ceil(largest / 2)) : largest > 0 ? niceCeil(largest) : 1;
  return renderChartSvg(
    {
      title: {
        text: `${row.metric} (${unit})`,
        subtext: `${row.category}: run − baseline; ${row.isHigherBetter ? 'higher' : 'lower'} is better`,
        textStyle: { fontSize: 12 },
        subtextStyle: { fontSize: 11 },
        left: 4,
      },
      // The run and its difference in words stand left of the plot, so no label can overlap a bar.
      grid: { top: 52, left: 150, right: 16, bottom: 22 },
      xAxis: {
        type: 'value',
        min: -limit,
        max: limit,
        interval: limit / 2,
        axisLabel: { fontSize: 9 },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'category',
        data: [...runs],
        inverse: true,
        axisLine: { show: false },
        axisTick: { show: false },
        axisLabel: {
          formatter: (run: string) => `{run|${run}}\n{delta|${text.get(run)}}`,
          align: 'left',
          margin: 140,
          rich: { run: { fontSize: 11, fontWeight: 'bold' }, delta: { fontSize: 11, color: '#444' } },
        },
      },
      series: [
        {
          type: 'bar',
          barWidth: 14,
          // A non-zero difference is always visible, however small beside the largest one.
          barMinHeight: 2,
          markLine: {
            silent: true,
            symbol: 'none',
            label: { show: false },
            lineStyle: { color: '#333', type: 'solid', width: 1 },
            data: [{ xAxis: 0 }],
          },
          data: diffs.map((d) =>
            d.delta === null || d.delta === 0
              ? '-'
              : { value: d.delta, itemStyle: { color: isBetter(d.delta) ? BETTER_FILL : WORSE_FILL } },
          ),
        },
      ],
    },
    CHART_WIDTH_PX,
    CHART_HEIGHT_PX,
    idPrefix,
  );
}

/**
 * One figure per metric (the run checks excluded), each with `data-metric` and `data-unit` attributes and one
 * bar per run whose value differs from the baseline's.
 */
export function renderDifferenceCharts(table: readonly ValueRow[], runNames: readonly string[]): string {
  const runs = runNames.filter((n) => n !== BASELINE_RUN);
  return table
    .filter((r) => r.category !== 'check')
    .map(
      (row, i) =>
        `<figure class="difference" data-metric="${escapeHtml(row.metric)}" data-unit="${escapeHtml(row.unit)}">${differenceChart(row, runs, `difference-${i}`)}</figure>`,
    )
    .join('\n');
}
