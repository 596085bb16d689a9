// Small dense complex matrices for element impedances: construction, inversion (Gauss–Jordan) and scaling.
import type { ComplexMatrix } from './model.ts';

export function createComplexMatrix(n: number): ComplexMatrix {
  return { n, re: new Float64Array(n * n), im: new Float64Array(n * n) };
}

/** Matrix from the lower triangle given row by row (OpenDSS `rmatrix = (a | b c | d e f)`), symmetric. */
export function symmetricFromLowerTriangle(
  n: number,
  lowerRe: readonly number[],
  lowerIm: readonly number[],
): ComplexMatrix {
  const m = createComplexMatrix(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++, k++) {
      m.re[i * n + j] = m.re[j * n + i] = lowerRe[k] ?? 0;
      m.im[i * n + j] = m.im[j * n + i] = lowerIm[k] ?? 0;
    }
  }
  return m;
}

/**
 * Phase-domain matrix of a transposed line from sequence impedances: self (2·Z1 + Z0)/3, mutual (Z0 − Z1)/3
 * (Kersting, Distribution System Modeling and Analysis, §4.1).
 */
export function fromSequence(
  n: number,
  z1: { re: number; im: number },
  z0: { re: number; im: number },
): ComplexMatrix {
  const m = createComplexMatrix(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const isSelf = i === j;
      m.re[i * n + j] = isSelf ? (2 * z1.re + z0.re) / 3 : (z0.re - z1.re) / 3;
      m.im[i * n + j] = isSelf ? (2 * z1.im + z0.im) / 3 : (z0.im - z1.im) / 3;
    }
  }
  if (n === 1) {
    // A single-phase line from sequence data uses the positive-sequence impedance.
    m.re[0] = z1.re;
    m.im[0] = z1.im;
  }
  return m;
}

export function scaleComplexMatrix(m: ComplexMatrix, factor: number): ComplexMatrix {
  return { n: m.n, re: m.re.map((v) => v * factor), im: m.im.map((v) => v * factor) };
}

/** Inverse by Gauss–Jordan elimination with partial pivoting; throws RangeError when singular. */
export function invertComplexMatrix(m: ComplexMatrix): ComplexMatrix {
  const n = m.n;
  const are = Float64Array.from(m.re);
  const aim = Float64Array.from(m.im);
  const out = createComplexMatrix(n);
  for (let i = 0; i < n; i++) out.re[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (
        Math.hypot(are[r * n + col], aim[r * n + col]) >
        Math.hypot(are[pivot * n + col], aim[pivot * n + col])
      )
        pivot = r;
    }
    const pr = are[pivot * n + col];
    const pi = aim[pivot * n + col];
    const mag2 = pr * pr + pi * pi;
    if (!(mag2 > 0)) throw new RangeError('singular impedance matrix');
    for (const a of [are, aim, out.re, out.im]) {
      for (let c = 0; c < n; c++) [a[col * n + c], a[pivot * n + c]] = [a[pivot * n + c], a[col * n + c]];
    }
    // Scale the pivot row by 1 / pivot.
    const ir = pr / mag2;
    const ii = -pi / mag2;
    for (const [xr, xi] of [
      [are, aim],
      [out.re, out.im],
    ]) {
      for (let c = 0; c < n; c++) {
        const r = xr[col * n + c];
        const i = xi[col * n + c];
        xr[col * n + c] = r * ir - i * ii;
        xi[col * n + c] = r * ii + i * ir;
      }
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const fr = are[r * n + col];
      const fi = aim[r * n + col];
      if (fr === 0 && fi === 0) continue;
      for (const [xr, xi] of [
        [are, aim],
        [out.re, out.im],
      ]) {
        for (let c = 0; c < n; c++) {
          const sr = xr[col * n + c];
          const si = xi[col * n + c];
          xr[r * n + c] -= fr * sr - fi * si;
          xi[r * n + c] -= fr * si + fi * sr;
        }
      }
    }
  }
  return out;
}
