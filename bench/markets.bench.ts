// Benchmark of P2P clearing: consensus ADMM vs the centralised QP (sparse interior point) on all-pairs and sparse markets.
// Run: npx tsx bench/markets.bench.ts   (each case runs in its own child process so peak memory is per case)
import { fork } from 'node:child_process';
import { clearAdmm } from '../src/markets/admm.ts';
import type { MarketResult } from '../src/markets/book.ts';
import { clearCentralised } from '../src/markets/centralised.ts';
import { solvePoolByBisection } from '../src/markets/pool-reference.ts';
import { generateMarketBook } from '../src/markets/random-market.ts';
import { uniformGenerator } from '../src/numeric/random.ts';

interface BenchCase {
  readonly name: string;
  readonly agentCount: number;
  readonly partnersPerBuyer?: number;
  readonly tradeCostMaxEurPerKwh: number;
  /** Run the centralised QP (interior point) with this time limit (s); absent = skipped, with the reason. */
  readonly centralisedTimeLimitS?: number;
  readonly centralisedSkipReason?: string;
  /** Exact reference: the uniform-price pool (all pairs, no fees) or the centralised QP. */
  readonly reference: 'centralised' | 'pool-bisection' | 'tight-admm';
}

/** ADMM runs at its default stopping tolerance (1e-6 on both normalised residuals, src/markets/README.md). */
const ADMM_TOLERANCE = 1e-6;
const TIGHT_ADMM_TOLERANCE = 1e-7;

const CASES: readonly BenchCase[] = [
  {
    name: 'all-pairs-200',
    agentCount: 200,
    tradeCostMaxEurPerKwh: 0,
    centralisedTimeLimitS: 60,
    reference: 'pool-bisection',
  },
  {
    name: 'all-pairs-500',
    agentCount: 500,
    tradeCostMaxEurPerKwh: 0,
    centralisedTimeLimitS: 60,
    reference: 'pool-bisection',
  },
  {
    name: 'all-pairs-1000',
    agentCount: 1000,
    tradeCostMaxEurPerKwh: 0,
    centralisedTimeLimitS: 60,
    reference: 'pool-bisection',
  },
  {
    name: 'sparse-500x20-fees',
    agentCount: 500,
    partnersPerBuyer: 20,
    tradeCostMaxEurPerKwh: 0.02,
    centralisedTimeLimitS: 60,
    reference: 'centralised',
  },
  {
    name: 'sparse-10000x20-fees',
    agentCount: 10_000,
    partnersPerBuyer: 20,
    tradeCostMaxEurPerKwh: 0.02,
    centralisedSkipReason: 'random partner graph: LDLᵀ fill 12.3M entries (dense ~4,000-agent separator)',
    reference: 'tight-admm',
  },
];

const peakMemoryMiB = () => process.resourceUsage().maxRSS / 1024;

async function runCase(benchCase: BenchCase, solver: 'admm' | 'centralised' | 'reference'): Promise<object> {
  const book = generateMarketBook(uniformGenerator(benchCase.agentCount), {
    agentCount: benchCase.agentCount,
    partnersPerBuyer: benchCase.partnersPerBuyer,
    tradeCostMaxEurPerKwh: benchCase.tradeCostMaxEurPerKwh,
  });
  const started = performance.now();
  const finish = (result: {
    status?: string;
    iterations?: number;
    objectiveEur: number;
    eKwh: number[];
  }) => ({
    ...result,
    timeMs: performance.now() - started,
    peakMiB: peakMemoryMiB(),
  });
  const positions = (result: MarketResult) => result.agents.map((a) => a.eKwh);
  if (solver === 'admm') {
    const result = clearAdmm(book, { tolerance: ADMM_TOLERANCE, maxIterations: 100_000 });
    return finish({ ...result, eKwh: positions(result) });
  }
  if (solver === 'centralised') {
    const result = await clearCentralised(book, { timeLimitS: benchCase.centralisedTimeLimitS });
    return finish({ ...result, eKwh: positions(result) });
  }
  if (benchCase.reference === 'pool-bisection') return finish(solvePoolByBisection(book));
  const tight = clearAdmm(book, { tolerance: TIGHT_ADMM_TOLERANCE, maxIterations: 200_000 });
  return finish({ ...tight, eKwh: positions(tight) });
}

