// `gridnest plan STUDY [--method bilevel|enumerate|heuristic] [--no-p2p] [--json] [--out DIR]`: bilevel network planning.
import type { Command } from 'commander';
import { type CliOutput, formatTable, writeJson } from '../output.ts';
import { parsePositiveInteger } from './option-parsers.ts';

interface PlanCliOptions {
  readonly method: string;
  readonly p2p: boolean;
  readonly json?: boolean;
  readonly out?: string;
  readonly deferralYears: number;
  readonly timeLimit?: number;
  readonly joint?: boolean;
}

/** Bundled planning studies (data/planning/). */
const BUNDLED_STUDIES: Readonly<Record<string, string>> = {
  'case33bw-planning': 'planning/case33bw-planning.json',
  'european-lv-planning': 'planning/european-lv-planning.json',
};

export function registerPlanCommand(program: Command, output: CliOutput): void {
  program
    .command('plan')
    .description('Plan upgrades and network charges against DER adoption and P2P operation (bilevel MILP)')
    .argument(
      '<study>',
      `a planning study JSON file or a bundled name: ${Object.keys(BUNDLED_STUDIES).join(', ')}`,
    )
    .option(
      '--method <method>',
      'bilevel (single-level MILP), enumerate (every decision, the reference) or heuristic (large feeders, with a lower bound)',
      'bilevel',
    )
    .option('--no-p2p', 'forbid P2P trading in the lower level')
    .option('--json', 'print one JSON object')
    .option(
      '--out <dir>',
      'directory for plan.json and plan.html (also solves the plan with the other P2P setting for the deferral value)',
    )
    .option(
      '--deferral-years <k>',
      'with --out: the most extra years of load growth tried for the years an upgrade is deferred',
      parsePositiveInteger,
      3,
    )
    .option('--time-limit <s>', 'heuristic: stop the search after this many seconds', parsePositiveInteger)
    .option(
      '--joint',
      'joint transmission-distribution planning of a joint study, against sequential planning',
    )
    .action(async (studyArg: string, options: PlanCliOptions) => {
      if (options.joint)
        return (await import('./plan-joint.ts')).runJointPlanCommand(studyArg, options, output);
      const { InputError } = await import('../../core/errors.ts');
      const methods = ['bilevel', 'enumerate', 'heuristic'] as const;
      const method = methods.find((m) => m === options.method);
      if (!method)
        throw InputError.single('bad_option', ['--method'], 'must be bilevel, enumerate or heuristic');
      const { loadCase } = await import('../../io/index.ts');
      const { bundledDataPath } = await import('../../io/bundled-data.ts');
      const { readTextFile } = await import('../../io/read-text-file.ts');
      const { parseJson } = await import('../../io/parse-json.ts');
      const { parsePlanningStudy } = await import('../../planning/study-schema.ts');
      const { planJson, solvePlan } = await import('../../planning/run-plan.ts');
      const path = Object.hasOwn(BUNDLED_STUDIES, studyArg)
        ? bundledDataPath(BUNDLED_STUDIES[studyArg])
        : studyArg;
      const study = parsePlanningStudy(parseJson(readTextFile(path), path), [path]);
      const network = study.network.case ? loadCase(study.network.case) : undefined;
      let bar:
        | { update(n: number): void; stop(): void; start(total: number, value: number): void }
        | undefined;
      const onProgress =
        output.isTty && !options.json
          ? async (done: number, total: number) => {
              if (!bar) {
                const { SingleBar } = await import('cli-progress');
                bar = new SingleBar({ stream: process.stderr });
                bar.start(total, 0);
              }
              bar.update(done);
            }
          : undefined;
      const { result, solution } = await solvePlan(study, network, {
        method,
        isP2pAllowed: options.p2p,
        timeLimitS: options.timeLimit,
        onProgress: onProgress ? (done, total) => void onProgress(done, total) : undefined,
      });
      bar?.stop();
      if (options.out) {
        const { writePlanOutputs } = await import('./plan-outputs.ts');
        await writePlanOutputs(options.out, study, network, result, solution, {
          deferralYears: options.deferralYears,
          timeLimitS: options.timeLimit,
        });
      }
      if (options.json) {
        writeJson(output, planJson(result));
        return;
      }
      output.stdout(
        [
          `${study.name}: ${result.status} by ${result.method}${result.isP2pAllowed ? '' : ' (no P2P)'} in ${result.wallS.toFixed(1)} s`,
          result.reason ??
            `total system cost ${result.objectiveEur.toFixed(2)} EUR/yr; upgrades: ${result.upgrades.join(', ') || 'none'}` +
              (result.lowerBoundEur === undefined
                ? ''
                : `; lower bound ${result.lowerBoundEur.toFixed(2)} EUR/yr, gap ${result.gapPct.toFixed(4)} %`),
          formatTable(
            ['charge', 'value'],
            Object.entries(result.charges).map(([k, v]) => [k, String(v)]),
          ),
          `adoption: PV ${result.adoption.pvKwp.toFixed(1)} kWp, battery ${result.adoption.batteryKwh.toFixed(1)} kWh, heat pumps ${result.adoption.heatPumps.toFixed(1)}`,
          '',
        ].join('\n'),
      );
    });
}
