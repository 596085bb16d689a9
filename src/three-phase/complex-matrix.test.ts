// Hand-checked cases for the dense complex helpers used by element admittances.
import { describe, expect, it } from 'vitest';
import { fromSequence, invertComplexMatrix, symmetricFromLowerTriangle } from './complex-matrix.ts';

describe('complex matrices', () => {
  it('inverts [[1+j, 0], [0, 2]] to [[(1−j)/2, 0], [0, 1/2]]', () => {
    const inv = invertComplexMatrix(symmetricFromLowerTriangle(2, [1, 0, 2], [1, 0, 0]));
    expect(Array.from(inv.re)).toEqual([0.5, 0, 0, 0.5]);
    expect(Array.from(inv.im)).toEqual([-0.5, 0, 0, 0]);
  });

  it('maps equal sequence impedances to a diagonal phase matrix (no mutual coupling)', () => {
    const z = fromSequence(3, { re: 0.4, im: 0.1 }, { re: 0.4, im: 0.1 });
    expect(z.re[0]).toBeCloseTo(0.4, 12);
    expect(z.re[1]).toBeCloseTo(0, 12);
    expect(z.im[4]).toBeCloseTo(0.1, 12);
  });
});