interface ChildReport {
  readonly status?: string;
  readonly iterations?: number;
  readonly objectiveEur: number;
  readonly eKwh: number[];
  readonly timeMs: number;
  readonly peakMiB: number;
}

/** Largest |e − e_ref| over agents relative to the largest |e_ref|. */
function positionError(e: readonly number[], reference: readonly number[]): number {
  let worst = 0;
  let largest = 0;
  for (let i = 0; i < reference.length; i++) {
    worst = Math.max(worst, Math.abs(e[i] - reference[i]));
    largest = Math.max(largest, Math.abs(reference[i]));
  }
  return worst / largest;
}

/** Run one (case, solver) in a child process, so that its peak resident memory is its own. */
function runInChild(name: string, solver: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url).pathname, ['--case', name, solver], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.on('message', (message) => resolve(message as ChildReport));
    child.on('exit', (code) =>
      code === 0 ? undefined : reject(new Error(`${name}/${solver} exited with ${code}`)),
    );
  });
}

const fmt = (value: unknown, digits = 0) =>
  typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : String(value ?? '-');

async function main(): Promise<void> {
  const caseIndex = process.argv.indexOf('--case');
  if (caseIndex >= 0) {
    const benchCase = CASES.find((c) => c.name === process.argv[caseIndex + 1])!;
    const report = await runCase(
      benchCase,
      process.argv[caseIndex + 2] as 'admm' | 'centralised' | 'reference',
    );
    process.send!(report, () => process.exit(0));
    return;
  }
  console.log(
    `gridnest market clearing benchmark (node ${process.version}, ${process.platform}/${process.arch})`,
  );
  console.log(
    `admm at tolerance ${ADMM_TOLERANCE} (primal ‖y_nm + y_mn‖∞/E and dual ρ‖Δconsensus‖∞/P); centralised = trade-form QP, sparse interior point (numeric/qp)`,
  );
  console.log(
    'welfare gap = |objective − reference| / |reference|; position error = max_i |e_i − e_i,ref| / max_i |e_i,ref|',
  );
  const header = [
    'case',
    'agents',
    'trades',
    'admm it',
    'admm ms',
    'admm MiB',
    'central',
    'central ms',
    'central MiB',
    'admm/central time',
    'reference',
    'central welfare gap',
    'admm welfare gap',
    'admm position error',
  ];
  console.log(header.join(' | '));
  const only = process.argv.indexOf('--only');
  for (const benchCase of CASES) {
    if (only >= 0 && benchCase.name !== process.argv[only + 1]) continue;
    const book = generateMarketBook(uniformGenerator(benchCase.agentCount), {
      agentCount: benchCase.agentCount,
      partnersPerBuyer: benchCase.partnersPerBuyer,
      tradeCostMaxEurPerKwh: benchCase.tradeCostMaxEurPerKwh,
    });
    const admm = await runInChild(benchCase.name, 'admm');
    const central =
      benchCase.centralisedTimeLimitS === undefined
        ? undefined
        : await runInChild(benchCase.name, 'centralised');
    const isCentralOptimal = central?.status === 'optimal';
    const reference =
      benchCase.reference === 'centralised' ? central! : await runInChild(benchCase.name, 'reference');
    const referenceName =
      benchCase.reference === 'tight-admm'
        ? `admm@${TIGHT_ADMM_TOLERANCE} (${reference.iterations} it, not exact)`
        : benchCase.reference;
    const gap = (x: ChildReport) =>
      Math.abs(x.objectiveEur - reference.objectiveEur) / Math.abs(reference.objectiveEur);
    console.log(
      [
        benchCase.name,
        benchCase.agentCount,
        book.tradeBuyer.length,
        `${admm.iterations} ${admm.status}`,
        fmt(admm.timeMs),
        fmt(admm.peakMiB),
        central ? String(central.status) : `skipped: ${benchCase.centralisedSkipReason}`,
        central ? fmt(central.timeMs) : '-',
        central ? fmt(central.peakMiB) : '-',
        isCentralOptimal ? fmt(admm.timeMs / central!.timeMs, 3) : '-',
        referenceName,
        isCentralOptimal && benchCase.reference !== 'centralised' ? gap(central!).toExponential(2) : '-',
        gap(admm).toExponential(2),
        positionError(admm.eKwh, reference.eKwh).toExponential(2),
      ].join(' | '),
    );
  }
}

await main();
