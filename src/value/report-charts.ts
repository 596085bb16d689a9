// The report's time-series and network charts of the simulation results: one unit per y-axis, legends that fit.
import type { SimulationRecorder } from '../hierarchy/recorder.ts';
import { renderChartSvg, wrappedLegend } from './render-chart-svg.ts';

/** A run's name and results, as charted in the report. */
export interface ReportRun {
  readonly name: string;
  readonly recorder: SimulationRecorder;
}

const WIDTH_PX = 960;
const HEIGHT_PX = 340;
/** Category palette (ECharts' default order), so paired series (min/max of one platform) can share a colour. */
const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4'];

const time = (utc: string) => utc.slice(5, 16).replace('T', ' ');

interface LineSeries {
  readonly name: string;
  readonly y: readonly number[];
  readonly isStep?: boolean;
  readonly color?: string;
  readonly isDashed?: boolean;
}

function lineChart(
  id: string,
  title: string,
  yName: string,
  x: readonly string[],
  series: readonly LineSeries[],
): string {
  const { legend, gridBottomPx } = wrappedLegend([...new Set(series.map((s) => s.name))], WIDTH_PX);
  return renderChartSvg(
    {
      title: { text: title, textStyle: { fontSize: 14 } },
      legend,
      grid: { top: 56, left: 64, right: 24, bottom: gridBottomPx },
      xAxis: { type: 'category', data: [...x] },
      yAxis: { type: 'value', name: yName, scale: true },
      series: series.map((s) => ({
        name: s.name,
        type: 'line',
        data: s.y.map((v) => Number(v.toFixed(6))),
        showSymbol: false,
        step: s.isStep ? 'end' : undefined,
        ...(s.color ? { color: s.color } : {}),
        lineStyle: s.isDashed ? { type: 'dashed' } : {},
      })),
    },
    WIDTH_PX,
    HEIGHT_PX + gridBottomPx - 64,
    id,
  );
}

export function pricesChart(rec: SimulationRecorder): string {
  const dso = rec.tso.filter((r) => r.dso === rec.tso[0]?.dso);
  const platformId = rec.platform[0]?.platform;
  const platform = rec.platform.filter((r) => r.platform === platformId);
  const hourly = (pick: (r: (typeof dso)[number]) => number) =>
    platform.map((p) => {
      const h = dso.filter((r) => r.timeUtc <= p.timeUtc).pop();
      return h ? pick(h) / 1000 : Number.NaN;
    });
  return lineChart(
    'prices',
    'Prices by level (EUR/kWh)',
    'EUR/kWh',
    platform.map((r) => time(r.timeUtc)),
    [
      { name: 'TSO day-ahead LMP at the GSP', y: hourly((r) => r.dayAheadLmpEurPerMwh), isStep: true },
      { name: 'TSO real-time LMP', y: hourly((r) => r.realTimeLmpEurPerMwh), isStep: true },
      {
        name: `DSO import price (${platformId})`,
        y: platform.map((r) => r.importPriceEurPerKwh),
        isStep: true,
      },
      {
        name: `DSO export price (${platformId})`,
        y: platform.map((r) => r.exportPriceEurPerKwh),
        isStep: true,
      },
      { name: 'P2P clearing price', y: platform.map((r) => r.p2pPriceEurPerKwh ?? Number.NaN), isStep: true },
    ],
  );
}

/** One DSO series per run (the first DSO of the first run), e.g. GSP import or MV loading. */
function dsoRunsChart(
  id: string,
  title: string,
  yName: string,
  runs: readonly ReportRun[],
  pick: (r: SimulationRecorder['dso'][number]) => number,
): string {
  const dsoId = runs[0].recorder.dso[0]?.dso;
  const first = runs[0].recorder.dso.filter((r) => r.dso === dsoId);
  return lineChart(
    id,
    title,
    yName,
    first.map((r) => time(r.timeUtc)),
    runs.map((run) => ({ name: run.name, y: run.recorder.dso.filter((r) => r.dso === dsoId).map(pick) })),
  );
}

export const gspImportChart = (runs: readonly ReportRun[]) =>
  dsoRunsChart('flows', 'Grid supply point import per run (MW)', 'MW', runs, (r) => r.gspImportKw / 1000);

export const mvLoadingChart = (runs: readonly ReportRun[]) =>
  dsoRunsChart(
    'loading',
    'Highest MV branch loading per run (% of rating)',
    '%',
    runs,
    (r) => r.maxLoadingPercent,
  );

export function voltagesChart(rec: SimulationRecorder): string {
  const platforms = [...new Set(rec.platform.map((r) => r.platform))];
  const x = rec.platform.filter((r) => r.platform === platforms[0]).map((r) => time(r.timeUtc));
  const of = (p: string) => rec.platform.filter((r) => r.platform === p);
  return lineChart(
    'voltages',
    'LV feeder voltages (p.u.) per platform: solid max, dashed min',
    'p.u.',
    x,
    platforms.flatMap((p, i) => [
      { name: p, y: of(p).map((r) => r.vmMaxPu), color: PALETTE[i % PALETTE.length] },
      { name: p, y: of(p).map((r) => r.vmMinPu), color: PALETTE[i % PALETTE.length], isDashed: true },
    ]),
  );
}

export function socChart(rec: SimulationRecorder): string {
  const byPlatform = new Map<string, Map<string, number>>();
  for (const r of rec.prosumer) {
    let m = byPlatform.get(r.platform);
    if (!m) byPlatform.set(r.platform, (m = new Map()));
    m.set(r.timeUtc, (m.get(r.timeUtc) ?? 0) + r.batteryEnergyKwh);
  }
  const platforms = [...byPlatform.keys()];
  return lineChart(
    'soc',
    'Stored battery energy per platform (kWh, one feeder, prosumer step)',
    'kWh',
    [...(byPlatform.get(platforms[0])?.keys() ?? [])].map(time),
    platforms.map((p) => ({ name: p, y: [...byPlatform.get(p)!.values()] })),
  );
}

export function tradeNetworkChart(rec: SimulationRecorder): string {
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
    WIDTH_PX,
    560,
    'trades',
  );
}
