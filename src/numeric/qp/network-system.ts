// Newton system of network-structured QPs (diagonal Q, at most two entries per column of A) solved on the rows
// only: normal equations by conjugate gradients, preconditioned by a maximum-weight spanning tree.
import type { ReducedQp } from './standard-form.ts';

/** What the interior point method needs from a Newton system (`KktSystem` or `NetworkSystem`). */
export interface NewtonSystem {
  /** Set the barrier diagonal (Dx on the n columns, E on the m rows) and the regularisation; prepare solves. */
  factor(dx: Float64Array, eRows: Float64Array, rho: number, delta: number): void;
  /** Solve [H Aᵀ; A −(E + δI)]·out = rhs (n + m unknowns: dx, −dy). */
  solve(rhs: Float64Array, out: Float64Array): void;
}

/** True when Q is diagonal and every column of A has at most two entries (agents + trades, network flows). */
export function isNetworkStructured(qp: ReducedQp): boolean {
  const { q, a, n } = qp;
  for (let j = 0; j < n; j++) {
    for (let p = q.colStarts[j]; p < q.colStarts[j + 1]; p++) if (q.rowIndices[p] !== j) return false;
    if (a.colStarts[j + 1] - a.colStarts[j] > 2) return false;
  }
  return true;
}

/** Relative residual ‖M v − b‖₂ ≤ CG_TOLERANCE·‖b‖₂ ends a solve; CG_MAX_ITERATIONS caps it. */
const CG_TOLERANCE = 1e-10;
const CG_MAX_ITERATIONS = 2000;

/**
 * The column unknowns are eliminated (H = Q + Dx + ρI is diagonal): with v = −dy,
 *   M v = (A H⁻¹ Aᵀ + E + δI) v = A H⁻¹ r₁ − r₂,   dx = H⁻¹ (r₁ − Aᵀ v).
 * M has the pattern of the row graph (agents joined by trades), whose Cholesky factor fills densely on random
 * trade graphs. So M is applied as a product and the system solved by preconditioned conjugate gradients. The
 * preconditioner keeps M's diagonal and its off-diagonal entries on a maximum-weight spanning forest of the row
 * graph (weights |a_ik a_jk|/H_k), factorised leaves first without fill. This is the spanning-tree
 * preconditioner of interior point methods for network flows (Resende & Veiga, DIMACS Series 12, 1993): near
 * the optimum the interior columns (small H, large weights) form a forest, and the preconditioned matrix tends to
 * the identity plus a low-weight remainder.
 */
export class NetworkSystem implements NewtonSystem {
  /** Conjugate gradient iterations over all solves so far (diagnostics, benchmarks). */
  cgIterations = 0;
  private readonly n: number;
  private readonly m: number;
  private readonly row1: Int32Array;
  private readonly row2: Int32Array;
  private readonly val1: Float64Array;
  private readonly val2: Float64Array;
  private readonly qDiagonal: Float64Array;
  private readonly hInv: Float64Array;
  /** M's diagonal, and its row part E + δ alone. */
  private readonly rowDiagonal: Float64Array;
  private readonly rowShift: Float64Array;
  private readonly edges: Int32Array;
  private readonly edgeWeight: Float64Array;
  // Spanning forest: BFS order, parent row, off-diagonal to the parent, and its LDLᵀ (l to the parent, d).
  private readonly order: Int32Array;
  private readonly parent: Int32Array;
  private readonly off: Float64Array;
  private readonly pivot: Float64Array;
  private readonly link: Float64Array;
  private readonly setOf: Int32Array;
  private readonly adjStart: Int32Array;
  private readonly adjRow: Int32Array;
  private readonly adjCol: Int32Array;
  // CG work vectors (length m) and a column vector (length n).
  private readonly b: Float64Array;
  private readonly r: Float64Array;
  private readonly z: Float64Array;
  private readonly p: Float64Array;
  private readonly mp: Float64Array;
  private readonly colWork: Float64Array;

