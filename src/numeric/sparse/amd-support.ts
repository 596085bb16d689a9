// AMD support: quotient-graph node states, the adjacency of A + Aᵀ, list compaction and the final order.
import type { CscMatrix } from './csc-matrix.ts';

// Node states in the quotient graph.
export const VARIABLE = 0;
export const ELEMENT = 1; // eliminated pivot (its list holds the variables of its element)
export const ABSORBED = 2; // element absorbed into a later element
export const NON_PRINCIPAL = 3; // variable merged into a supervariable or mass-eliminated with a pivot
export const DENSE = 4;

/** Adjacency lists of A + Aᵀ without the diagonal, deduplicated, packed one after another. */
export function symmetricAdjacency(matrix: CscMatrix): {
  starts: Int32Array;
  lengths: Int32Array;
  adjacency: Int32Array;
} {
  const n = matrix.numCols;
  const { colStarts, rowIndices } = matrix;
  const counts = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) {
    for (let p = colStarts[j]; p < colStarts[j + 1]; p++) {
      const i = rowIndices[p];
      if (i === j) continue;
      counts[i + 1]++;
      counts[j + 1]++;
    }
  }
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
  const adjacency = new Int32Array(counts[n]);
  const fill = counts.slice(0, n);
  for (let j = 0; j < n; j++) {
    for (let p = colStarts[j]; p < colStarts[j + 1]; p++) {
      const i = rowIndices[p];
      if (i === j) continue;
      adjacency[fill[i]++] = j;
      adjacency[fill[j]++] = i;
    }
  }
  // Remove the duplicates created by entries present in both A and Aᵀ, compacting in place.
  const mark = new Int32Array(n).fill(-1);
  const starts = new Int32Array(n);
  const lengths = new Int32Array(n);
  let out = 0;
  for (let i = 0; i < n; i++) {
    starts[i] = out;
    for (let p = counts[i]; p < counts[i + 1]; p++) {
      const j = adjacency[p];
      if (mark[j] === i) continue;
      mark[j] = i;
      adjacency[out++] = j;
    }
    lengths[i] = out - starts[i];
  }
  return { starts, lengths, adjacency: adjacency.subarray(0, out) };
}

/** Move all live lists to the front of iw (in memory order) and return the new first free slot. */
export function compactLists(
  n: number,
  iw: Int32Array,
  pe: Int32Array,
  len: Int32Array,
  state: Uint8Array,
  cnz: number,
): number {
  // Tag the first slot of each live list with the owner (as -(owner+1)), keeping the displaced value in pe.
  for (let j = 0; j < n; j++) {
    const s = state[j];
    if ((s !== VARIABLE && s !== ELEMENT) || pe[j] < 0 || len[j] === 0) continue;
    const start = pe[j];
    pe[j] = iw[start];
    iw[start] = -(j + 1);
  }
  let out = 0;
  let p = 0;
  while (p < cnz) {
    const tag = iw[p];
    if (tag >= 0) {
      p++;
      continue;
    }
    const j = -tag - 1;
    iw[p] = pe[j];
    pe[j] = out;
    const ln = len[j];
    for (let t = 0; t < ln; t++) iw[out++] = iw[p++];
  }
  return out;
}

/** Each pivot is followed by the variables eliminated with it; dense rows come last. */
export function orderFromPivots(
  n: number,
  pivots: Int32Array,
  numPivots: number,
  state: Uint8Array,
  parent: Int32Array,
): Int32Array {
  // Owner element of every non-principal variable, with path compression.
  // Every pivot owns itself, whether its element is still alive or was absorbed later.
  const owner = new Int32Array(n).fill(-1);
  for (let t = 0; t < numPivots; t++) owner[pivots[t]] = pivots[t];
  for (let i = 0; i < n; i++) {
    if (state[i] !== NON_PRINCIPAL || owner[i] !== -1) continue;
    let r = i;
    while (owner[r] === -1) r = parent[r];
    const root = owner[r];
    let c = i;
    while (owner[c] === -1) {
      owner[c] = root;
      c = parent[c];
    }
  }
  const groupCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    if (state[i] === NON_PRINCIPAL) groupCount[owner[i]]++;
  }
  const order = new Int32Array(n);
  const position = new Int32Array(n); // next free position in the group of each element
  let k = 0;
  for (let t = 0; t < numPivots; t++) {
    const e = pivots[t];
    order[k++] = e;
    position[e] = k;
    k += groupCount[e];
  }
  for (let i = 0; i < n; i++) {
    if (state[i] === NON_PRINCIPAL) order[position[owner[i]]++] = i;
  }
  for (let i = 0; i < n; i++) {
    if (state[i] === DENSE) order[k++] = i;
  }
  if (k !== n) throw new Error(`AMD internal error: ordered ${k} of ${n} variables`);
  return order;
}
