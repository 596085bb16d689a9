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

/** One `policy` subcommand: load the study, run the mechanism with a progress bar, write/print its document. */
function addMechanism<T extends object>(
  policy: Command,
  output: CliOutput,
  spec: {
    readonly name: 'capacity-market' | 'cfd';
    readonly description: string;
    readonly run: (study: PolicyStudyRun['study'], o: Parameters<RunPolicy>[1]) => Promise<T>;
    readonly print: (outcome: T) => string[];
  },
): void {
  policy
    .command(spec.name)
    .description(spec.description)
    .argument(
      '<study>',
      `a policy study JSON file or a bundled name: ${Object.keys(BUNDLED_POLICY_STUDIES).join(', ')}`,
    )
    .option('--json', 'print one JSON object')
    .option('--out <dir>', `write ${spec.name}.json (read by \`simulate --policy DIR\`)`)
    .action(async (studyArg: string, options: PolicyCliOptions) => {
      const { study, modelForSeed } = await loadPolicyStudy(studyArg);
      const bar = await progress(output, options, spec.name);
      const outcome = await spec.run(study, { modelForSeed, onProgress: bar.onProgress });
      bar.stop();
      const document = { status: 'ok', mechanism: spec.name, ...outcome };
      writeOut(options.out, `${spec.name}.json`, document);
      if (options.json) return writeJson(output, document);
      output.stdout([...spec.print(outcome), ''].join('\n'));
    });
}

type PolicyStudyRun = Awaited<ReturnType<typeof loadPolicyStudy>>;
type RunPolicy = typeof import('../../policy/run-policy.ts').runCfd;

export function registerPolicyCommand(program: Command, output: CliOutput): void {
  const policy = program
    .command('policy')
    .description(
      'policy mechanisms with P2P platforms as participants: capacity market, contract for difference',
    );
  addMechanism(policy, output, {
    name: 'capacity-market',
    description:
      'derate platform offers from simulated stress-hour delivery, clear the auction, book penalties',
    run: async (study, o) => (await import('../../policy/run-policy.ts')).runCapacityMarket(study, o),
    print: (outcome) => {
      const a = outcome.auction;
      return [
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
      ];
    },
  });
  addMechanism(policy, output, {
    name: 'cfd',
    description:
      "settle a two-way CfD on a platform's aggregated PV + battery output against a reference price",
    run: async (study, o) => (await import('../../policy/run-policy.ts')).runCfd(study, o),
    print: (outcome) => {
      const s = outcome.settlement;
      return [
        `${outcome.study}: CfD with ${outcome.platform} at strike ${s.strikeEurPerMwh} EUR/MWh on the ${outcome.reference} price (seed ${outcome.seed})`,
        `volume ${s.volumeMwh.toFixed(3)} MWh; paid to the platform ${s.paidToPlatformEur.toFixed(2)} EUR, paid back ${s.paidByPlatformEur.toFixed(2)} EUR, net ${s.netPaymentEur.toFixed(2)} EUR; hedged revenue ${s.hedgedRevenueEur.toFixed(2)} EUR`,
        `${outcome.ledgerTransactions} difference payments booked; ledger total ${outcome.ledgerTotalMicroEur} micro-EUR`,
      ];
    },
  });
}
