// Tests of the sparse LU against dense Gaussian elimination, pivoting, refactor, singularity and large systems.
import { describe, expect, it } from 'vitest';
import { uniformGenerator } from '../random.ts';
import {
  type CscMatrix,
  cscFromDenseRows,
  cscToDenseRows,
  multiplyCsc,
  nnzOf,
  transposeCsc,
} from './csc-matrix.ts';
import { gridLaplacian2d, powerNetworkJacobian, randomSparseMatrix } from './sample-matrices.ts';
import {
  analyseSparseLu,
  factorNnz,
  factorSparseLu,
  refactorSparseLu,
  SingularMatrixError,
  type SparseLuOptions,
  solveSparseLu,
  solveTransposedSparseLu,
} from './sparse-lu.ts';

/** Dense Gaussian elimination with partial pivoting, as the reference. */
function denseSolve(matrix: CscMatrix, b: ArrayLike<number>): Float64Array {
  const n = matrix.numCols;
  const a = cscToDenseRows(matrix);
  const x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    let pivotRow = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i][k]) > Math.abs(a[pivotRow][k])) pivotRow = i;
    [a[k], a[pivotRow]] = [a[pivotRow], a[k]];
    [x[k], x[pivotRow]] = [x[pivotRow], x[k]];
    for (let i = k + 1; i < n; i++) {
      const factor = a[i][k] / a[k][k];
      if (factor === 0) continue;
      for (let j = k; j < n; j++) a[i][j] -= factor * a[k][j];
      x[i] -= factor * x[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let sum = x[k];
    for (let j = k + 1; j < n; j++) sum -= a[k][j] * x[j];
    x[k] = sum / a[k][k];
  }
  return x;
}

function residualInf(matrix: CscMatrix, x: Float64Array, b: ArrayLike<number>): number {
  const ax = multiplyCsc(matrix, x);
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(ax[i] - b[i]));
  return worst;
}

