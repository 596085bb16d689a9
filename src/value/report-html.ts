// Self-contained HTML report: ECharts rendered server-side to inline SVG, the value table, the differences to
// the baseline, a glossary of runs and metrics, and the run checks.

import { BETTER_FILL, renderDifferenceCharts, WORSE_FILL } from './difference-charts.ts';
import { escapeHtml } from './escape-html.ts';
import { formatMetricValue } from './format-value.ts';
import type { ValueRow } from './metrics.ts';
import {
  gspImportChart,
  mvLoadingChart,
  pricesChart,
  type ReportRun,
  socChart,
  tradeNetworkChart,
  voltagesChart,
} from './report-charts.ts';
import { BASELINE_NOTE, BASELINE_RUN, describeRun } from './run-definitions.ts';
import { type StageRules, stagesHtml } from './stages-summary.ts';

export interface ReportInput {
  readonly title: string;
  readonly description: string;
  /** The run whose detail (prices, SoC, trades) is charted; others appear in comparisons. */
  readonly primary: ReportRun;
  readonly runs: readonly ReportRun[];
  readonly valueTable: readonly ValueRow[];
  readonly facts: readonly (readonly [string, string])[];
  /** The stage rules of the study; with them the report explains the market stages. */
  readonly stages?: StageRules;
}

/** Plain-text value table (for the CLI and notes): absolute values per run, counts as integers. */
export function formatValueTable(table: readonly ValueRow[], runs: readonly string[]): string {
  const header = ['category', 'metric', 'unit', ...runs];
  const rows = table.map((r) => [
    r.category,
    r.metric,
    r.unit,
    ...runs.map((n) => formatMetricValue(r.values[n], r.unit)),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    ...wrapText(BASELINE_NOTE, 115),
  ].join('\n');
}

/** Words of `text` in lines of at most `widthChars` characters (a longer word gets a line of its own). */
function wrapText(text: string, widthChars: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= widthChars) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

function valueTableHtml(table: readonly ValueRow[], runNames: readonly string[]): string {
  const head = ['category', 'metric', 'unit', ...runNames].map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = table
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.category)}</td><td>${escapeHtml(r.metric)}</td><td>${escapeHtml(r.unit)}</td>${runNames.map((n) => `<td class="num">${formatMetricValue(r.values[n], r.unit)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function glossaryHtml(table: readonly ValueRow[], runNames: readonly string[]): string {
  const line = (cells: readonly string[]) =>
    `<tr><th scope="row">${cells[0]}</th>${cells
      .slice(1)
      .map((c) => `<td>${c}</td>`)
      .join('')}</tr>`;
  const runs = runNames.map((n) =>
    line([escapeHtml(n), 'run', '', '', escapeHtml(capitalised(describeRun(n)))]),
  );
  const metrics = table.map((r) =>
    line([
      escapeHtml(r.metric),
      escapeHtml(r.category),
      escapeHtml(r.unit),
      r.category === 'check' ? '(a check)' : r.isHigherBetter ? 'higher' : 'lower',
      escapeHtml(r.definition),
    ]),
  );
  const head = ['term', 'category', 'unit', 'better when', 'definition'].map((h) => `<th>${h}</th>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${[...runs, ...metrics].join('')}</tbody></table>`;
}

/** The report as one HTML document with inline SVG charts and no scripts or external resources. */
export function renderReportHtml(input: ReportInput): string {
  const runNames = input.runs.map((r) => r.name);
  const charts: [string, string][] = [
    ['prices', pricesChart(input.primary.recorder)],
    ['flows', gspImportChart(input.runs)],
    ['loading', mvLoadingChart(input.runs)],
    ['voltages', voltagesChart(input.primary.recorder)],
    ['soc', socChart(input.primary.recorder)],
    ['trades', tradeNetworkChart(input.primary.recorder)],
  ];
  const others = runNames.filter((n) => n !== BASELINE_RUN);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;max-width:1000px}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;vertical-align:top}th[scope=row]{text-align:left;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}.chart{margin:18px 0}dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;font-size:13px}#chart-comparison{display:grid;grid-template-columns:repeat(2,max-content);gap:8px 16px}figure.difference{margin:0;border:1px solid #eee}.key{font-size:13px}.swatch{display:inline-block;width:12px;height:12px;vertical-align:middle;margin:0 4px}</style>
</head><body>
<h1>${escapeHtml(input.title)}</h1>
<p>${escapeHtml(input.description)}</p>
<dl>${input.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<p><b>Baseline</b> is ${escapeHtml(describeRun(BASELINE_RUN))} Each other run (${others.map(escapeHtml).join(', ')}) simulates the same study, days and seed; the glossary below defines the runs and every metric.</p>
<h2>Value metrics: absolute value per run</h2>
<div id="value-table">${valueTableHtml(input.valueTable, runNames)}</div>
<h2>Difference to the baseline (run − baseline, in each metric’s unit)</h2>
<p class="key">One chart per metric; a bar is the run’s value minus the baseline’s, in the metric’s own unit (pp = percentage points). <span class="swatch" style="background:${BETTER_FILL}"></span>better than the baseline <span class="swatch" style="background:${WORSE_FILL}"></span>worse; each chart says whether higher or lower is better. No bar: the same value as the baseline, or no data.</p>
<div class="chart" id="chart-comparison">${renderDifferenceCharts(input.valueTable, runNames)}</div>
<h2>Glossary</h2>
<div id="glossary">${glossaryHtml(input.valueTable, runNames)}</div>
${input.stages ? `<h2>Market stages of a day (${escapeHtml(input.primary.name)})</h2>\n${stagesHtml(input.primary.recorder, input.stages)}\n` : ''}<h2>Grid and market detail</h2>
<p>Prices, voltages, stored energy and trades are those of the charted run, ${escapeHtml(input.primary.name)}; the grid supply point and MV loading charts show every run.</p>
${charts.map(([id, svg]) => `<div class="chart" id="chart-${id}">${svg}</div>`).join('\n')}
</body></html>
`;
}
