// Fill-reducing orderings: approximate minimum degree (AMD) on the pattern of A + Aᵀ, via a quotient graph.
import {
  ABSORBED,
  compactLists,
  DENSE,
  ELEMENT,
  NON_PRINCIPAL,
  orderFromPivots,
  symmetricAdjacency,
} from './amd-support.ts';
import type { CscMatrix } from './csc-matrix.ts';

export { invertPermutation, isPermutation, naturalOrdering } from './permutation.ts';

export interface MinimumDegreeOptions {
  /**
   * Rows/columns with more than `max(16, denseFactor·√n)` off-diagonal neighbours are treated as dense:
   * removed from the graph and ordered last (default 10, as in the AMD paper).
   */
  readonly denseFactor?: number;
  /** Absorb elements whose variables all lie in the new element (default true). */
  readonly aggressiveAbsorption?: boolean;
}

/**
 * Approximate minimum degree ordering of the symmetric pattern of A + Aᵀ (Amestoy, Davis & Duff 1996):
 * quotient graph with element absorption, approximate external degrees, supervariables found by
 * hashing, mass elimination and aggressive absorption. Returns `order` with `order[k]` = the
 * row/column eliminated k-th. Time is about O(nnz(A) · small); memory O(nnz(A) + n).
 */
export function approximateMinimumDegree(matrix: CscMatrix, options: MinimumDegreeOptions = {}): Int32Array {
  const n = matrix.numCols;
  if (matrix.numRows !== n) throw new RangeError(`AMD needs a square matrix, got ${matrix.numRows}×${n}`);
  if (n === 0) return new Int32Array(0);
  const aggressive = options.aggressiveAbsorption ?? true;
  const denseLimit = Math.max(16, Math.round((options.denseFactor ?? 10) * Math.sqrt(n)));

  const graph = symmetricAdjacency(matrix);
  const nnzSym = graph.adjacency.length;
  // Elbow room: the quotient graph never needs more than the original graph plus the element being built.
  const iwSize = nnzSym + Math.ceil(nnzSym / 5) + 2 * n + 16;
  const iw = new Int32Array(iwSize);
  iw.set(graph.adjacency);
  let cnz = nnzSym; // first free slot

  const pe = Int32Array.from(graph.starts); // start of each node's list in iw (-1 when the node is dead)
  const len = Int32Array.from(graph.lengths); // list length: elements first, then variables
  const elen = new Int32Array(n); // number of elements at the front of a variable's list
  const nv = new Int32Array(n); // supervariable size (negated while the variable is in the new element)
  const degree = new Int32Array(n); // approximate external degree; for elements, |Le| weighted
  const w = new Int32Array(n); // marks; for elements 0 means dead
  const state = new Uint8Array(n);
  const head = new Int32Array(n + 1).fill(-1); // degree lists
  const next = new Int32Array(n);
  const last = new Int32Array(n);
  const hashHead = new Int32Array(n).fill(-1);
  const hashNext = new Int32Array(n);
  const hashOf = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1); // for non-principal variables: where they went
  const pivots = new Int32Array(n);
  let numPivots = 0;

  let nel = 0; // weight of eliminated (or set-aside) variables
  for (let i = 0; i < n; i++) {
    nv[i] = 1;
    w[i] = 1;
    const d = len[i];
    degree[i] = d;
    if (d === 0) {
      // Isolated: eliminate now as an element with no variables.
      state[i] = ELEMENT;
      pivots[numPivots++] = i;
      nel++;
      w[i] = 0;
      pe[i] = -1;
    } else if (d > denseLimit) {
      state[i] = DENSE;
      nv[i] = 0;
      nel++;
      pe[i] = -1;
    } else {
      const h = head[d];
      next[i] = h;
      last[i] = -1;
      if (h !== -1) last[h] = i;
      head[d] = i;
    }
  }

  const flagLimit = 0x3fffffff;
  let wflg = 2;
  let lemax = 0;
  let mindeg = 0;
  const resetMarks = (): void => {
    for (let x = 0; x < n; x++) if (w[x] !== 0) w[x] = 1;
    wflg = 2;
  };

  while (nel < n) {
    // Select a variable of minimum approximate degree and take it off its degree list.
    let k = -1;
    for (; mindeg <= n; mindeg++) {
      k = head[mindeg];
      if (k !== -1) break;
    }
    if (k === -1) throw new Error('AMD internal error: no variable left to eliminate');
    const after = next[k];
    if (after !== -1) last[after] = -1;
    head[mindeg] = after;

    const elenk = elen[k];
    let nvk = nv[k];
    nel += nvk;

    // Garbage collection when the new element might not fit at the end of iw.
    if (elenk > 0 && cnz + degree[k] >= iwSize) {
      cnz = compactLists(n, iw, pe, len, state, cnz);
      if (cnz + degree[k] >= iwSize) throw new Error('AMD internal error: out of workspace');
    }

    // Construct the new element Lk from k's variables and the variables of k's elements.
    let dk = 0;
    nv[k] = -nvk;
    let p = pe[k];
    const pk1 = elenk === 0 ? p : cnz;
    let pk2 = pk1;
    for (let kk = 1; kk <= elenk + 1; kk++) {
      let e: number;
      let pj: number;
      let ln: number;
      if (kk > elenk) {
        e = k;
        pj = p;
        ln = len[k] - elenk;
      } else {
        e = iw[p++];
        if (state[e] !== ELEMENT || pe[e] < 0) continue; // defensive: lists hold only live elements
        pj = pe[e];
        ln = len[e];
      }
      for (let t = 0; t < ln; t++) {
        const i = iw[pj++];
        const nvi = nv[i];
        if (nvi <= 0) continue; // dead, or already in Lk
        dk += nvi;
        nv[i] = -nvi;
        iw[pk2++] = i;
        const ni = next[i];
        const li = last[i];
        if (ni !== -1) last[ni] = li;
        if (li !== -1) next[li] = ni;
        else head[degree[i]] = ni;
      }
      if (e !== k) {
        state[e] = ABSORBED;
        pe[e] = -1;
        w[e] = 0;
      }
    }
    if (elenk !== 0) cnz = pk2;
    degree[k] = dk;
    pe[k] = pk1;
    len[k] = pk2 - pk1;
    elen[k] = 0;
    state[k] = ELEMENT;
    pivots[numPivots++] = k;

    // For every element e adjacent to Lk, w[e] - wflg becomes |Le \ Lk| (weighted).
    if (wflg + lemax >= flagLimit) resetMarks();
    for (let pk = pk1; pk < pk2; pk++) {
      const i = iw[pk];
      const eln = elen[i];
      if (eln <= 0) continue;
      const nvi = -nv[i];
      const wnvi = wflg - nvi;
      const pEnd = pe[i] + eln;
      for (let q = pe[i]; q < pEnd; q++) {
        const e = iw[q];
        const we = w[e];
        if (we >= wflg) w[e] = we - nvi;
        else if (we !== 0) w[e] = degree[e] + wnvi;
      }
    }

    // Degree update, element absorption, mass elimination, and hashing for supervariable detection.
    for (let pk = pk1; pk < pk2; pk++) {
      const i = iw[pk];
      const p1 = pe[i];
      const p2 = p1 + elen[i];
      const p4 = p1 + len[i];
      let pn = p1;
      let hash = 0;
      let d = 0;
      for (let q = p1; q < p2; q++) {
        const e = iw[q];
        const we = w[e];
        if (we === 0) continue; // absorbed earlier
        const dext = we - wflg;
        if (dext > 0 || !aggressive) {
          d += dext;
          iw[pn++] = e;
          hash += e;
        } else {
          // Le ⊆ Lk: absorb e into k.
          state[e] = ABSORBED;
          pe[e] = -1;
          w[e] = 0;
        }
      }
      const p3 = pn; // start of the variable part
      for (let q = p2; q < p4; q++) {
        const j = iw[q];
        const nvj = nv[j];
        if (nvj <= 0) continue; // dead, or in Lk (now covered by element k)
        d += nvj;
        iw[pn++] = j;
        hash += j;
      }
      if (p3 === p1 && pn === p1) {
        // Only element k is adjacent: i is indistinguishable from k and is eliminated with it.
        const nvi = -nv[i];
        dk -= nvi;
        nvk += nvi;
        nel += nvi;
        nv[i] = 0;
        state[i] = NON_PRINCIPAL;
        parent[i] = k;
        pe[i] = -1;
      } else {
        if (d < degree[i]) degree[i] = d;
        // Insert k as an element: move the first variable to the end (one slot was freed above).
        iw[pn] = iw[p3];
        iw[p3] = k;
        pn++;
        elen[i] = p3 - p1 + 1;
        len[i] = pn - p1;
        const bucket = hash % n;
        hashOf[i] = bucket;
        hashNext[i] = hashHead[bucket];
        hashHead[bucket] = i;
      }
    }
    degree[k] = dk;
    if (dk > lemax) lemax = dk;
    wflg += lemax + 1;
    if (wflg + lemax + n >= flagLimit) resetMarks();

    // Supervariable detection: variables of Lk with identical lists are merged.
    for (let pk = pk1; pk < pk2; pk++) {
      const i = iw[pk];
      if (nv[i] >= 0) continue;
      const bucket = hashOf[i];
      let ii = hashHead[bucket];
      if (ii === -1) continue;
      hashHead[bucket] = -1;
      for (; ii !== -1 && hashNext[ii] !== -1; ii = hashNext[ii]) {
        const ln = len[ii];
        const eln = elen[ii];
        const start = pe[ii];
        for (let q = start; q < start + ln; q++) w[iw[q]] = wflg;
        let jPrevious = ii;
        let j = hashNext[ii];
        while (j !== -1) {
          let same = len[j] === ln && elen[j] === eln;
          const sj = pe[j];
          for (let q = sj; same && q < sj + ln; q++) if (w[iw[q]] !== wflg) same = false;
          const jNext = hashNext[j];
          if (same) {
            nv[ii] += nv[j];
            nv[j] = 0;
            state[j] = NON_PRINCIPAL;
            parent[j] = ii;
            pe[j] = -1;
            hashNext[jPrevious] = jNext;
          } else {
            jPrevious = j;
          }
          j = jNext;
        }
        wflg++;
      }
    }

    // Finalise the degrees of Lk's principal variables and compact Lk.
    let pOut = pk1;
    const remaining = n - nel;
    for (let pk = pk1; pk < pk2; pk++) {
      const i = iw[pk];
      const nvi = -nv[i];
      if (nvi <= 0) continue;
      nv[i] = nvi;
      let d = degree[i] + dk - nvi;
      if (d > remaining - nvi) d = remaining - nvi;
      const h = head[d];
      next[i] = h;
      last[i] = -1;
      if (h !== -1) last[h] = i;
      head[d] = i;
      if (d < mindeg) mindeg = d;
      degree[i] = d;
      iw[pOut++] = i;
    }
    nv[k] = nvk;
    len[k] = pOut - pk1;
    if (len[k] === 0) {
      pe[k] = -1;
      w[k] = 0;
    }
    if (elenk !== 0) cnz = pOut;
  }

  return orderFromPivots(n, pivots, numPivots, state, parent);
}
