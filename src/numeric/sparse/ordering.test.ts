// Tests of the AMD ordering: valid permutations, low fill on grids, edge cases and speed.
import { describe, expect, it } from 'vitest';
import type { CscMatrix } from './csc-matrix.ts';
import { cscFromDenseRows, cscFromTriplets } from './csc-matrix.ts';
import { approximateMinimumDegree, invertPermutation, isPermutation, naturalOrdering } from './ordering.ts';
import { gridLaplacian2d, powerNetworkJacobian, randomSparseMatrix } from './sample-matrices.ts';

/** nnz of the Cholesky factor L (without diagonal) of P(A+Aᵀ)Pᵀ, by elimination tree and row subtrees. */
function choleskyFill(matrix: CscMatrix, order: Int32Array): number {
  const n = matrix.numCols;
  const position = invertPermutation(order);
  // Symmetric pattern in permuted numbering, as upper-triangular adjacency per column.
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (let j = 0; j < n; j++) {
    for (let p = matrix.colStarts[j]; p < matrix.colStarts[j + 1]; p++) {
      const a = position[matrix.rowIndices[p]];
      const b = position[j];
      if (a === b) continue;
      lists[Math.max(a, b)].push(Math.min(a, b));
    }
  }
  const parent = new Int32Array(n).fill(-1);
  const visited = new Int32Array(n).fill(-1);
  let count = 0;
  for (let k = 0; k < n; k++) {
    visited[k] = k;
    for (const start of lists[k]) {
      // Walk the row subtree from each entry of row k up to k: each new node is a nonzero L(k, node).
      let i = start;
      while (visited[i] !== k) {
        if (parent[i] === -1) parent[i] = k;
        visited[i] = k;
        count++;
        i = parent[i];
      }
    }
  }
  return count;
}

describe('approximateMinimumDegree', () => {
  it('orders a 100×100 grid Laplacian with far less fill than the natural ordering', () => {
    const grid = gridLaplacian2d(100, 100);
    const order = approximateMinimumDegree(grid);
    expect(isPermutation(order, 10_000)).toBe(true);
    const amdFill = choleskyFill(grid, order);
    const naturalFill = choleskyFill(grid, naturalOrdering(10_000));
    expect(naturalFill).toBeGreaterThan(900_000);
    expect(amdFill).toBeLessThan(naturalFill / 4);
    expect(amdFill).toBeLessThan(250_000);
  });

  it('gives no fill on a path and on trees', () => {
    const path = gridLaplacian2d(50, 1);
    expect(choleskyFill(path, approximateMinimumDegree(path))).toBe(49);
    const feeder = powerNetworkJacobian(500, 0, 3).matrix;
    const order = approximateMinimumDegree(feeder);
    expect(isPermutation(order, 1000)).toBe(true);
    // 2×2 blocks on a tree: fill only inside the blocks already present.
    const nnzOffDiagonal = feeder.colStarts[1000] - 1000;
    expect(choleskyFill(feeder, order)).toBe(nnzOffDiagonal / 2);
  });

  it('handles empty, 1×1, diagonal, disconnected and dense-row patterns', () => {
    expect(approximateMinimumDegree(cscFromDenseRows([], 0)).length).toBe(0);
    expect(Array.from(approximateMinimumDegree(cscFromDenseRows([[5]])))).toEqual([0]);
    expect(
      isPermutation(
        approximateMinimumDegree(
          cscFromDenseRows([
            [0, 0],
            [0, 0],
          ]),
        ),
        2,
      ),
    ).toBe(true);
    // Arrow matrix: one row/column coupled to everything must go last to avoid filling in completely.
    const n = 400;
    const rows: number[] = [];
    const cols: number[] = [];
    for (let i = 0; i < n; i++) {
      rows.push(i, 0, i);
      cols.push(i, i, 0);
    }
    const arrow = cscFromTriplets(
      n,
      n,
      Int32Array.from(rows),
      Int32Array.from(cols),
      new Float64Array(3 * n),
    );
    const order = approximateMinimumDegree(arrow);
    expect(isPermutation(order, n)).toBe(true);
    expect(order[n - 1]).toBe(0);
    expect(choleskyFill(arrow, order)).toBe(n - 1);
    // Unsymmetric random patterns with isolated nodes.
    for (let seed = 1; seed <= 5; seed++) {
      const random = randomSparseMatrix(200, seed % 3, seed);
      expect(isPermutation(approximateMinimumDegree(random), 200)).toBe(true);
    }
  });

  it('rejects non-square matrices', () => {
    expect(() => approximateMinimumDegree(cscFromDenseRows([[1, 2]]))).toThrow(RangeError);
  });

  // Its speed is measured in bench/sparse-lu.bench.ts, not here (a timed test fails on a loaded machine).
  it('orders a 20,000-unknown meshed-network Jacobian with fill below twice the pattern', () => {
    const jacobian = powerNetworkJacobian(10_000, 0.3, 9).matrix;
    const order = approximateMinimumDegree(jacobian);
    expect(isPermutation(order, 20_000)).toBe(true);
    expect(choleskyFill(jacobian, order)).toBeLessThan(2 * jacobian.colStarts[20_000]);
  });
});
