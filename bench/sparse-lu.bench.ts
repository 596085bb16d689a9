// Benchmark of the sparse LU: analyse / factor / refactor / solve medians of warm runs, fill and peak memory.
import {
  analyseSparseLu,
  type CscMatrix,
  factorNnz,
  factorSparseLu,
  multiplyCsc,
  nnzOf,
  refactorSparseLu,
  solveSparseLu,
} from '../src/numeric/sparse/index.ts';
import { gridLaplacian2d, powerNetworkJacobian } from '../src/numeric/sparse/sample-matrices.ts';

let peakRssMb = 0;
function sampleMemory(): void {
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  if (rssMb > peakRssMb) peakRssMb = rssMb;
}

/** Median wall time in milliseconds of `runs` calls after `warmup` unmeasured calls. */
function medianMs(runs: number, warmup: number, body: () => void): number {
  for (let r = 0; r < warmup; r++) body();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    body();
    times.push(performance.now() - start);
    sampleMemory();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function runsFor(estimateMs: number): number {
  return Math.max(5, Math.min(200, Math.round(1000 / Math.max(estimateMs, 0.05))));
}

interface Case {
  readonly name: string;
  readonly matrix: CscMatrix;
  /** Same pattern, different values (as in the next Newton iteration). */
  readonly next: CscMatrix;
}

function benchCase({ name, matrix, next }: Case): void {
  const n = matrix.numCols;
  const start = performance.now();
  const firstSymbolic = analyseSparseLu(matrix);
  const firstFactors = factorSparseLu(matrix, firstSymbolic);
  const coldMs = performance.now() - start;
  sampleMemory();

  let symbolic = firstSymbolic;
  const analyseMs = medianMs(runsFor(coldMs / 2), 2, () => {
    symbolic = analyseSparseLu(matrix);
  });
  let factors = firstFactors;
  const factorMs = medianMs(runsFor(coldMs / 2), 2, () => {
    factors = factorSparseLu(matrix, symbolic);
  });
  let flip = false;
  const refactorMs = medianMs(runsFor(factorMs), 3, () => {
    flip = !flip;
    refactorSparseLu(factors, flip ? next : matrix);
  });
  refactorSparseLu(factors, matrix);
  const xTrue = new Float64Array(n);
  for (let i = 0; i < n; i++) xTrue[i] = Math.sin(i + 1);
  const b = multiplyCsc(matrix, xTrue);
  const x = new Float64Array(n);
  const solveMs = medianMs(runsFor(0.1), 5, () => {
    solveSparseLu(factors, b, x);
  });
  const residual = multiplyCsc(matrix, x);
  let residualMax = 0;
  let bMax = 0;
  for (let i = 0; i < n; i++) {
    residualMax = Math.max(residualMax, Math.abs(residual[i] - b[i]));
    bMax = Math.max(bMax, Math.abs(b[i]));
  }
  const lu = factorNnz(factors);
  console.log(
    [
      `${name}: n=${n} nnz(A)=${nnzOf(matrix)} nnz(L+U)=${lu} (${(lu / nnzOf(matrix)).toFixed(1)}× A)`,
      `  analyse ${analyseMs.toFixed(2)} ms | factor ${factorMs.toFixed(2)} ms | refactor ${refactorMs.toFixed(2)} ms` +
        ` | solve ${solveMs.toFixed(3)} ms | refactor+solve ${(refactorMs + solveMs).toFixed(2)} ms`,
      `  cold analyse+factor ${coldMs.toFixed(1)} ms | relative residual ${(residualMax / bMax).toExponential(1)}` +
        ` | refactor fallbacks ${factors.stats.refactorFallbacks}`,
    ].join('\n'),
  );
}

const network = (buses: number, mesh: number, seed: number): Case => {
  const jacobian = powerNetworkJacobian(buses, mesh, seed);
  const matrix = jacobian.refill(seed + 1);
  const copy: CscMatrix = { ...matrix, values: matrix.values.slice() };
  return { name: '', matrix: copy, next: jacobian.refill(seed + 2) };
};

console.log(`node ${process.version}, ${process.arch}`);
const cases: Case[] = [
  {
    name: '2-D grid Laplacian 100×100 (unsymmetric values)',
    matrix: gridLaplacian2d(100, 100, 0.3, 1),
    next: gridLaplacian2d(100, 100, 0.3, 2),
  },
  { ...network(150, 0.3, 3), name: 'meshed network Jacobian, 150 buses (case118-sized)' },
  {
    ...network(10_000, 0.3, 4),
    name: 'meshed network Jacobian, 10,000 buses (random structure, 20,000 unknowns)',
  },
  { ...network(10_000, 0, 5), name: 'radial feeder Jacobian, 10,000 buses (20,000 unknowns)' },
  {
    name: '2-D grid Laplacian 142×142 (20,164 unknowns)',
    matrix: gridLaplacian2d(142, 142, 0.3, 1),
    next: gridLaplacian2d(142, 142, 0.3, 2),
  },
];
for (const benchmarkCase of cases) benchCase(benchmarkCase);
sampleMemory();
console.log(
  `peak RSS sampled ${peakRssMb.toFixed(0)} MB; maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
