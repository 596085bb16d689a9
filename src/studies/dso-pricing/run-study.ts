// The DSO pricing study end to end: price on in-sample scenarios, compare mechanisms out of sample, write table + chart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareMechanisms,
  type MechanismMetrics,
  type ProbabilisticDispatchDiagnostics,
} from '../../problems/probabilistic-dispatch/index.ts';
import { buildLvStudy, type LvStudyOptions, priceLvStudy } from './lv-study.ts';

export interface StudyOptions extends LvStudyOptions {
  readonly risk: number;
}

export interface StudyResult {
  readonly description: string;
  readonly risk: number;
  readonly rows: readonly MechanismMetrics[];
  /** (welfare of centralised − welfare of DSO pricing) / |welfare of centralised|, welfare = −total cost. */
  readonly welfareGapToCentralised: number;
  readonly diagnostics: Omit<ProbabilisticDispatchDiagnostics, 'intervals'> & {
    readonly maxInSampleViolation: number;
  };
  readonly pricingSeconds: number;
  readonly comparisonSeconds: number;
}

/** Run the study on the bundled IEEE European LV scenario. */
export async function runDsoPricingStudy(options: StudyOptions): Promise<StudyResult> {
  const study = buildLvStudy(options);
  const t0 = performance.now();
  const { schedule, diagnostics } = await priceLvStudy(study, options.risk);
  const t1 = performance.now();
  const rows = await compareMechanisms(study, study.outOfSample, schedule);
  const t2 = performance.now();
  const cost = (m: string) => rows.find((r) => r.mechanism === m)!.totalCostEurPerDay;
  const { intervals, ...summary } = diagnostics;
  return {
    description: study.description,
    risk: options.risk,
    rows,
    welfareGapToCentralised: (cost('dso-pricing') - cost('centralised')) / Math.abs(cost('centralised')),
    diagnostics: {
      ...summary,
      maxInSampleViolation: Math.max(...intervals.map((i) => i.inSampleViolationFrequency)),
    },
    pricingSeconds: (t1 - t0) / 1000,
    comparisonSeconds: (t2 - t1) / 1000,
  };
}

const COLUMNS: readonly (keyof MechanismMetrics)[] = [
  'mechanism',
  'totalCostEurPerDay',
  'p2pVolumeMwhPerDay',
  'voltageViolationFrequency',
  'worstVoltageViolationPu',
  'thermalViolationFrequency',
  'worstThermalOverloadPercent',
  'anyViolationFrequency',
  'lossesMwhPerDay',
  'curtailmentMwhPerDay',
  'nonConvergedSamples',
];

/** The comparison table as CSV text. */
export function formatComparisonCsv(rows: readonly MechanismMetrics[]): string {
  const cell = (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v));
  return `${[COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\n')}\n`;
}

/** Write comparison.csv, comparison.json and comparison.svg into `dir`; returns the file paths. */
export async function writeStudyOutputs(result: StudyResult, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, 'comparison.csv');
  const json = join(dir, 'comparison.json');
  const svg = join(dir, 'comparison.svg');
  writeFileSync(csv, formatComparisonCsv(result.rows));
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(svg, await renderComparisonSvg(result));
  return [csv, json, svg];
}

/** Server-side SVG bar chart (echarts): violation frequency and welfare per mechanism. */
export async function renderComparisonSvg(result: StudyResult): Promise<string> {
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 900, height: 420 });
  const names = result.rows.map((r) => r.mechanism);
  chart.setOption({
    animation: false,
    title: {
      text: `DSO pricing study (risk ${result.risk}): ${result.description}`,
      textStyle: { fontSize: 12 },
    },
    legend: { top: 28 },
    grid: [
      { left: 60, right: 480, top: 70, bottom: 40 },
      { left: 500, right: 40, top: 70, bottom: 40 },
    ],
    xAxis: [
      { type: 'category', data: names, gridIndex: 0 },
      { type: 'category', data: names, gridIndex: 1 },
    ],
    yAxis: [
      { type: 'value', name: 'violation frequency', gridIndex: 0, max: 1 },
      { type: 'value', name: 'welfare EUR/day', gridIndex: 1 },
    ],
    series: [
      {
        name: 'voltage',
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: result.rows.map((r) => r.voltageViolationFrequency),
      },
      {
        name: 'thermal',
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: result.rows.map((r) => r.thermalViolationFrequency),
      },
      {
        name: 'any',
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: result.rows.map((r) => r.anyViolationFrequency),
        markLine: { data: [{ yAxis: result.risk, name: 'risk' }], symbol: 'none' },
      },
      {
        name: 'welfare (−cost)',
        type: 'bar',
        xAxisIndex: 1,
        yAxisIndex: 1,
        data: result.rows.map((r) => -r.totalCostEurPerDay),
      },
    ],
  });
  const text = chart.renderToSVGString();
  chart.dispose();
  return text;
}
