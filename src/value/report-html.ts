// Self-contained HTML report: ECharts rendered server-side to inline SVG, the value table and the run checks.
import * as echarts from 'echarts';
import type { SimulationRecorder } from '../hierarchy/recorder.ts';
import type { ValueRow } from './metrics.ts';

export interface ReportRun {
  readonly name: string;
  readonly recorder: SimulationRecorder;
}

export interface ReportInput {
  readonly title: string;
  readonly description: string;
  /** The run whose detail (prices, SoC, trades) is charted; others appear in comparisons. */
  readonly primary: ReportRun;
  readonly runs: readonly ReportRun[];
  readonly valueTable: readonly ValueRow[];
  readonly facts: readonly (readonly [string, string])[];
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Render one ECharts option to an SVG string (no DOM, no animation). */
export function renderChartSvg(
  option: echarts.EChartsOption,
  width = 960,
  height = 340,
  idPrefix = 'chart',
): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, ...option });
  // ECharts numbers its instances per process (ids `zr<N>-…`); renumber so output depends on the data only.
  // Style classes are numbered by a process-wide counter too: renumber them by first appearance.
  const classes = new Map<string, number>();
  const svg = chart
    .renderToSVGString()
    .replace(/\bzr\d+-/g, `${idPrefix}-`)
    .replace(/-cls-(\d+)/g, (_, n: string) => {
      if (!classes.has(n)) classes.set(n, classes.size);
      return `-cls-${classes.get(n)}`;
    });
  chart.dispose();
  return svg;
}

const time = (utc: string) => utc.slice(5, 16).replace('T', ' ');

function lineChart(
  title: string,
  yName: string,
  series: { name: string; x: string[]; y: number[]; step?: boolean }[],
): string {
  return renderChartSvg({
    title: { text: title, textStyle: { fontSize: 14 } },
    // Legend below the plot, so it never overlaps the title or the y-axis name above it.
    legend: { bottom: 0, type: 'scroll' },
    grid: { top: 56, left: 64, right: 24, bottom: 64 },
    xAxis: { type: 'category', data: series[0]?.x ?? [] },
    yAxis: { type: 'value', name: yName, scale: true },
    series: series.map((s) => ({
      name: s.name,
      type: 'line',
      data: s.y.map((v) => Number(v.toFixed(6))),
      showSymbol: false,
      step: s.step ? 'end' : undefined,
    })),
  });
}

function pricesChart(rec: SimulationRecorder): string {
  const dso = rec.tso.filter((r) => r.dso === rec.tso[0]?.dso);
  const platformId = rec.platform[0]?.platform;
  const platform = rec.platform.filter((r) => r.platform === platformId);
  const x = platform.map((r) => time(r.timeUtc));
  const hourly = (pick: (r: (typeof dso)[number]) => number) =>
    platform.map((p) => {
      const h = dso.filter((r) => r.timeUtc <= p.timeUtc).pop();
      return h ? pick(h) / 1000 : Number.NaN;
    });
  return lineChart('Prices by level (EUR/kWh)', 'EUR/kWh', [
    { name: 'TSO day-ahead LMP at the GSP', x, y: hourly((r) => r.dayAheadLmpEurPerMwh), step: true },
    { name: 'TSO real-time LMP', x, y: hourly((r) => r.realTimeLmpEurPerMwh), step: true },
    {
      name: `DSO import price (${platformId})`,
      x,
      y: platform.map((r) => r.importPriceEurPerKwh),
      step: true,
    },
    {
      name: `DSO export price (${platformId})`,
      x,
      y: platform.map((r) => r.exportPriceEurPerKwh),
      step: true,
    },
    { name: 'P2P clearing price', x, y: platform.map((r) => r.p2pPriceEurPerKwh ?? Number.NaN), step: true },
  ]);
}

function flowsChart(runs: readonly ReportRun[]): string {
  const first = runs[0].recorder.dso.filter((r) => r.dso === runs[0].recorder.dso[0]?.dso);
  const x = first.map((r) => time(r.timeUtc));
  return lineChart('Grid supply point import (MW) and MV peak branch loading (%/10)', 'MW', [
    ...runs.map((run) => ({
      name: `GSP import, ${run.name}`,
      x,
      y: run.recorder.dso.filter((r) => r.dso === first[0]?.dso).map((r) => r.gspImportKw / 1000),
    })),
    ...runs.map((run) => ({
      name: `max MV loading/10, ${run.name}`,
      x,
      y: run.recorder.dso.filter((r) => r.dso === first[0]?.dso).map((r) => r.maxLoadingPercent / 10),
    })),
  ]);
}

function voltagesChart(rec: SimulationRecorder): string {
  const platforms = [...new Set(rec.platform.map((r) => r.platform))];
  const x = rec.platform.filter((r) => r.platform === platforms[0]).map((r) => time(r.timeUtc));
  return lineChart('LV feeder voltages (p.u.): min and max per platform', 'p.u.', [
    ...platforms.map((p) => ({
      name: `min ${p}`,
      x,
      y: rec.platform.filter((r) => r.platform === p).map((r) => r.vmMinPu),
    })),
    ...platforms.map((p) => ({
      name: `max ${p}`,
      x,
      y: rec.platform.filter((r) => r.platform === p).map((r) => r.vmMaxPu),
    })),
  ]);
}

