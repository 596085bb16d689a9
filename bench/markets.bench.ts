// Benchmark of P2P clearing: consensus ADMM vs the centralised QP (HiGHS) on all-pairs and sparse markets.
// Run: npx tsx bench/markets.bench.ts   (each case runs in its own child process so peak memory is per case)
import { fork } from 'node:child_process';
import { clearAdmm } from '../src/markets/admm.ts';
import { clearCentralised } from '../src/markets/centralised.ts';
import { solvePoolByBisection } from '../src/markets/pool-reference.ts';
import { generateMarketBook } from '../src/markets/random-market.ts';
import { uniformGenerator } from '../src/numeric/random.ts';

interface BenchCase {
  readonly name: string;
  readonly agentCount: number;
  readonly partnersPerBuyer?: number;
  readonly tradeCostMaxEurPerKwh: number;
  /** Try the centralised QP, with this HiGHS time limit (s); absent = skipped as too big. */
  readonly centralisedTimeLimitS?: number;
  /** ADMM stopping tolerance: the loosest that brings the objective within 1e-4 of the reference. */
  readonly admmTolerance: number;
  /** Reference when the centralised QP is not available. */
  readonly reference: 'centralised' | 'pool-bisection' | 'tight-admm';
}

const TIGHT_ADMM_TOLERANCE = 1e-6;

const CASES: readonly BenchCase[] = [
  {
    name: 'all-pairs-200',
    agentCount: 200,
    tradeCostMaxEurPerKwh: 0,
    centralisedTimeLimitS: 60,
    admmTolerance: 1e-5,
    reference: 'centralised',
  },
  {
    name: 'all-pairs-500',
    agentCount: 500,
    tradeCostMaxEurPerKwh: 0,
    centralisedTimeLimitS: 60,
    admmTolerance: 1e-5,
    reference: 'pool-bisection',
  },
  {
    name: 'all-pairs-1000',
    agentCount: 1000,
    tradeCostMaxEurPerKwh: 0,
    admmTolerance: 1e-5,
    reference: 'pool-bisection',
  },
  {
    name: 'sparse-500x20-fees',
    agentCount: 500,
    partnersPerBuyer: 20,
    tradeCostMaxEurPerKwh: 0.02,
    centralisedTimeLimitS: 60,
    admmTolerance: 1e-4,
    reference: 'centralised',
  },
  {
    name: 'sparse-10000x20-fees',
    agentCount: 10_000,
    partnersPerBuyer: 20,
    tradeCostMaxEurPerKwh: 0.02,
    centralisedTimeLimitS: 60,
    admmTolerance: 1e-4,
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
  if (solver === 'admm') {
    const result = clearAdmm(book, { tolerance: benchCase.admmTolerance, maxIterations: 50_000 });
    const timeMs = performance.now() - started;
    return {
      status: result.status,
      iterations: result.iterations,
      timeMs,
      objectiveEur: result.objectiveEur,
      peakMiB: peakMemoryMiB(),
    };
  }
  if (solver === 'centralised') {
    const result = await clearCentralised(book, { timeLimitS: benchCase.centralisedTimeLimitS });
    const timeMs = performance.now() - started;
    return {
      status: result.status,
      iterations: 1,
      timeMs,
      objectiveEur: result.objectiveEur,
      peakMiB: peakMemoryMiB(),
    };
  }
  if (benchCase.reference === 'pool-bisection')
    return { objectiveEur: solvePoolByBisection(book).objectiveEur, timeMs: performance.now() - started };
  const tight = clearAdmm(book, { tolerance: TIGHT_ADMM_TOLERANCE, maxIterations: 50_000 });
  return {
    objectiveEur: tight.objectiveEur,
    status: tight.status,
    iterations: tight.iterations,
    timeMs: performance.now() - started,
  };
}

/** Run one (case, solver) in a child process, so that its peak resident memory is its own. */
function runInChild(name: string, solver: string): Promise<Record<string, number | string>> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url).pathname, ['--case', name, solver], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.on('message', (message) => resolve(message as Record<string, number | string>));
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
    'admm tol = stopping tolerance on the normalised primal and dual residuals; centralised = trade-form QP in HiGHS',
  );
  const header = [
    'case',
    'agents',
    'trades',
    'admm tol',
    'admm it',
    'admm ms',
    'admm MiB',
    'central',
    'central ms',
    'central MiB',
    'admm/central time',
    'reference',
    'admm obj gap',
  ];
  console.log(header.join(' | '));
  for (const benchCase of CASES) {
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
      benchCase.reference === 'centralised' || isCentralOptimal
        ? central!
        : await runInChild(benchCase.name, 'reference');
    const referenceName =
      benchCase.reference === 'centralised' || isCentralOptimal ? 'centralised' : benchCase.reference;
    const gap =
      Math.abs((admm.objectiveEur as number) - (reference.objectiveEur as number)) /
      Math.abs(reference.objectiveEur as number);
    console.log(
      [
        benchCase.name,
        benchCase.agentCount,
        book.tradeBuyer.length,
        benchCase.admmTolerance,
        `${admm.iterations} ${admm.status}`,
        fmt(admm.timeMs),
        fmt(admm.peakMiB),
        central ? String(central.status) : 'skipped (too big)',
        central ? fmt(central.timeMs) : '-',
        central ? fmt(central.peakMiB) : '-',
        isCentralOptimal ? fmt((admm.timeMs as number) / (central!.timeMs as number), 3) : '-',
        referenceName === 'tight-admm'
          ? `admm@${TIGHT_ADMM_TOLERANCE} (${reference.iterations} it)`
          : referenceName,
        gap.toExponential(2),
      ].join(' | '),
    );
  }
  console.log(
    'notes: peak MiB = process maxRSS of the child that ran the solver (includes Node and, for centralised, the HiGHS heap).',
  );
  console.log(
    '       all-pairs-1000 has 250,000 trade variables; the centralised QP is skipped there because HiGHS does not finish',
  );
  console.log(
    '       the 62,500-variable all-pairs-500 QP within its time limit; its reference is the pool optimum by price bisection',
  );
  console.log(
    '       (exact for zero trade costs). Where HiGHS fails on the 10,000-agent QP, the reference is admm at 1e-6.',
  );
}

await main();
