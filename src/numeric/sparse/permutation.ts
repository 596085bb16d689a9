// Permutations of rows/columns: identity, inverse, validity check.

/** Permutation that leaves every row/column in place. */
export function naturalOrdering(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** `inverse[perm[k]] = k`. */
export function invertPermutation(perm: Int32Array): Int32Array {
  const inverse = new Int32Array(perm.length);
  for (let k = 0; k < perm.length; k++) inverse[perm[k]] = k;
  return inverse;
}

/** True if `perm` holds each of 0..n-1 exactly once. */
export function isPermutation(perm: ArrayLike<number>, n: number): boolean {
  if (perm.length !== n) return false;
  const seen = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = perm[k];
    if (!Number.isInteger(i) || i < 0 || i >= n || seen[i] === 1) return false;
    seen[i] = 1;
  }
  return true;
}
