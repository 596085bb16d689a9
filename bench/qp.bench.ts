// Benchmark of the sparse interior point QP solver (numeric/qp) against HiGHS' QP solver on the same problems.
// Run: npx tsx bench/qp.bench.ts   (CPU time per solve, warm; objective agreement; peak RSS of the process)
import { buildCentralisedProblem } from '../src/markets/centralised.ts';
import { generateMarketBook } from '../src/markets/random-market.ts';
import { solveWithHighs } from '../src/numeric/optimisation/highs-adapter.ts';
import type { OptimisationProblem } from '../src/numeric/optimisation/problem.ts';
import { solveQp } from '../src/numeric/qp/index.ts';
import { randomSparseQp } from '../src/numeric/qp/qp-test-helpers.ts';
import { uniformGenerator } from '../src/numeric/random.ts';

const market = (agentCount: number, partnersPerBuyer?: number, fee = 0) =>
  buildCentralisedProblem(
    generateMarketBook(uniformGenerator(agentCount), {
      agentCount,
      partnersPerBuyer,
      tradeCostMaxEurPerKwh: fee,
    }),
  ).problem;

const CASES: readonly { name: string; build: () => OptimisationProblem; repeats: number }[] = [
  { name: 'random QP 50×20', build: () => randomSparseQp(1, 50, 20), repeats: 50 },
  { name: 'random QP 500×200', build: () => randomSparseQp(2, 500, 200), repeats: 5 },
  {
    name: 'random QP 2,000×800 (random graph: heavy fill)',
    build: () => randomSparseQp(3, 2000, 800),
    repeats: 1,
  },
  { name: 'market 200 agents × 10 partners, fees', build: () => market(200, 10, 0.02), repeats: 3 },
  { name: 'market 300 agents all pairs', build: () => market(300), repeats: 1 },
];

const cpuMs = (f: () => void, repeats: number) => {
  f(); // warm-up
  const start = process.cpuUsage().user;
  for (let r = 0; r < repeats; r++) f();
  return (process.cpuUsage().user - start) / 1000 / repeats;
};

async function main(): Promise<void> {
  console.log(`gridnest QP benchmark (node ${process.version}): CPU ms per solve, warm`);
  console.log(
    'case | columns | rows | ipm status (it) | ipm ms | highs status | highs ms | ipm/highs | rel objective diff',
  );
  await solveWithHighs(randomSparseQp(9, 5, 2), {}); // load the WebAssembly runtime outside the timings
  for (const c of CASES) {
    const problem = c.build();
    let ipm = solveQp(problem);
    const ipmMs = cpuMs(() => {
      ipm = solveQp(problem);
    }, c.repeats);
    const highsStart = process.cpuUsage().user;
    const highs = await solveWithHighs(problem, { timeLimitS: 60 });
    const highsMs = (process.cpuUsage().user - highsStart) / 1000;
    const diff =
      highs.status === 'optimal' && ipm.status === 'optimal'
        ? (Math.abs(ipm.objective - highs.objective) / Math.max(1, Math.abs(highs.objective))).toExponential(
            1,
          )
        : '-';
    console.log(
      [
        c.name,
        problem.numCols,
        problem.numRows,
        `${ipm.status} (${ipm.iterations})`,
        ipmMs.toFixed(1),
        highs.status,
        highsMs.toFixed(1),
        (ipmMs / highsMs).toFixed(2),
        diff,
      ].join(' | '),
    );
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

await main();
