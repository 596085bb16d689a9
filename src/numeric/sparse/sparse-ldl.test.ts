// Tests of the sparse LDLᵀ: SPD and quasi-definite systems, fill against the LU's symmetric count, regularisation.
import { describe, expect, it } from 'vitest';
import { uniformGenerator } from '../random.ts';
import { cscFromTriplets, multiplyCsc } from './csc-matrix.ts';
import { naturalOrdering } from './ordering.ts';
import { gridLaplacian2d } from './sample-matrices.ts';
import {
  analyseSparseLdl,
  createSparseLdlFactors,
  factorSparseLdl,
  ldlFactorNnz,
  refactorSparseLdl,
  solveSparseLdl,
} from './sparse-ldl.ts';

const maxResidual = (a: Parameters<typeof multiplyCsc>[0], x: Float64Array, b: Float64Array) => {
  const ax = multiplyCsc(a, x);
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(ax[i] - b[i]));
  return worst;
};

describe('sparse LDLᵀ', () => {
  it('solves a 3×3 indefinite system whose solution is known by hand', () => {
    // [[4, 1, 0], [1, −3, 2], [0, 2, 5]] · [1, 2, −1] = [6, −7, −1]
    const a = cscFromTriplets(
      3,
      3,
      Int32Array.from([0, 1, 0, 1, 2, 1, 2]),
      Int32Array.from([0, 0, 1, 1, 1, 2, 2]),
      [4, 1, 1, -3, 2, 2, 5],
    );
    const factors = factorSparseLdl(a);
    const x = solveSparseLdl(factors, Float64Array.from([6, -7, -1]), new Float64Array(3));
    expect(Array.from(x, (v) => Number(v.toFixed(12)))).toEqual([1, 2, -1]);
    // Natural order: d₁ = 4, d₂ = −3 − 1/4, d₃ = 5 − 4/d₂ (Gaussian elimination by hand).
    const natural = refactorSparseLdl(createSparseLdlFactors(analyseSparseLdl(a, naturalOrdering(3))), a);
    expect(natural.diagonal[0]).toBeCloseTo(4, 14);
    expect(natural.diagonal[1]).toBeCloseTo(-3.25, 14);
    expect(natural.diagonal[2]).toBeCloseTo(5 + 4 / 3.25, 13);
  });

  it('solves a 10,000-unknown grid Laplacian with AMD fill well below the natural order', () => {
    const a = gridLaplacian2d(100, 100);
    const amd = analyseSparseLdl(a);
    const natural = analyseSparseLdl(a, naturalOrdering(a.numCols));
    // The natural (banded) order of a 100×100 grid fills the whole band: about n·100 entries.
    expect(ldlFactorNnz(natural)).toBeGreaterThan(0.9 * 100 * 10_000);
    expect(ldlFactorNnz(amd)).toBeLessThan(0.5 * ldlFactorNnz(natural));
    const random = uniformGenerator(3);
    const b = Float64Array.from({ length: a.numCols }, () => random() - 0.5);
    const x = solveSparseLdl(factorSparseLdl(a), b, new Float64Array(a.numCols));
    expect(maxResidual(a, x, b)).toBeLessThan(1e-10);
  });

  it('factorises a quasi-definite KKT matrix [H Aᵀ; A −δI] in any order', () => {
    // H = diag(1..n), A random 0/1 with 3 entries per row, δ = 1e-8: quasi-definite.
    const n = 60;
    const m = 25;
    const random = uniformGenerator(11);
    const rows: number[] = [];
    const cols: number[] = [];
    const values: number[] = [];
    const push = (i: number, j: number, v: number) => {
      rows.push(i);
      cols.push(j);
      values.push(v);
    };
    for (let j = 0; j < n; j++) push(j, j, j + 1);
    for (let i = 0; i < m; i++) {
      push(n + i, n + i, -1e-8);
      for (let t = 0; t < 3; t++) {
        const j = Math.floor(random() * n);
        const v = random() - 0.5;
        push(n + i, j, v);
        push(j, n + i, v);
      }
    }
    const k = cscFromTriplets(n + m, n + m, Int32Array.from(rows), Int32Array.from(cols), values);
    const b = Float64Array.from({ length: n + m }, () => random());
    for (const order of [undefined, naturalOrdering(n + m), naturalOrdering(n + m).reverse()]) {
      const factors = refactorSparseLdl(createSparseLdlFactors(analyseSparseLdl(k, order)), k);
      const x = solveSparseLdl(factors, b, new Float64Array(n + m));
      expect(maxResidual(k, x, b)).toBeLessThan(1e-7);
    }
  });

  it('replaces a pivot of the wrong sign by the threshold and counts it', () => {
    // [[1, 1], [1, 1]] is singular; with expected signs (+, −) the second pivot 0 becomes −1e-6.
    const a = cscFromTriplets(
      2,
      2,
      Int32Array.from([0, 1, 0, 1]),
      Int32Array.from([0, 0, 1, 1]),
      [1, 1, 1, 1],
    );
    const factors = factorSparseLdl(a, { pivotSigns: Int8Array.from([1, -1]), pivotThreshold: 1e-6 });
    expect(factors.regularisedPivots).toBe(1);
    expect(() => factorSparseLdl(a)).toThrow(/zero pivot/);
  });
});
