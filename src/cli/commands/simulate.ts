// `gridnest simulate [STUDY]`: system-wide simulation (TSO → DSO → P2P platforms → prosumers), time series, ledger, report.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { NegotiationStats } from '../../coordination/mechanism.ts';
import { InputError, parseInput } from '../../core/errors.ts';
import { type CliOutput, writeJson } from '../output.ts';
import { cliCoordination, parseCoordinationList, parseNegotiationFlags } from './coordination-list.ts';
import { parsePositiveInteger } from './option-parsers.ts';
import { readPolicyValue } from './policy.ts';
import { systemModelFacts } from './simulate-facts.ts';
import { distributedRunner } from './simulate-processes.ts';
import { type Row, toCsv, writeTable } from './simulate-tables.ts';

interface SimulateOptions {
  coordination: string;
  study?: string;
  risk?: string;
  scenarios?: string;
  messageLoss?: string;
  maxDelayRounds?: string;
  days?: number;
  seed?: number;
  out: string;
  workers?: number;
  json?: boolean;
  lvModel: 'balanced' | 'three-phase';
  plan?: string;
  policy?: string;
  processes?: number;
  nats?: string;
  localWorkers?: number;
}

const parseNonNegativeInteger = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
};

export function registerSimulateCommand(program: Command, output: CliOutput): void {
  program
    .command('simulate')
    .description(
      'simulate a system study day by day (day-ahead, intraday, real-time, settlement) as a baseline run and under ' +
        'each coordination of --coordination; write time series (Parquet + CSV) of the charted run, the ledger, ' +
        'value.json and report.html to --out. Without a study it runs the bundled `default` (case14 + CIGRE ' +
        'MV at bus 4 + five replicated IEEE European LV platforms); `gridnest study show NAME` prints a bundled ' +
        'study to copy and edit. Progress bar on stderr when it is a terminal',
    )
    .argument('[study]', 'same as --study')
    .option(
      '--study <name|file>',
      'bundled study (default, stressed) or a study file: a study file (studyFormatVersion 1) or a full scenario ' +
        'document with an optional `simulation` section; relative paths in it start at its directory',
    )
    .addOption(
      new Option(
        '--coordination <names>',
        'comma-separated coordinations to run, or `all`; the last one is charted and exported in detail',
      ).default('none,dso-pricing'),
    )
    .option(
      '--risk <epsilon>',
      'dso-pricing: allowed probability of a feeder interval breaking a limit (default 0.05)',
    )
    .option('--scenarios <n>', 'dso-pricing: net-load scenarios per feeder-day (default 24)')
    .option('--message-loss <p>', 'negotiation: probability that a message is lost (default 0)')
    .option('--max-delay-rounds <n>', 'negotiation: largest message delay in rounds (default 0)')
    .option('--days <n>', 'days to simulate (default: the study’s, 1)', parsePositiveInteger)
    .option('--seed <s>', 'master seed (overrides the study’s seeds.master)', parseNonNegativeInteger)
    .option(
      '--workers <n>',
      'worker threads for prosumer LPs (default: 0 below 500 prosumers, else CPUs)',
      parseNonNegativeInteger,
    )
    .addOption(
      new Option('--lv-model <model>', 'LV feeders balanced or three-phase (IEEE European LV; adds VUF)')
        .choices(['balanced', 'three-phase'])
        .default('balanced'),
    )
    .requiredOption('--out <dir>', 'output directory (created; files in it are overwritten)')
    .option('--json', 'print a JSON summary instead of the value table')
    .option(
      '--processes <n>',
      'run each simulation on N worker processes over NATS JetStream',
      parsePositiveInteger,
    )
    .option('--nats <url>', 'with --processes: NATS server (-js) to use instead of a local nats-server')
    .option(
      '--local-workers <n>',
      'with --processes: workers started here (default N, 0 with --nats)',
      parseNonNegativeInteger,
    )
    .option(
      '--plan <path>',
      'plan.json of `gridnest plan --out` (or its folder): deferred-upgrade value, both plans',
    )
    .option('--policy <path>', 'output folder of `gridnest policy ... --out` (value category viii)')
    .action(async (studyArgument: string | undefined, options: SimulateOptions) => {
      // Heavy modules load only when the command runs.
      const { readStudy, resolveSystemStudy } = await import('../../studies/system/index.ts');
      const { simulateSystem } = await import('../../hierarchy/engine.ts');
      const { createCoordination, dsoPricingFieldSchemas } = await import('../../coordination/index.ts');
      const {
        buildGridSnapshot,
        buildValueTable,
        coordinationValueRows,
        formatValueTable,
        renderReportHtml,
        stageRules,
        summariseRun,
      } = await import('../../value/index.ts');
      const { microEurToEur } = await import('../../ledger/money.ts');

      // 1. Validate everything before writing anything.
      const coordinations = parseCoordinationList(options.coordination);
      const charted = coordinations[coordinations.length - 1];
      if (studyArgument !== undefined && options.study !== undefined && studyArgument !== options.study)
        throw InputError.single(
          'bad_option',
          ['--study'],
          'give the study either as an argument or as --study',
        );
      const { document, baseDir } = readStudy(studyArgument ?? options.study, { seed: options.seed });
      const model = resolveSystemStudy(document, baseDir, { days: options.days, lvModel: options.lvModel });
      const plan = options.plan ? (await import('./plan-outputs.ts')).readPlanFile(options.plan) : undefined;
      const policy = options.policy ? await readPolicyValue(options.policy) : undefined;
      try {
        if (!statSync(options.out).isDirectory())
          throw InputError.single('bad_option', ['--out'], `${options.out} exists and is not a directory`);
      } catch (error) {
        if (error instanceof InputError) throw error;
      }
      const prosumerCount = model.dsos.reduce(
        (a, d) => a + d.feeders.reduce((b, f) => b + f.members.length, 0),
        0,
      );
      const workers = options.workers ?? (prosumerCount < 500 ? 0 : availableParallelism());
      // Mechanism options: the study's `simulation.coordination`, overridden by --risk / --scenarios.
      const { negotiation: studyNegotiation, ...dsoPricingOptions } = model.config.coordination;
      const coordinationOptions = {
        ...dsoPricingOptions,
        ...(options.risk !== undefined && {
          riskLevel: parseInput(dsoPricingFieldSchemas.riskLevel, Number(options.risk), ['--risk']),
        }),
        ...(options.scenarios !== undefined && {
          scenarioCount: parseInput(dsoPricingFieldSchemas.scenarioCount, Number(options.scenarios), [
            '--scenarios',
          ]),
        }),
      };
      // The study's `simulation.coordination.negotiation`, overridden by --message-loss / --max-delay-rounds.
      const negotiationOptions = { ...studyNegotiation, ...parseNegotiationFlags(options) };
      const coordinationConfig = (name: (typeof coordinations)[number]) =>
        name === 'dso-pricing'
          ? { name, ...coordinationOptions }
          : name === 'negotiation' || name === 'negotiation+mpc'
            ? { name, ...negotiationOptions }
            : cliCoordination(name);

      // 2. Run the baseline and each coordination.
      const runs = [
        { name: 'baseline', coordination: 'none' as const, isBaseline: true },
        ...coordinations.map((name) => ({ name, coordination: name, isBaseline: false })),
      ];
      const { SingleBar } = await import('cli-progress');
      const bar = output.isTty
        ? new SingleBar({ stream: process.stderr, format: 'simulate [{bar}] {value}/{total} {label}' })
        : undefined;
      const started = performance.now();
      const results = [];
      let offset = 0;
      const runner = await distributedRunner(options, { document, baseDir, lvModel: options.lvModel });
      for (const run of runs) {
        const runStarted = performance.now();
        const mechanism = createCoordination(coordinationConfig(run.coordination), [
          'simulation',
          'coordination',
        ]);
        const result = await (runner?.run ?? simulateSystem)(model, {
          coordination: mechanism,
          coordinationConfig: coordinationConfig(run.coordination),
          isBaseline: run.isBaseline,
          recordFeederStates: run.name === charted,
          workers,
          ...(plan ? { plan: (await import('../../value/plan-deferral.ts')).planToLoad(plan) } : {}),
          onProgress: (done, total, label) => {
            if (!bar) return;
            if (done === 1 && offset === 0) bar.start(total * runs.length, 0, { label: '' });
            bar.update(offset + done, { label: `${run.name}: ${label}` });
            if (done === total) offset += total;
          },
        });
        const negotiation = (result as { negotiation?: NegotiationStats }).negotiation ??
          mechanism.negotiationStats?.() ?? { rounds: 0, messages: 0, bytes: 0 };
        results.push({
          name: run.name,
          result,
          negotiation,
          wallS: (performance.now() - runStarted) / 1000,
        });
      }
      await runner?.close();
      bar?.stop();
      const elapsedS = (performance.now() - started) / 1000;

      // 3. Value table and report.
      const runSummaries = results.map(({ name, result, negotiation, wallS }) => ({
        name,
        isBaseline: result.isBaseline,
        ...summariseRun(model, name, result, negotiation, wallS),
      }));
      const metrics = Object.fromEntries(runSummaries.map((r) => [r.name, r.metrics]));
      const summaries = runSummaries.filter((r) => !r.isBaseline).map((r) => r.summary);
      const { planDeferralFacts, planDeferralRows, planStageFacts } = await import(
        '../../value/plan-deferral.ts'
      );
      const table = [
        ...buildValueTable(metrics),
        ...coordinationValueRows(summaries),
        ...(plan ? planDeferralRows(plan, Object.keys(metrics)) : []),
        ...(policy?.rows(Object.keys(metrics)) ?? []),
      ];
      const primary = results.find((r) => r.name === charted)!;
      const dso = model.dsos[0];
      const busLoadMw = model.transmission.loads
        .filter((l) => String(l.bus) === String(dso.transmissionBus))
        .reduce((a, l) => a + l.pMw, 0);
      const gspMwh = primary.result.recorder.tso
        .filter((r) => r.dso === dso.id)
        .reduce((a, r) => a + r.realTimeMw, 0);
      const aggregateMwh = primary.result.recorder.tso
        .filter((r) => r.dso === dso.id)
        .reduce((a, r) => {
          const hour = new Date(r.timeUtc).getUTCHours();
          return a + busLoadMw * model.config.transmission.loadShape[hour] * (1 - dso.shareOfBusLoad);
        }, 0);
      const share = gspMwh / (gspMwh + aggregateMwh);
      const facts: [string, string][] = [
        ...systemModelFacts(model),
        [
          'distribution share at the GSP bus',
          `${(100 * share).toFixed(1)} % of the bus's energy is the DSO's real-time import (${charted})`,
        ],
        [
          'resolutions',
          `TSO ${model.config.resolutionsMin.tso}, DSO ${model.config.resolutionsMin.dso}, platform ${model.config.resolutionsMin.platform}, prosumer ${model.config.resolutionsMin.prosumer} min`,
        ],
        ['simulated prosumers', String(prosumerCount)],
        ['mediation rule', model.config.mediation],
        ['messages', results.map(({ name, result }) => `${name} ${result.messageCount}`).join(', ')],
        ...(plan ? [...planDeferralFacts(plan), ...planStageFacts(primary.result.recorder.planning)] : []),
        ...(policy?.facts() ?? []),
      ];
      const html = renderReportHtml({
        title: `gridnest system simulation: ${model.scenario.name}`,
        description: model.scenario.description ?? '',
        primary: { name: primary.name, recorder: primary.result.recorder },
        runs: results.map(({ name, result }) => ({ name, recorder: result.recorder })),
        valueTable: table,
        stages: stageRules(model.config),
        facts,
      });

      // 4. Write outputs (only now).
      const out = options.out;
      const seriesDir = join(out, 'timeseries');
      mkdirSync(seriesDir, { recursive: true });
      const rec = primary.result.recorder;
      const files: string[] = [];
      const rows = (items: readonly object[]) => items as unknown as Row[];
      for (const [name, data] of [
        ['tso', rows(rec.tso)],
        ['dso', rows(rec.dso)],
        ['platform', rows(rec.platform)],
        ['prosumer', rows(rec.prosumer)],
        ['trades', rows(rec.trades)],
        ['balance', rows(rec.balance)],
        ['mediation', rows(rec.mediation)],
        ['member-days', rows(rec.memberDays)],
      ] as const)
        files.push(...(await writeTable(seriesDir, name, data)).map((f) => `timeseries/${f}`));
      const ledger = primary.result.ledger;
      const postings = ledger.transactions.flatMap((t) =>
        t.postings.map((p) => ({
          transaction: t.id,
          description: t.description,
          account: p.accountId,
          amountMicroEur: p.amountMicroEur.toString(),
        })),
      );
      writeFileSync(join(out, 'ledger.csv'), toCsv(postings));
      const balances = ledger.accounts
        .map((a) => ({
          account: a.id,
          kind: a.kind,
          balanceMicroEur: ledger.balanceOf(a.id).toString(),
          balanceEur: microEurToEur(ledger.balanceOf(a.id)),
        }))
        .sort((x, y) => (x.account < y.account ? -1 : 1));
      writeFileSync(join(out, 'ledger-balances.csv'), toCsv(balances));
      const value = {
        status: 'ok',
        study: model.scenario.name,
        days: model.days,
        seed: model.scenario.seeds.master,
        charted,
        distributionShareOfGspBusEnergy: share,
        ledgerTotalMicroEur: ledger.totalBalance().toString(),
        table,
        ...(options.lvModel === 'three-phase' ? { lvUnbalance: lvUnbalanceSummary(rec.platform) } : {}),
      };
      writeFileSync(join(out, 'value.json'), `${JSON.stringify(value, null, 2)}\n`);
      writeFileSync(join(out, 'report.html'), html);
      writeFileSync(join(out, 'study.json'), `${JSON.stringify(document, null, 2)}\n`);
      writeFileSync(join(out, 'grid.json'), JSON.stringify(buildGridSnapshot(model, rec)));
      files.push('ledger.csv', 'ledger-balances.csv', 'value.json', 'report.html', 'study.json', 'grid.json');
      if (options.json) {
        writeJson(output, { ...value, runs: summaries, elapsedS, files });
        return;
      }
      output.stdout(
        [
          `${model.scenario.name}: ${model.days} day(s), ${prosumerCount} simulated prosumers, ${runs.length} runs in ${elapsedS.toFixed(1)} s; ledger total ${ledger.totalBalance()} micro-EUR`,
          '',
          formatValueTable(
            table,
            runs.map((r) => r.name),
          ),
          '',
          `wrote ${files.length} files to ${out} (report: ${join(out, 'report.html')})`,
          '',
        ].join('\n'),
      );
    });
}

/** Voltage unbalance of the charted run's three-phase feeders: the largest VUF and the platform intervals above 2 %. */
function lvUnbalanceSummary(rows: readonly { readonly vufMaxPct: number }[]) {
  const values = rows.map((r) => r.vufMaxPct).filter((v) => Number.isFinite(v));
  return {
    lvModel: 'three-phase',
    limitPct: 2,
    vufMaxPct: values.reduce((a, b) => Math.max(a, b), 0),
    intervalsOverLimit: values.filter((v) => v > 2).length,
    intervals: values.length,
  };
}
