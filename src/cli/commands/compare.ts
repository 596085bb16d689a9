// `gridnest compare`: every coordination and the baseline on the same study and seeds; table, CSV and charts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.ts';
import { type CliOutput, writeJson } from '../output.ts';
import { cliCoordination, parseCoordinationList } from './coordination-list.ts';
import { parsePositiveInteger } from './option-parsers.ts';

interface CompareOptions {
  study: string;
  seeds: string;
  coordination: string;
  days?: number;
  out: string;
  json?: boolean;
}

/** `--seeds 1,2,3`: distinct non-negative integers (InputError naming the flag). */
export function parseSeedList(value: string): number[] {
  const seeds = value.split(',').map((s) => s.trim());
  if (seeds.length === 0 || seeds.some((s) => !/^\d+$/.test(s)))
    throw InputError.single(
      'bad_option',
      ['--seeds'],
      'must be a comma-separated list of non-negative integers',
    );
  return [...new Set(seeds.map(Number))];
}

export function registerCompareCommand(program: Command, output: CliOutput): void {
  program
    .command('compare')
    .description(
      'run the baseline and every coordination on the same study and seeds; write comparison.csv (one row per ' +
        'run), summary.csv and comparison.md (mean ± sd over seeds) and one SVG chart per metric to --out',
    )
    .option('--study <name|file>', 'bundled study (default, stressed) or a study file', 'default')
    .option('--seeds <list>', 'comma-separated master seeds', '1,2,3')
    .option('--coordination <names>', 'coordinations to compare (default all)', 'all')
    .option('--days <n>', 'days to simulate per run (default: the study’s)', parsePositiveInteger)
    .requiredOption('--out <dir>', 'output directory (created; files in it are overwritten)')
    .option('--json', 'print {status, rows} instead of the table')
    .action(async (options: CompareOptions) => {
      const seeds = parseSeedList(options.seeds);
      const coordinations = parseCoordinationList(options.coordination);
      const { readStudy, resolveSystemStudy } = await import('../../studies/system/index.ts');
      const { simulateSystem } = await import('../../hierarchy/engine.ts');
      const { createCoordination } = await import('../../coordination/index.ts');
      const { summariseRun } = await import('../../value/index.ts');
      const comparison = await import('../../value/comparison.ts');
      const models = seeds.map((seed) => {
        const { document, baseDir } = readStudy(options.study, { seed });
        return { seed, model: resolveSystemStudy(document, baseDir, { days: options.days }) };
      });
      mkdirSync(join(options.out, 'charts'), { recursive: true });
      const runs = ['baseline', ...coordinations] as const;
      const { SingleBar } = await import('cli-progress');
      const bar = output.isTty
        ? new SingleBar({ stream: process.stderr, format: 'compare [{bar}] {value}/{total} {label}' })
        : undefined;
      bar?.start(models.length * runs.length, 0, { label: '' });
      const inputs: import('../../value/comparison.ts').ComparisonInput[] = [];
      for (const { seed, model } of models) {
        for (const name of runs) {
          bar?.increment(0, { label: `seed ${seed} ${name}` });
          const started = performance.now();
          const mechanism = createCoordination(name === 'baseline' ? 'none' : cliCoordination(name));
          const result = await simulateSystem(model, {
            coordination: mechanism,
            isBaseline: name === 'baseline',
            recordProsumers: false,
          });
          const wallS = (performance.now() - started) / 1000;
          const own = mechanism.negotiationStats?.() ?? { rounds: 0, messages: 0, bytes: 0 };
          const { summary: s } = summariseRun(model, name, result, own, wallS);
          inputs.push({
            coordination: name,
            seed,
            welfareEur: s.welfareEur,
            lvVoltageViolationIntervals: s.lvVoltageViolationIntervals,
            lvThermalViolationIntervals: s.lvThermalViolationIntervals,
            mvViolationIntervals: s.mvViolationIntervals,
            lossesMwh: s.lossesMwh,
            messages: s.messages,
            coordinationMessages: own.messages,
            bytes: s.bytes,
            wallS,
            interPlatformSettlementEur: s.interPlatformSettlementEur,
          });
          bar?.increment(1);
        }
      }
      bar?.stop();
      const rows = comparison.withWelfareGaps(inputs);
      const summary = comparison.summariseComparison(rows);
      const table = comparison.comparisonMarkdown(summary);
      const csv = (records: readonly object[]) =>
        `${Object.keys(records[0]).join(',')}\n${records
          .map((r) =>
            Object.values(r)
              .map((v) => v ?? '')
              .join(','),
          )
          .join('\n')}\n`;
      writeFileSync(join(options.out, 'comparison.csv'), csv(rows));
      writeFileSync(
        join(options.out, 'summary.csv'),
        csv(
          summary.map((s) => ({
            coordination: s.coordination,
            seeds: s.seeds,
            ...Object.fromEntries(
              Object.entries(s.cells).flatMap(([k, c]) => [
                [`${k}Mean`, c.mean],
                [`${k}Sd`, c.sd],
              ]),
            ),
          })),
        ),
      );
      const heading = `Comparison on study ${options.study}, seeds ${seeds.join(', ')} (mean ± sd over seeds)`;
      writeFileSync(join(options.out, 'comparison.md'), `${heading}\n\n${table}\n`);
      for (const chart of comparison.comparisonCharts(rows))
        writeFileSync(join(options.out, 'charts', `${chart.name}.svg`), chart.svg);
      if (options.json)
        writeJson(output, {
          status: 'ok',
          study: options.study,
          seeds,
          rows: rows.map((r) => ({
            coordination: r.coordination,
            seed: r.seed,
            welfareEur: r.welfareEur,
            welfareGapPct: r.welfareGapPct,
            lvVoltageViolationIntervals: r.lvVoltageViolationIntervals,
            lvThermalViolationIntervals: r.lvThermalViolationIntervals,
            mvViolationIntervals: r.mvViolationIntervals,
            violationIntervals:
              r.lvVoltageViolationIntervals + r.lvThermalViolationIntervals + r.mvViolationIntervals,
            messages: r.messages,
            bytes: r.bytes,
            wallS: r.wallS,
            lossesMwh: r.lossesMwh,
            coordinationMessages: r.coordinationMessages,
            interPlatformSettlementEur: r.interPlatformSettlementEur,
          })),
        });
      else output.stdout(`${heading}\n${table}\n`);
    });
}