  constructor(qp: ReducedQp) {
    const { n, m, a, q } = qp;
    this.n = n;
    this.m = m;
    this.row1 = new Int32Array(n).fill(-1);
    this.row2 = new Int32Array(n).fill(-1);
    this.val1 = new Float64Array(n);
    this.val2 = new Float64Array(n);
    this.qDiagonal = new Float64Array(n);
    const edges: number[] = [];
    for (let j = 0; j < n; j++) {
      const start = a.colStarts[j];
      const count = a.colStarts[j + 1] - start;
      if (count >= 1) {
        this.row1[j] = a.rowIndices[start];
        this.val1[j] = a.values[start];
      }
      if (count === 2) {
        this.row2[j] = a.rowIndices[start + 1];
        this.val2[j] = a.values[start + 1];
        edges.push(j);
      }
      for (let p = q.colStarts[j]; p < q.colStarts[j + 1]; p++) this.qDiagonal[j] += q.values[p];
    }
    this.edges = Int32Array.from(edges);
    this.edgeWeight = new Float64Array(edges.length);
    this.hInv = new Float64Array(n);
    this.colWork = new Float64Array(n);
    this.rowDiagonal = new Float64Array(m);
    this.rowShift = new Float64Array(m);
    this.b = new Float64Array(m);
    this.r = new Float64Array(m);
    this.z = new Float64Array(m);
    this.p = new Float64Array(m);
    this.mp = new Float64Array(m);
    this.off = new Float64Array(m);
    this.pivot = new Float64Array(m);
    this.link = new Float64Array(m);
    this.order = new Int32Array(m);
    this.parent = new Int32Array(m);
    this.setOf = new Int32Array(m);
    this.adjStart = new Int32Array(m + 1);
    this.adjRow = new Int32Array(2 * m);
    this.adjCol = new Int32Array(2 * m);
  }

  factor(dx: Float64Array, eRows: Float64Array, rho: number, delta: number): void {
    const { n, m, hInv, rowDiagonal, row1, row2, val1, val2 } = this;
    for (let i = 0; i < m; i++) this.rowShift[i] = eRows[i] + delta;
    rowDiagonal.set(this.rowShift);
    for (let j = 0; j < n; j++) {
      const h = 1 / (this.qDiagonal[j] + dx[j] + rho);
      hInv[j] = h;
      if (row1[j] >= 0) rowDiagonal[row1[j]] += val1[j] * val1[j] * h;
      if (row2[j] >= 0) rowDiagonal[row2[j]] += val2[j] * val2[j] * h;
    }
    this.buildForest();
    this.factorForest();
  }

  /** Kruskal's maximum-weight spanning forest of the row graph, rooted by breadth-first search. */
  private buildForest(): void {
    const { m, edges, edgeWeight, setOf, hInv } = this;
    for (let e = 0; e < edges.length; e++) {
      const j = edges[e];
      edgeWeight[e] = Math.abs(this.val1[j] * this.val2[j]) * hInv[j];
    }
    const sorted = Int32Array.from(edges.keys()).sort((x, y) => edgeWeight[y] - edgeWeight[x]);
    for (let i = 0; i < m; i++) setOf[i] = i;
    const find = (i: number): number => {
      while (setOf[i] !== i) {
        setOf[i] = setOf[setOf[i]];
        i = setOf[i];
      }
      return i;
    };
    const degree = this.adjStart;
    degree.fill(0);
    const treeCols: number[] = [];
    for (let s = 0; s < sorted.length && treeCols.length < m - 1; s++) {
      const j = edges[sorted[s]];
      const ra = find(this.row1[j]);
      const rb = find(this.row2[j]);
      if (ra === rb) continue;
      setOf[ra] = rb;
      treeCols.push(j);
      degree[this.row1[j] + 1]++;
      degree[this.row2[j] + 1]++;
    }
    for (let i = 0; i < m; i++) degree[i + 1] += degree[i];
    const fillAt = this.setOf; // reused as insertion cursor
    for (let i = 0; i < m; i++) fillAt[i] = degree[i];
    for (const j of treeCols) {
      const u = this.row1[j];
      const v = this.row2[j];
      this.adjRow[fillAt[u]] = v;
      this.adjCol[fillAt[u]++] = j;
      this.adjRow[fillAt[v]] = u;
      this.adjCol[fillAt[v]++] = j;
    }
    const { order, parent, off } = this;
    parent.fill(-2);
    let head = 0;
    let tail = 0;
    for (let root = 0; root < m; root++) {
      if (parent[root] !== -2) continue;
      parent[root] = -1;
      off[root] = 0;
      order[tail++] = root;
      while (head < tail) {
        const u = order[head++];
        for (let p = degree[u]; p < degree[u + 1]; p++) {
          const v = this.adjRow[p];
          if (parent[v] !== -2) continue;
          const j = this.adjCol[p];
          parent[v] = u;
          off[v] = this.val1[j] * this.val2[j] * hInv[j];
          order[tail++] = v;
        }
      }
    }
  }