function socChart(rec: SimulationRecorder): string {
  const byPlatform = new Map<string, Map<string, number>>();
  for (const r of rec.prosumer) {
    let m = byPlatform.get(r.platform);
    if (!m) byPlatform.set(r.platform, (m = new Map()));
    m.set(r.timeUtc, (m.get(r.timeUtc) ?? 0) + r.batteryEnergyKwh);
  }
  const platforms = [...byPlatform.keys()];
  const x = [...(byPlatform.get(platforms[0])?.keys() ?? [])].map(time);
  return lineChart(
    'Stored battery energy per platform (kWh, one feeder, prosumer step)',
    'kWh',
    platforms.map((p) => ({ name: p, x, y: [...byPlatform.get(p)!.values()] })),
  );
}

function tradeNetworkChart(rec: SimulationRecorder): string {
  const platformId = rec.trades[0]?.platform;
  const volumes = new Map<string, number>();
  for (const t of rec.trades) {
    if (t.platform !== platformId) continue;
    const key = `${t.seller}→${t.buyer}`;
    volumes.set(key, (volumes.get(key) ?? 0) + t.eKwh);
  }
  const edges = [...volumes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 80);
  const nodes = [...new Set(edges.flatMap(([k]) => k.split('→')))].sort();
  const maxVolume = edges[0]?.[1] ?? 1;
  return renderChartSvg(
    {
      title: {
        text: `P2P trade network of ${platformId ?? '(no trades)'}: top ${edges.length} seller→buyer pairs (kWh)`,
        textStyle: { fontSize: 14 },
      },
      series: [
        {
          type: 'graph',
          layout: 'circular',
          circular: { rotateLabel: true },
          label: {
            show: true,
            fontSize: 8,
            formatter: (p: { name: string }) => p.name.replace(/^prosumer:[^-]+-[^-]+-/, ''),
          },
          edgeSymbol: ['none', 'arrow'],
          data: nodes.map((name) => ({ name, symbolSize: 6 })),
          links: edges.map(([key, v]) => {
            const [source, target] = key.split('→');
            return {
              source,
              target,
              value: Number(v.toFixed(3)),
              lineStyle: { width: 0.5 + (4 * v) / maxVolume, opacity: 0.6 },
            };
          }),
        },
      ],
    },
    960,
    560,
  );
}

function comparisonChart(table: readonly ValueRow[], runs: readonly string[]): string {
  const rows = table.filter((r) => r.category !== 'check');
  return renderChartSvg(
    {
      title: {
        text: 'Baseline comparison: each metric relative to the baseline run (baseline = 100)',
        textStyle: { fontSize: 14 },
      },
      legend: { bottom: 0 },
      grid: { top: 40, left: 260, right: 24, bottom: 48 },
      xAxis: { type: 'value' },
      yAxis: {
        type: 'category',
        data: rows.map((r) => `${r.metric}`.slice(0, 44)),
        axisLabel: { fontSize: 9 },
      },
      series: runs.map((name) => ({
        name,
        type: 'bar',
        data: rows.map((r) => {
          const base = r.values.baseline;
          const v = r.values[name];
          return Number.isFinite(base) && Math.abs(base) > 1e-9 && Number.isFinite(v)
            ? Number(((100 * v) / base).toFixed(2))
            : 0;
        }),
      })),
    },
    960,
    520,
  );
}

const format = (v: number) =>
  !Number.isFinite(v)
    ? '–'
    : Math.abs(v) >= 1000
      ? v.toFixed(0)
      : Math.abs(v) >= 10
        ? v.toFixed(1)
        : v.toFixed(3);

/** Plain-text value table (for the CLI and notes). */
export function formatValueTable(table: readonly ValueRow[], runs: readonly string[]): string {
  const header = ['category', 'metric', 'unit', ...runs];
  const rows = table.map((r) => [r.category, r.metric, r.unit, ...runs.map((n) => format(r.values[n]))]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The report as one HTML document with inline SVG charts and no scripts or external resources. */
export function renderReportHtml(input: ReportInput): string {
  const runNames = input.runs.map((r) => r.name);
  const charts: [string, string][] = [
    ['prices', pricesChart(input.primary.recorder)],
    ['flows', flowsChart(input.runs)],
    ['voltages', voltagesChart(input.primary.recorder)],
    ['soc', socChart(input.primary.recorder)],
    ['trades', tradeNetworkChart(input.primary.recorder)],
    ['comparison', comparisonChart(input.valueTable, runNames)],
  ].map(([id, svg]): [string, string] => [id, svg.replace(/\bchart-c/g, `${id}-c`)]);
  const table = `<table><thead><tr><th>category</th><th>metric</th><th>unit</th>${runNames.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr></thead><tbody>${input.valueTable
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.category)}</td><td>${escapeHtml(r.metric)}</td><td>${escapeHtml(r.unit)}</td>${runNames.map((n) => `<td class="num">${format(r.values[n])}</td>`).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;max-width:1000px}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px}td.num{text-align:right;font-variant-numeric:tabular-nums}.chart{margin:18px 0}dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;font-size:13px}</style>
</head><body>
<h1>${escapeHtml(input.title)}</h1>
<p>${escapeHtml(input.description)}</p>
<dl>${input.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<h2>Value (each run against the baseline)</h2>
<div id="value-table">${table}</div>
${charts.map(([id, svg]) => `<div class="chart" id="chart-${id}">${svg}</div>`).join('\n')}
</body></html>
`;
}