/** Normwise backward error ‖Ax − b‖∞ / (‖A‖∞·‖x‖∞ + ‖b‖∞): scale-free, so it judges the factorisation itself. */
function backwardError(matrix: CscMatrix, x: Float64Array, b: ArrayLike<number>): number {
  const rowSums = new Float64Array(matrix.numRows);
  for (let p = 0; p < matrix.values.length; p++) rowSums[matrix.rowIndices[p]] += Math.abs(matrix.values[p]);
  const normA = Math.max(0, ...rowSums);
  const normX = Math.max(0, ...Array.from(x, Math.abs));
  const normB = Math.max(0, ...Array.from(b, Math.abs));
  return residualInf(matrix, x, b) / (normA * normX + normB);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function randomVector(n: number, seed: number): Float64Array {
  const random = uniformGenerator(seed);
  return Float64Array.from({ length: n }, () => 2 * random() - 1);
}

function solve(matrix: CscMatrix, b: ArrayLike<number>, options?: SparseLuOptions): Float64Array {
  return solveSparseLu(factorSparseLu(matrix, analyseSparseLu(matrix, options)), b);
}

describe('sparse LU on small matrices', () => {
  it('matches dense Gaussian elimination on random unsymmetric sparse matrices', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const n = 5 + (seed % 7) * 9;
      const matrix = randomSparseMatrix(n, 1 + (seed % 4), seed, seed % 2 === 0 ? 3 : 0.2);
      const b = randomVector(n, 1000 + seed);
      for (const ordering of ['amd', 'natural'] as const) {
        for (const pivotTolerance of [1, 0.1, 0.001]) {
          const x = solve(matrix, b, { ordering, pivotTolerance });
          expect(maxDifference(x, denseSolve(matrix, b))).toBeLessThan(1e-8);
          // Backward stable: error ≲ n·ε·(growth factor); n ≤ 59, ε = 2.2e-16, growth small for these matrices.
          expect(backwardError(matrix, x, b)).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('pivots off a zero (or absent) diagonal', () => {
    const permutationLike = cscFromDenseRows([
      [0, 2, 0, 1],
      [3, 0, 0, 0],
      [0, 0, 0, 4],
      [1, 0, 5, 0],
    ]);
    const b = [1, 2, 3, 4];
    const x = solve(permutationLike, b);
    expect(maxDifference(x, denseSolve(permutationLike, b))).toBeLessThan(1e-14);
    // Explicit zeros on the whole diagonal plus a tiny diagonal entry that must not be chosen.
    const rows = [
      [0, 1, 0],
      [1, 1e-14, 1],
      [0, 1, 0.5],
    ];
    const matrix = cscFromDenseRows(rows);
    const y = solve(matrix, [1, 2, 3], { pivotTolerance: 0.5 });
    expect(residualInf(matrix, y, [1, 2, 3])).toBeLessThan(1e-12);
  });

  it('solves 1×1 and empty systems, in place and into a given output', () => {
    const one = cscFromDenseRows([[4]]);
    const factors = factorSparseLu(one, analyseSparseLu(one));
    const b = Float64Array.from([2]);
    expect(solveSparseLu(factors, b, b)).toBe(b);
    expect(b[0]).toBe(0.5);
    const empty = cscFromDenseRows([], 0);
    const emptyFactors = factorSparseLu(empty, analyseSparseLu(empty));
    expect(solveSparseLu(emptyFactors, new Float64Array(0)).length).toBe(0);
    expect(factorNnz(emptyFactors)).toBe(0);
  });

  it('solves with Aᵀ through the same factors', () => {
    const matrix = randomSparseMatrix(60, 3, 5, 0.5);
    const factors = factorSparseLu(matrix, analyseSparseLu(matrix));
    const b = randomVector(60, 6);
    const x = solveTransposedSparseLu(factors, b);
    expect(maxDifference(x, denseSolve(transposeCsc(matrix), b))).toBeLessThan(1e-9);
    const inPlace = Float64Array.from(b);
    solveTransposedSparseLu(factors, inPlace, inPlace);
    expect(maxDifference(inPlace, x)).toBe(0);
  });

  it('throws SingularMatrixError with the column for structurally and numerically singular matrices', () => {
    const structural = cscFromDenseRows(
      [
        [1, 0, 2],
        [3, 0, 4],
        [5, 0, 6],
      ],
      3,
    );
    let caught: unknown;
    try {
      factorSparseLu(structural, analyseSparseLu(structural));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SingularMatrixError);
    expect((caught as SingularMatrixError).column).toBe(1);

    const numeric = cscFromDenseRows([
      [1, 2, 3],
      [2, 4, 6],
      [1, 0, 1],
    ]);
    expect(() => factorSparseLu(numeric, analyseSparseLu(numeric))).toThrow(SingularMatrixError);
    // A 1×1 zero (explicitly stored) is singular too.
    const zero = cscFromDenseRows([[1]]);
    zero.values[0] = 0;
    expect(() => factorSparseLu(zero, analyseSparseLu(zero))).toThrow(SingularMatrixError);
  });

  it('rejects matrices whose pattern differs from the analysed one', () => {
    const a = cscFromDenseRows([
      [1, 2],
      [0, 3],
    ]);
    const b = cscFromDenseRows([
      [1, 0],
      [2, 3],
    ]);
    const symbolic = analyseSparseLu(a);
    const factors = factorSparseLu(a, symbolic);
    expect(() => refactorSparseLu(factors, b)).toThrow(RangeError);
    expect(() => factorSparseLu(cscFromDenseRows([[1]]), symbolic)).toThrow(RangeError);
  });
});

describe('refactorSparseLu', () => {
  it('gives the same factors and solution as a fresh factorisation with the same pivots', () => {
    const network = powerNetworkJacobian(200, 0.3, 21);
    const first = network.refill(1);
    const firstCopy: CscMatrix = { ...first, values: first.values.slice() };
    const symbolic = analyseSparseLu(firstCopy);
    const factors = factorSparseLu(firstCopy, symbolic);
    const second = network.refill(2);
    refactorSparseLu(factors, second);
    const fresh = factorSparseLu(second, symbolic);
    expect(factors.stats.refactorisations).toBe(1);
    expect(factors.stats.refactorFallbacks).toBe(0);
    expect(Array.from(factors.rowOfStep)).toEqual(Array.from(fresh.rowOfStep));
    expect(maxDifference(factors.uDiagonal, fresh.uDiagonal)).toBeLessThan(1e-12);
    const b = randomVector(400, 3);
    const x = solveSparseLu(factors, b);
    expect(maxDifference(x, solveSparseLu(fresh, b))).toBeLessThan(1e-12);
    expect(residualInf(second, x, b)).toBeLessThan(1e-10);
  });

  it('falls back to a full factorisation when an old pivot becomes too small', () => {
    const a = cscFromDenseRows([
      [4, 1, 0],
      [1, 4, 1],
      [0, 1, 4],
    ]);
    const symbolic = analyseSparseLu(a, { ordering: 'natural' });
    const factors = factorSparseLu(a, symbolic);
    // Same pattern, but the old first pivot (4 → 0) is now zero.
    const b: CscMatrix = { ...a, values: a.values.slice() };
    b.values[0] = 0;
    refactorSparseLu(factors, b);
    expect(factors.stats.refactorFallbacks).toBe(1);
    const rhs = [1, 2, 3];
    const x = solveSparseLu(factors, rhs);
    expect(maxDifference(x, denseSolve(b, rhs))).toBeLessThan(1e-12);
    // And refactoring a singular matrix still reports singularity.
    const singular: CscMatrix = { ...a, values: new Float64Array(a.values.length) };
    expect(() => refactorSparseLu(factors, singular)).toThrow(SingularMatrixError);
    expect(factors.isValid).toBe(false);
    expect(() => solveSparseLu(factors, rhs)).toThrow(/invalid/);
    // The next refactor with good values recovers with a full factorisation.
    refactorSparseLu(factors, a);
    expect(factors.isValid).toBe(true);
    expect(maxDifference(solveSparseLu(factors, rhs), denseSolve(a, rhs))).toBeLessThan(1e-12);
  });

  it('tracks many refactorisations with changing values on random matrices', () => {
    const pattern = randomSparseMatrix(80, 3, 99, 1);
    const symbolic = analyseSparseLu(pattern);
    const factors = factorSparseLu(pattern, symbolic);
    const random = uniformGenerator(5);
    for (let iteration = 0; iteration < 10; iteration++) {
      const values = pattern.values.map((v) => v * (0.5 + random()));
      const matrix: CscMatrix = { ...pattern, values };
      refactorSparseLu(factors, matrix);
      const b = randomVector(80, iteration);
      expect(residualInf(matrix, solveSparseLu(factors, b), b)).toBeLessThan(1e-9);
    }
  });
});

describe('sparse LU on large systems', () => {
  it('solves a 20,164-unknown unsymmetric grid system with small residual and bounded fill', () => {
    const matrix = gridLaplacian2d(142, 142, 0.3, 4);
    const n = matrix.numCols;
    const symbolic = analyseSparseLu(matrix);
    const factors = factorSparseLu(matrix, symbolic);
    expect(factorNnz(factors)).toBeLessThan(50 * nnzOf(matrix));
    // A few pivots leave the diagonal (values are not diagonally dominant), adding a little fill.
    expect(factors.lColStarts[n]).toBeLessThan(1.1 * symbolic.lowerNnzEstimate);
    const b = randomVector(n, 8);
    const x = solveSparseLu(factors, b);
    expect(residualInf(matrix, x, b)).toBeLessThan(1e-10);
  });

  it('solves a 20,000-unknown radial feeder Jacobian with no fill beyond its pattern', () => {
    const matrix = powerNetworkJacobian(10_000, 0, 12).matrix;
    const symbolic = analyseSparseLu(matrix);
    const factors = factorSparseLu(matrix, symbolic);
    expect(factorNnz(factors)).toBe(nnzOf(matrix));
    // Diagonally dominant: every pivot stays on the diagonal, so L has exactly the predicted fill.
    expect(factors.lColStarts[matrix.numCols]).toBe(symbolic.lowerNnzEstimate);
    for (let k = 0; k < matrix.numCols; k++) expect(factors.rowOfStep[k]).toBe(symbolic.columnOrder[k]);
    const b = randomVector(matrix.numCols, 13);
    expect(residualInf(matrix, solveSparseLu(factors, b), b)).toBeLessThan(1e-10);
  });
});
