// `gridnest policy capacity-market|cfd STUDY [--json] [--out DIR]`: policy mechanisms P2P platforms take part in.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliOutput, formatTable, writeJson } from '../output.ts';

interface PolicyCliOptions {
  readonly json?: boolean;
  readonly out?: string;
}

/** Bundled policy studies (data/policy/). */
const BUNDLED_POLICY_STUDIES: Readonly<Record<string, string>> = {
  'default-policy': 'policy/default-policy.json',
};

async function loadPolicyStudy(studyArg: string) {
  const { bundledDataPath } = await import('../../io/bundled-data.ts');
  const { readTextFile } = await import('../../io/read-text-file.ts');
  const { parseJson } = await import('../../io/parse-json.ts');
  const { parsePolicyStudy } = await import('../../policy/policy-study.ts');
  const { readStudy, resolveSystemStudy, BUNDLED_STUDIES } = await import('../../studies/system/index.ts');
  const path = Object.hasOwn(BUNDLED_POLICY_STUDIES, studyArg)
    ? bundledDataPath(BUNDLED_POLICY_STUDIES[studyArg])
    : studyArg;
  const study = parsePolicyStudy(parseJson(readTextFile(path), path), [path]);
  const system = (BUNDLED_STUDIES as readonly string[]).includes(study.systemStudy)
    ? study.systemStudy
    : resolve(dirname(path), study.systemStudy);
  const modelForSeed = (seed: number) => {
    const { document, baseDir } = readStudy(system, { seed });
    return resolveSystemStudy(document, baseDir, { days: study.days });
  };
  return { study, modelForSeed };
}

async function progress(output: CliOutput, options: PolicyCliOptions, name: string) {
  if (!output.isTty || options.json) return { onProgress: undefined, stop: () => {} };
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({ stream: process.stderr, format: `${name} [{bar}] {value}/{total} {label}` });
  let started = false;
  return {
    onProgress: (done: number, total: number, label: string) => {
      if (!started) bar.start(total, done, { label });
      started = true;
      bar.update(done, { label });
    },
    stop: () => bar.stop(),
  };
}

/** `simulate --policy PATH`: a folder holding capacity-market.json and/or cfd.json, or one of those files. */
export async function readPolicyValue(path: string) {
  const { readTextFile } = await import('../../io/read-text-file.ts');
  const { parseJson } = await import('../../io/parse-json.ts');
  const { parsePolicyValue, policyValueFacts, policyValueRows } = await import('../../value/policy-value.ts');
  const files =
    existsSync(path) && statSync(path).isDirectory()
      ? ['capacity-market.json', 'cfd.json'].map((f) => join(path, f)).filter((f) => existsSync(f))
      : [path];
  const value = parsePolicyValue(
    Object.fromEntries(files.map((f) => [basename(f), parseJson(readTextFile(f), f)])),
  );
  return {
    value,
    rows: (runs: readonly string[]) => policyValueRows(value, runs),
    facts: () => policyValueFacts(value),
  };
}

function writeOut(dir: string | undefined, file: string, value: unknown): void {
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
}

export function registerPolicyCommand(program: Command, output: CliOutput): void {
  const policy = program
    .command('policy')
    .description(
      'policy mechanisms with P2P platforms as participants: capacity market, contract for difference',
    );
  const studyHelp = `a policy study JSON file or a bundled name: ${Object.keys(BUNDLED_POLICY_STUDIES).join(', ')}`;
  policy
    .command('capacity-market')
    .description(
      'derate platform offers from simulated stress-hour delivery, clear the auction, book penalties',
    )
    .argument('<study>', studyHelp)
    .option('--json', 'print one JSON object')
    .option('--out <dir>', 'write capacity-market.json (read by `simulate --policy DIR`)')
    .action(async (studyArg: string, options: PolicyCliOptions) => {
      const { study, modelForSeed } = await loadPolicyStudy(studyArg);
      const { runCapacityMarket } = await import('../../policy/run-policy.ts');
      const bar = await progress(output, options, 'capacity market');
      const outcome = await runCapacityMarket(study, { modelForSeed, onProgress: bar.onProgress });
      bar.stop();
      const document = { status: 'ok', mechanism: 'capacity-market', ...outcome };
      writeOut(options.out, 'capacity-market.json', document);
      if (options.json) return writeJson(output, document);
      const a = outcome.auction;
      output.stdout(
        [
          `${outcome.study}: capacity auction ${a.status}, clearing price ${a.clearingPriceEurPerMwYr.toFixed(2)} EUR/MW/yr, accepted ${a.acceptedMw.toFixed(3)} MW (shortfall ${a.shortfallMw.toFixed(3)} MW)`,
          formatTable(
            ['bid', 'derated MW', 'accepted MW', 'payment EUR/yr'],
            a.bids.map((b) => [
              b.id,
              b.deratedMw.toFixed(3),
              b.acceptedMw.toFixed(3),
              b.paymentEurPerYr.toFixed(2),
            ]),
          ),
          formatTable(
            ['platform', 'offered MW', 'derating', 'delivery-year shortfall MWh', 'penalty EUR'],
            outcome.platforms.map((p, i) => [
              p.platform,
              p.offeredMw.toFixed(3),
              p.deratingFactor.toFixed(4),
              outcome.penalties[i].shortfallMwh.toFixed(3),
              outcome.penalties[i].penaltyEur.toFixed(2),
            ]),
          ),
          `platforms' net capacity revenue ${outcome.platformNetRevenueEur.toFixed(2)} EUR/yr; ledger total ${outcome.ledgerTotalMicroEur} micro-EUR`,
          '',
        ].join('\n'),
      );
    });
  policy
    .command('cfd')
    .description(
      "settle a two-way CfD on a platform's aggregated PV + battery output against a reference price",
    )
    .argument('<study>', studyHelp)
    .option('--json', 'print one JSON object')
    .option('--out <dir>', 'write cfd.json (read by `simulate --policy DIR`)')
    .action(async (studyArg: string, options: PolicyCliOptions) => {
      const { study, modelForSeed } = await loadPolicyStudy(studyArg);
      const { runCfd } = await import('../../policy/run-policy.ts');
      const bar = await progress(output, options, 'cfd');
      const outcome = await runCfd(study, { modelForSeed, onProgress: bar.onProgress });
      bar.stop();
      const document = { status: 'ok', mechanism: 'cfd', ...outcome };
      writeOut(options.out, 'cfd.json', document);
      if (options.json) return writeJson(output, document);
      const s = outcome.settlement;
      output.stdout(
        [
          `${outcome.study}: CfD with ${outcome.platform} at strike ${s.strikeEurPerMwh} EUR/MWh on the ${outcome.reference} price (seed ${outcome.seed})`,
          `volume ${s.volumeMwh.toFixed(3)} MWh; paid to the platform ${s.paidToPlatformEur.toFixed(2)} EUR, paid back ${s.paidByPlatformEur.toFixed(2)} EUR, net ${s.netPaymentEur.toFixed(2)} EUR; hedged revenue ${s.hedgedRevenueEur.toFixed(2)} EUR`,
          `${outcome.ledgerTransactions} difference payments booked; ledger total ${outcome.ledgerTotalMicroEur} micro-EUR`,
          '',
        ].join('\n'),
      );
    });
}