  /** LDLᵀ of the forest preconditioner, children before parents: no fill. */
  private factorForest(): void {
    const { m, order, parent, off, pivot, link } = this;
    pivot.set(this.rowDiagonal);
    for (let t = m - 1; t >= 0; t--) {
      const v = order[t];
      const p = parent[v];
      if (p < 0) continue;
      link[v] = off[v] / pivot[v];
      pivot[p] -= off[v] * link[v];
    }
  }

  /** z = P⁻¹ r by the forest factors. */
  private precondition(r: Float64Array, z: Float64Array): void {
    const { m, order, parent, pivot, link } = this;
    z.set(r);
    for (let t = m - 1; t >= 0; t--) {
      const v = order[t];
      if (parent[v] >= 0) z[parent[v]] -= link[v] * z[v];
    }
    for (let i = 0; i < m; i++) z[i] /= pivot[i];
    for (let t = 0; t < m; t++) {
      const v = order[t];
      if (parent[v] >= 0) z[v] -= link[v] * z[parent[v]];
    }
  }

  /** out = M v (without forming M). */
  private multiply(v: Float64Array, out: Float64Array): void {
    const { n, m, row1, row2, val1, val2, hInv } = this;
    for (let i = 0; i < m; i++) out[i] = this.rowShift[i] * v[i];
    for (let j = 0; j < n; j++) {
      const r1 = row1[j];
      if (r1 < 0) continue;
      const r2 = row2[j];
      const s = hInv[j] * (val1[j] * v[r1] + (r2 >= 0 ? val2[j] * v[r2] : 0));
      out[r1] += val1[j] * s;
      if (r2 >= 0) out[r2] += val2[j] * s;
    }
  }

  solve(rhs: Float64Array, out: Float64Array): void {
    const { n, m, row1, row2, val1, val2, hInv, b, r, z, p, mp, colWork } = this;
    for (let i = 0; i < m; i++) b[i] = -rhs[n + i];
    for (let j = 0; j < n; j++) {
      const s = hInv[j] * rhs[j];
      if (row1[j] >= 0) b[row1[j]] += val1[j] * s;
      if (row2[j] >= 0) b[row2[j]] += val2[j] * s;
    }
    const v = out.subarray(n, n + m);
    this.conjugateGradients(b, v, r, z, p, mp);
    for (let j = 0; j < n; j++) {
      let s = rhs[j];
      if (row1[j] >= 0) s -= val1[j] * v[row1[j]];
      if (row2[j] >= 0) s -= val2[j] * v[row2[j]];
      colWork[j] = hInv[j] * s;
    }
    out.set(colWork.subarray(0, n), 0);
  }

  private conjugateGradients(
    b: Float64Array,
    v: Float64Array,
    r: Float64Array,
    z: Float64Array,
    p: Float64Array,
    mp: Float64Array,
  ): void {
    const m = this.m;
    v.fill(0);
    r.set(b);
    let bNorm = 0;
    for (let i = 0; i < m; i++) bNorm += b[i] * b[i];
    if (bNorm === 0) return;
    const stop = CG_TOLERANCE * CG_TOLERANCE * bNorm;
    this.precondition(r, z);
    p.set(z);
    let rz = 0;
    for (let i = 0; i < m; i++) rz += r[i] * z[i];
    for (let it = 0; it < CG_MAX_ITERATIONS; it++) {
      this.cgIterations++;
      this.multiply(p, mp);
      let pmp = 0;
      for (let i = 0; i < m; i++) pmp += p[i] * mp[i];
      if (!(pmp > 0)) return;
      const alpha = rz / pmp;
      let rr = 0;
      for (let i = 0; i < m; i++) {
        v[i] += alpha * p[i];
        r[i] -= alpha * mp[i];
        rr += r[i] * r[i];
      }
      if (rr <= stop) return;
      this.precondition(r, z);
      let rzNext = 0;
      for (let i = 0; i < m; i++) rzNext += r[i] * z[i];
      const beta = rzNext / rz;
      rz = rzNext;
      for (let i = 0; i < m; i++) p[i] = z[i] + beta * p[i];
    }
  }
}
