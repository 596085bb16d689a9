// The solver-independent description of an LP / convex QP / MILP, its result, and a builder that assembles it.
import type { OptimisationStatus } from '../../core/status.ts';

/** minimise (or maximise) ½ xᵀQx + cᵀx + offset  s.t.  rowLower ≤ A x ≤ rowUpper,  colLower ≤ x ≤ colUpper. */
export interface OptimisationProblem {
  readonly sense: 'minimize' | 'maximize';
  readonly numCols: number;
  readonly numRows: number;
  readonly offset: number;
  readonly colCost: Float64Array;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  /** A in compressed sparse row form. */
  readonly rowStarts: Int32Array;
  readonly rowColumns: Int32Array;
  readonly rowValues: Float64Array;
  /** Q as lower-triangular compressed columns (entries of Q itself, not halved), or absent for an LP. */
  readonly hessian?: {
    readonly starts: Int32Array;
    readonly indices: Int32Array;
    readonly values: Float64Array;
  };
  /** 1 marks an integer column; absent means all continuous. */
  readonly integrality?: Uint8Array;
  readonly colNames?: readonly string[];
  readonly rowNames?: readonly string[];
}

/** Primal and dual solution. Duals follow HiGHS' convention: rowDual[i] = ∂objective/∂(active bound of row i). */
export interface OptimisationResult {
  readonly status: OptimisationStatus;
  /** The solver's own status text, for diagnostics. */
  readonly solverStatus: string;
  readonly objective: number;
  readonly x: Float64Array;
  readonly rowActivity: Float64Array;
  readonly rowDual: Float64Array;
  readonly colDual: Float64Array;
  /** The optimal simplex basis, when `SolveOptions.keepBasis` asked for it and the LP was solved. */
  readonly basis?: LpBasis;
}

/**
 * A simplex basis (HiGHS codes: 0 at lower bound, 1 basic, 2 at upper bound, 3 zero, 4 nonbasic) per column
 * and per row, to warm-start an LP of the same shape whose costs or bounds changed (a different optimal vertex
 * may then be found when the LP is degenerate; the optimal objective is the same).
 */
export interface LpBasis {
  readonly colStatus: Int8Array;
  readonly rowStatus: Int8Array;
}

export interface SolveOptions {
  /** LPs only: start the simplex from this basis (ignored unless its lengths match the problem's). */
  readonly basis?: LpBasis;
  /** LPs only: return the optimal basis in `OptimisationResult.basis`. */
  readonly keepBasis?: boolean;
  readonly timeLimitS?: number;
  /** Relative MIP gap at which branch and bound stops (default HiGHS' 1e-4). */
  readonly mipRelativeGap?: number;
}

/**
 * Assembles an OptimisationProblem incrementally. Column and row indices are returned by the add methods, so
 * problem recipes keep their own index tables and never depend on solver naming.
 */
export class ProblemBuilder {
  private sense: 'minimize' | 'maximize' = 'minimize';
  private offset = 0;
  private readonly cost: number[] = [];
  private readonly lower: number[] = [];
  private readonly upper: number[] = [];
  private readonly integer: boolean[] = [];
  private readonly colNames: string[] = [];
  private readonly rLower: number[] = [];
  private readonly rUpper: number[] = [];
  private readonly rStarts: number[] = [0];
  private readonly rCols: number[] = [];
  private readonly rVals: number[] = [];
  private readonly rowNames: string[] = [];
  private readonly quadratic = new Map<number, Map<number, number>>();

  setSense(sense: 'minimize' | 'maximize'): this {
    this.sense = sense;
    return this;
  }

  addOffset(value: number): this {
    this.offset += value;
    return this;
  }

  /** Add a column with bounds and linear cost; returns its index. */
  addColumn(lower: number, upper: number, cost = 0, name?: string, isInteger = false): number {
    this.cost.push(cost);
    this.lower.push(lower);
    this.upper.push(upper);
    this.integer.push(isInteger);
    this.colNames.push(name ?? `x${this.cost.length - 1}`);
    return this.cost.length - 1;
  }

  addLinearCost(col: number, cost: number): void {
    this.cost[col] += cost;
  }

  /** Add the term ½·q·x_i·x_j + ½·q·x_j·x_i to the objective (for i = j: ½·q·x_i²). */
  addQuadraticCost(i: number, j: number, q: number): void {
    const row = Math.max(i, j);
    const col = Math.min(i, j);
    let column = this.quadratic.get(col);
    if (!column) this.quadratic.set(col, (column = new Map()));
    column.set(row, (column.get(row) ?? 0) + q);
  }

  /** Add a row lower ≤ Σ values[k]·x[columns[k]] ≤ upper; duplicate columns are summed. Returns its index. */
  addRow(
    lower: number,
    upper: number,
    columns: readonly number[],
    values: readonly number[],
    name?: string,
  ): number {
    const merged = new Map<number, number>();
    for (let k = 0; k < columns.length; k++)
      merged.set(columns[k], (merged.get(columns[k]) ?? 0) + values[k]);
    for (const [c, v] of merged) {
      if (v !== 0) {
        this.rCols.push(c);
        this.rVals.push(v);
      }
    }
    this.rStarts.push(this.rCols.length);
    this.rLower.push(lower);
    this.rUpper.push(upper);
    this.rowNames.push(name ?? `r${this.rLower.length - 1}`);
    return this.rLower.length - 1;
  }

  get numCols(): number {
    return this.cost.length;
  }

  get numRows(): number {
    return this.rLower.length;
  }

  build(): OptimisationProblem {
    const n = this.cost.length;
    let hessian: OptimisationProblem['hessian'];
    if (this.quadratic.size > 0) {
      const starts = new Int32Array(n + 1);
      const indices: number[] = [];
      const values: number[] = [];
      for (let j = 0; j < n; j++) {
        const column = this.quadratic.get(j);
        if (column) {
          for (const row of [...column.keys()].sort((a, b) => a - b)) {
            indices.push(row);
            values.push(column.get(row)!);
          }
        }
        starts[j + 1] = indices.length;
      }
      hessian = { starts, indices: Int32Array.from(indices), values: Float64Array.from(values) };
    }
    const isMip = this.integer.some((x) => x);
    return {
      sense: this.sense,
      numCols: n,
      numRows: this.rLower.length,
      offset: this.offset,
      colCost: Float64Array.from(this.cost),
      colLower: Float64Array.from(this.lower),
      colUpper: Float64Array.from(this.upper),
      rowLower: Float64Array.from(this.rLower),
      rowUpper: Float64Array.from(this.rUpper),
      rowStarts: Int32Array.from(this.rStarts),
      rowColumns: Int32Array.from(this.rCols),
      rowValues: Float64Array.from(this.rVals),
      hessian,
      integrality: isMip ? Uint8Array.from(this.integer, (b) => (b ? 1 : 0)) : undefined,
      colNames: this.colNames,
      rowNames: this.rowNames,
    };
  }
}
