// `gridnest dso-pricing [SCENARIO] --out DIR`: probabilistic DSO pricing study with the out-of-sample comparison.
import type { Command } from 'commander';
import { type CliOutput, formatTable, writeJson } from '../output.ts';

interface DsoPricingOptions {
  readonly risk: string;
  readonly scenarios: string;
  readonly outOfSample: string;
  readonly seed: string;
  readonly out?: string;
  readonly json?: boolean;
}

export function registerDsoPricingCommand(program: Command, output: CliOutput): void {
  program
    .command('dso-pricing')
    .description('DSO day-ahead probabilistic DLMP pricing study on the IEEE European LV feeder (high PV/EV)')
    .argument('[scenario]', 'study scenario: ieee-lv-high-pv-ev (the only one so far)', 'ieee-lv-high-pv-ev')
    .option('--risk <epsilon>', 'allowed probability of an interval violating any limit', '0.05')
    .option('--scenarios <n>', 'in-sample scenarios used for pricing', '50')
    .option('--out-of-sample <n>', 'out-of-sample scenarios for the comparison', '30')
    .option('--seed <n>', 'random seed', '7')
    .option('--out <dir>', 'directory for comparison.csv, comparison.json and comparison.svg')
    .option('--json', 'print one JSON object')
    .action(async (scenario: string, options: DsoPricingOptions) => {
      const { InputError } = await import('../../core/errors.ts');
      if (scenario !== 'ieee-lv-high-pv-ev') {
        throw InputError.single(
          'unknown_scenario',
          ['scenario'],
          'the only study scenario is ieee-lv-high-pv-ev',
        );
      }
      const risk = Number(options.risk);
      if (!(risk > 0 && risk < 1)) throw InputError.single('bad_option', ['--risk'], 'must be in (0, 1)');
      const integer = (value: string, field: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1)
          throw InputError.single('bad_option', [field], 'must be a positive integer');
        return n;
      };
      const pricingScenarios = integer(options.scenarios, '--scenarios');
      const outOfSampleScenarios = integer(options.outOfSample, '--out-of-sample');
      const seed = integer(options.seed, '--seed');
      if (!options.out) throw InputError.single('missing_option', ['--out'], 'give an output directory');
      const study = await import('../../studies/dso-pricing/run-study.ts');
      const result = await study.runDsoPricingStudy({ risk, pricingScenarios, outOfSampleScenarios, seed });
      const files = await study.writeStudyOutputs(result, options.out);
      if (options.json) {
        writeJson(output, { status: 'optimal', ...result, files });
        return;
      }
      const f = (v: number, d = 4) => v.toFixed(d);
      output.stdout(
        [
          `${result.description}; risk ${risk}; ${pricingScenarios} pricing / ${outOfSampleScenarios} out-of-sample scenarios`,
          `reduction ${result.diagnostics.originalBusCount} → ${result.diagnostics.reducedBusCount} buses; ${result.diagnostics.decomposition}`,
          `pricing ${f(result.pricingSeconds, 1)} s (${result.diagnostics.qpCount} QPs), comparison ${f(result.comparisonSeconds, 1)} s`,
          '',
          formatTable(
            [
              'mechanism',
              'cost EUR/d',
              'P2P MWh/d',
              'V viol',
              'worst V pu',
              'th viol',
              'worst over %',
              'any viol',
              'losses MWh/d',
              'curtail MWh/d',
            ],
            result.rows.map((r) => [
              r.mechanism,
              f(r.totalCostEurPerDay, 2),
              f(r.p2pVolumeMwhPerDay),
              f(r.voltageViolationFrequency),
              f(r.worstVoltageViolationPu),
              f(r.thermalViolationFrequency),
              f(r.worstThermalOverloadPercent, 2),
              f(r.anyViolationFrequency),
              f(r.lossesMwhPerDay),
              f(r.curtailmentMwhPerDay),
            ]),
          ),
          '',
          `welfare gap of DSO pricing to the centralised bound: ${f(100 * result.welfareGapToCentralised, 1)} %`,
          `wrote ${files.join(', ')}`,
          '',
        ].join('\n'),
      );
    });
}
