// Reproducible test and benchmark matrices: seeded uniform draws, 2-D grid Laplacians, power-network-like Jacobians.
import { uniformGenerator } from '../random.ts';
import { type AssemblyPlan, assemble, type CscMatrix, createAssemblyPlan } from './csc-matrix.ts';

/** Triplet lists that grow as entries are pushed. */
class TripletBuilder {
  rows: number[] = [];
  cols: number[] = [];
  values: number[] = [];

  push(row: number, col: number, value: number): void {
    this.rows.push(row);
    this.cols.push(col);
    this.values.push(value);
  }

  plan(n: number): AssemblyPlan {
    return createAssemblyPlan(n, n, Int32Array.from(this.rows), Int32Array.from(this.cols));
  }
}

/**
 * 5-point Laplacian of an nx×ny grid (n = nx·ny, natural row-major numbering). With `perturbation > 0`
 * each off-diagonal entry is scaled by (1 ± perturbation·u), u uniform, so values become unsymmetric.
 */
export function gridLaplacian2d(nx: number, ny: number, perturbation = 0, seed = 1): CscMatrix {
  const random = uniformGenerator(seed);
  const triplets = new TripletBuilder();
  const index = (x: number, y: number): number => y * nx + x;
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const i = index(x, y);
      triplets.push(i, i, 4);
      const neighbours = [
        [x - 1, y],
        [x + 1, y],
        [x, y - 1],
        [x, y + 1],
      ];
      for (const [xn, yn] of neighbours) {
        if (xn < 0 || yn < 0 || xn >= nx || yn >= ny) continue;
        triplets.push(i, index(xn, yn), -1 * (1 + perturbation * (2 * random() - 1)));
      }
    }
  }
  return assemble(triplets.plan(nx * ny), triplets.values);
}

/**
 * A Jacobian-like matrix of a synthetic power network with `numBuses` buses and two unknowns per
 * bus (2×2 blocks): a random tree whose branches join each bus to a recent one (locality, as in
 * real feeders), plus `meshFraction·numBuses` extra branches between nearby buses. Values are
 * unsymmetric and diagonally heavy, like a Newton–Raphson power-flow Jacobian.
 */
export function powerNetworkJacobian(
  numBuses: number,
  meshFraction: number,
  seed = 1,
): { plan: AssemblyPlan; values: Float64Array; matrix: CscMatrix; refill: (seed: number) => CscMatrix } {
  const random = uniformGenerator(seed);
  const from: number[] = [];
  const to: number[] = [];
  for (let b = 1; b < numBuses; b++) {
    const window = Math.min(b, 8);
    from.push(b - 1 - Math.floor(random() * window));
    to.push(b);
  }
  const numChords = Math.floor(meshFraction * numBuses);
  for (let c = 0; c < numChords && numBuses > 2; c++) {
    const a = Math.floor(random() * numBuses);
    const span = 2 + Math.floor(random() * 40);
    const b = Math.min(numBuses - 1, a + span);
    if (a !== b) {
      from.push(a);
      to.push(b);
    }
  }
  const triplets = new TripletBuilder();
  const block = (busRow: number, busCol: number): void => {
    for (let r = 0; r < 2; r++) for (let s = 0; s < 2; s++) triplets.push(2 * busRow + r, 2 * busCol + s, 0);
  };
  for (let b = 0; b < numBuses; b++) block(b, b);
  for (let e = 0; e < from.length; e++) {
    block(from[e], to[e]);
    block(to[e], from[e]);
  }
  const plan = triplets.plan(2 * numBuses);
  const values = new Float64Array(triplets.rows.length);
  const refill = (valueSeed: number): CscMatrix => {
    const valueRandom = uniformGenerator(valueSeed);
    for (let t = 0; t < values.length; t++) {
      const onDiagonal = triplets.rows[t] === triplets.cols[t];
      const sameBus = triplets.rows[t] >> 1 === triplets.cols[t] >> 1;
      values[t] = onDiagonal ? 0 : sameBus ? 0.5 * (valueRandom() - 0.5) : -(0.5 + valueRandom());
    }
    const matrix = assemble(plan, values);
    // Diagonal = 1.05 × off-diagonal row sum (magnitude), as for a lightly loaded network.
    const rowSums = new Float64Array(matrix.numRows);
    for (let j = 0; j < matrix.numCols; j++) {
      for (let p = matrix.colStarts[j]; p < matrix.colStarts[j + 1]; p++) {
        if (matrix.rowIndices[p] !== j) rowSums[matrix.rowIndices[p]] += Math.abs(matrix.values[p]);
      }
    }
    for (let j = 0; j < matrix.numCols; j++) {
      for (let p = matrix.colStarts[j]; p < matrix.colStarts[j + 1]; p++) {
        if (matrix.rowIndices[p] === j) matrix.values[p] = 1.05 * rowSums[j] + 0.01;
      }
    }
    return matrix;
  };
  return { plan, values, matrix: refill(seed + 1), refill };
}

/**
 * Random sparse n×n matrix: each column gets about `perColumn` off-diagonal entries at random rows,
 * values uniform in [-1, 1]; the diagonal is present with value `diagonal` (or absent if undefined).
 * Small sizes only: random graphs fill in badly.
 */
export function randomSparseMatrix(n: number, perColumn: number, seed: number, diagonal?: number): CscMatrix {
  const random = uniformGenerator(seed);
  const triplets = new TripletBuilder();
  for (let j = 0; j < n; j++) {
    if (diagonal !== undefined) triplets.push(j, j, diagonal);
    for (let t = 0; t < perColumn; t++) triplets.push(Math.floor(random() * n), j, 2 * random() - 1);
  }
  return assemble(triplets.plan(n), triplets.values);
}
