// Benchmark of P2P clearing: consensus ADMM vs the centralised QP (sparse interior point) on all-pairs and sparse markets.
// Run: npx tsx bench/markets.bench.ts   (each case runs in its own child process so peak memory is per case)
import { fork } from 'node:child_process';
import { clearAdmm } from '../src/markets/admm.ts';
import type { MarketResult } from '../src/markets/book.ts';
import { buildCentralisedProblem, clearCentralised } from '../src/markets/centralised.ts';
import { solvePoolByBisection } from '../src/markets/pool-reference.ts';
import { generateMarketBook } from '../src/markets/random-market.ts';
import { solveWithHighs } from '../src/numeric/optimisation/highs-adapter.ts';
import { solveQp } from '../src/numeric/qp/index.ts';
import { checkKkt } from '../src/numeric/qp/qp-test-helpers.ts';
import { uniformGenerator } from '../src/numeric/random.ts';

interface BenchCase {
  readonly name: string;
  readonly agentCount: number;
  readonly partnersPerBuyer?: number;
  readonly tradeCostMaxEurPerKwh: number;
  /** Time limit (s) of the centralised QP (interior point). */
  readonly centralisedTimeLimitS: number;
  /** Exact reference for ADMM and the welfare gap: the uniform-price pool (all pairs, no fees) or HiGHS' QP. */
  readonly reference: 'pool-bisection' | 'highs' | 'kkt';
}

/** ADMM runs at its default stopping tolerance (1e-6 on both normalised residuals, src/markets/README.md). */
const ADMM_TOLERANCE = 1e-6;

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
    reference: 'highs',
  },
  {
    // From here on HiGHS' QP solver does not finish (1,000 agents: not_converged at 120 s; 2,000: status error
    // after 3.4 s), so the centralised solution is checked by its KKT conditions and duality gap.
    name: 'sparse-2000x20-fees',
    agentCount: 2000,
    partnersPerBuyer: 20,
    tradeCostMaxEurPerKwh: 0.02,
    centralisedTimeLimitS: 60,
    reference: 'kkt',
  },
  {
    name: 'sparse-10000x20-fees',
    agentCount: 10_000,
    partnersPerBuyer: 20,
    tradeCostMaxEurPerKwh: 0.02,
    centralisedTimeLimitS: 60,
    reference: 'kkt',
  },
];

const peakMemoryMiB = () => process.resourceUsage().maxRSS / 1024;

type Solver = 'admm' | 'centralised' | 'reference' | 'kkt';

async function runCase(benchCase: BenchCase, solver: Solver): Promise<object> {
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
  if (solver === 'kkt') {
    // The centralised QP's solution checked from the problem data alone (bounds, stationarity, duality gap).
    const { problem } = buildCentralisedProblem(book);
    const qp = solveQp(problem);
    const kkt = checkKkt(problem, qp.x, qp.rowDual, qp.colDual);
    return { ...kkt, status: qp.status, objectiveEur: Number.NaN, eKwh: [], timeMs: 0, peakMiB: 0 };
  }
  if (benchCase.reference === 'pool-bisection') return finish(solvePoolByBisection(book));
  // HiGHS' QP solver on the trade-form problem; its objective is scaled like ours (buildCentralisedProblem).
  const { problem, agentCol } = buildCentralisedProblem(book);
  const scale = 1 / Math.max(...book.agents.map((a) => a.costQuadEurPerKwh2));
  const highs = await solveWithHighs(problem, { timeLimitS: 120 });
  return finish({
    status: highs.status,
    objectiveEur: highs.objective / scale,
    eKwh: agentCol.map((j) => highs.x[j]),
  });
}

interface ChildReport {
  readonly status?: string;
  readonly primalViolation?: number;
  readonly stationarity?: number;
  readonly relativeGap?: number;
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
    const report = await runCase(benchCase, process.argv[caseIndex + 2] as Solver);
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
    'ref ms',
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
    const central = await runInChild(benchCase.name, 'centralised');
    const isCentralOptimal = central?.status === 'optimal';
    // Without an independent optimum (kkt), ADMM is compared with the centralised QP, whose KKT residuals and
    // duality gap are printed instead of a welfare gap.
    const kkt = benchCase.reference === 'kkt' ? await runInChild(benchCase.name, 'kkt') : undefined;
    const reference = kkt ? central : await runInChild(benchCase.name, 'reference');
    const referenceName = kkt
      ? `central QP, KKT: primal ${kkt.primalViolation?.toExponential(1)} stationarity ${kkt.stationarity?.toExponential(1)} duality gap ${kkt.relativeGap?.toExponential(1)}`
      : `${benchCase.reference} (${reference.status ?? 'exact'})`;
    const hasReference = reference.status === undefined || reference.status === 'optimal';
    const gap = (x: ChildReport) =>
      hasReference
        ? (
            Math.abs(x.objectiveEur - reference.objectiveEur) / Math.abs(reference.objectiveEur)
          ).toExponential(2)
        : '-';
    console.log(
      [
        benchCase.name,
        benchCase.agentCount,
        book.tradeBuyer.length,
        `${admm.iterations} ${admm.status}`,
        fmt(admm.timeMs),
        fmt(admm.peakMiB),
        String(central.status),
        fmt(central.timeMs),
        fmt(central.peakMiB),
        isCentralOptimal ? fmt(admm.timeMs / central.timeMs, 3) : '-',
        referenceName,
        kkt ? '-' : fmt(reference.timeMs),
        isCentralOptimal && !kkt ? gap(central) : '-',
        gap(admm),
        hasReference ? positionError(admm.eKwh, reference.eKwh).toExponential(2) : '-',
      ].join(' | '),
    );
  }
}

await main();
