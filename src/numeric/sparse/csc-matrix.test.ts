// Tests of CSC assembly (plans, duplicate summing), products, transposes and the dense helpers.
import { describe, expect, it } from 'vitest';
import { uniformGenerator } from '../random.ts';
import {
  assemble,
  createAssemblyPlan,
  cscFromDenseRows,
  cscFromTriplets,
  cscToDenseRows,
  multiplyCsc,
  nnzOf,
  transposeCsc,
} from './csc-matrix.ts';
import { randomSparseMatrix } from './sample-matrices.ts';

describe('createAssemblyPlan / assemble', () => {
  const rows = Int32Array.from([2, 0, 1, 0, 2, 0]);
  const cols = Int32Array.from([1, 0, 1, 0, 1, 2]);

  it('sorts rows within columns, merges duplicates and maps every triplet to its slot', () => {
    const plan = createAssemblyPlan(3, 3, rows, cols);
    expect(Array.from(plan.pattern.colStarts)).toEqual([0, 1, 3, 4]);
    expect(Array.from(plan.pattern.rowIndices)).toEqual([0, 1, 2, 0]);
    expect(Array.from(plan.slotOfEntry)).toEqual([2, 0, 1, 0, 2, 3]);
    const matrix = assemble(plan, [1, 2, 3, 4, 5, 6]);
    expect(Array.from(matrix.values)).toEqual([6, 3, 6, 6]);
    expect(cscToDenseRows(matrix).map((r) => Array.from(r))).toEqual([
      [6, 0, 6],
      [0, 3, 0],
      [0, 6, 0],
    ]);
  });

  it('refills a matrix in place for new values (no new matrix object)', () => {
    const plan = createAssemblyPlan(3, 3, rows, cols);
    const matrix = assemble(plan, [1, 1, 1, 1, 1, 1]);
    const values = matrix.values;
    const again = assemble(plan, [1, 2, 3, 4, 5, 6], matrix);
    expect(again).toBe(matrix);
    expect(again.values).toBe(values);
    expect(Array.from(values)).toEqual([6, 3, 6, 6]);
    expect(plan.pattern.values.every((v) => v === 0)).toBe(true);
  });

  it('keeps explicit zeros in the pattern and handles empty and rectangular shapes', () => {
    const matrix = cscFromTriplets(2, 3, Int32Array.from([1]), Int32Array.from([2]), [0]);
    expect(nnzOf(matrix)).toBe(1);
    expect(Array.from(matrix.colStarts)).toEqual([0, 0, 0, 1]);
    const empty = cscFromTriplets(0, 0, new Int32Array(0), new Int32Array(0), []);
    expect(nnzOf(empty)).toBe(0);
    expect(empty.colStarts.length).toBe(1);
  });

  it('rejects triplets outside the matrix and mismatched lengths', () => {
    expect(() => createAssemblyPlan(2, 2, Int32Array.from([2]), Int32Array.from([0]))).toThrow(RangeError);
    expect(() => createAssemblyPlan(2, 2, Int32Array.from([0, 1]), Int32Array.from([0]))).toThrow(RangeError);
    const plan = createAssemblyPlan(2, 2, Int32Array.from([0]), Int32Array.from([0]));
    expect(() => assemble(plan, [1, 2])).toThrow(RangeError);
  });

  it('matches a dense accumulation on random triplets with many duplicates', () => {
    const random = uniformGenerator(7);
    const numEntries = 500;
    const r = new Int32Array(numEntries);
    const c = new Int32Array(numEntries);
    const v = new Float64Array(numEntries);
    const dense = [new Float64Array(9), new Float64Array(9), new Float64Array(9), new Float64Array(9)];
    for (let e = 0; e < numEntries; e++) {
      r[e] = Math.floor(random() * 4);
      c[e] = Math.floor(random() * 9);
      v[e] = random();
      dense[r[e]][c[e]] += v[e];
    }
    const matrix = cscFromTriplets(4, 9, r, c, v);
    const back = cscToDenseRows(matrix);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 9; j++) expect(back[i][j]).toBeCloseTo(dense[i][j], 12);
    for (let j = 0; j < 9; j++) {
      for (let p = matrix.colStarts[j] + 1; p < matrix.colStarts[j + 1]; p++) {
        expect(matrix.rowIndices[p]).toBeGreaterThan(matrix.rowIndices[p - 1]);
      }
    }
  });
});

describe('multiplyCsc / transposeCsc', () => {
  it('computes A·x and Aᵀ·x like the dense product', () => {
    const matrix = randomSparseMatrix(30, 3, 11, 2);
    const dense = cscToDenseRows(matrix);
    const x = Float64Array.from({ length: 30 }, (_, i) => Math.cos(i));
    const y = multiplyCsc(matrix, x);
    const yt = multiplyCsc(transposeCsc(matrix), x);
    for (let i = 0; i < 30; i++) {
      let sum = 0;
      let sumT = 0;
      for (let j = 0; j < 30; j++) {
        sum += dense[i][j] * x[j];
        sumT += dense[j][i] * x[j];
      }
      expect(y[i]).toBeCloseTo(sum, 12);
      expect(yt[i]).toBeCloseTo(sumT, 12);
    }
  });

  it('round-trips a rectangular matrix through the transpose and the dense helpers', () => {
    const dense = [
      [1, 0, 2],
      [0, 0, 3],
    ];
    const matrix = cscFromDenseRows(dense);
    const twice = transposeCsc(transposeCsc(matrix));
    expect(cscToDenseRows(twice).map((r) => Array.from(r))).toEqual(dense);
    expect(transposeCsc(matrix).numRows).toBe(3);
    const out = new Float64Array(2);
    expect(multiplyCsc(matrix, [1, 1, 1], out)).toBe(out);
    expect(Array.from(out)).toEqual([3, 3]);
  });
});
