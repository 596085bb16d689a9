// The only module that talks to HiGHS (npm `highs`, WebAssembly): solves an LP or MILP.

import type { Highs } from 'highs';
import * as highsModule from 'highs';
import type { OptimisationStatus } from '../../core/status.ts';
import type { LpBasis, OptimisationProblem, OptimisationResult, SolveOptions } from './problem.ts';

let runtime: Promise<Highs> | undefined;

/** Load the WebAssembly runtime once per process; it holds no problem state between solves. */
function getHighs(): Promise<Highs> {
  // The package's types are CommonJS-shaped; under ESM the loader is the namespace's default export.
  runtime ??= (highsModule.default as unknown as () => Promise<Highs>)();
  return runtime;
}

const STATUS_BY_CODE: Record<number, { status: OptimisationStatus; text: string }> = {
  7: { status: 'optimal', text: 'Optimal' },
  8: { status: 'infeasible', text: 'Infeasible' },
  9: { status: 'infeasible', text: 'Primal infeasible or unbounded' },
  10: { status: 'unbounded', text: 'Unbounded' },
  13: { status: 'not_converged', text: 'Time limit reached' },
  14: { status: 'not_converged', text: 'Iteration limit reached' },
};

function readBasis(basis: { colStatus: ArrayLike<number>; rowStatus: ArrayLike<number> }): LpBasis {
  return { colStatus: Int8Array.from(basis.colStatus), rowStatus: Int8Array.from(basis.rowStatus) };
}

/** Solve an LP or MILP (or a QP, though the solver port sends QPs to `numeric/qp`) with HiGHS. */
export async function solveWithHighs(
  problem: OptimisationProblem,
  options: SolveOptions,
): Promise<OptimisationResult> {
  const highs = await getHighs();
  const inf = highs.infinity;
  const clamp = (values: Float64Array) => values.map((v) => (v >= 1e20 ? inf : v <= -1e20 ? -inf : v));
  const empty = {
    objective: Number.NaN,
    x: new Float64Array(problem.numCols),
    rowActivity: new Float64Array(problem.numRows),
    rowDual: new Float64Array(problem.numRows),
    colDual: new Float64Array(problem.numCols),
  };
  if (problem.numCols === 0) {
    const feasible = problem.rowLower.every((l) => l <= 0) && problem.rowUpper.every((u) => u >= 0);
    const status: OptimisationStatus = feasible ? 'optimal' : 'infeasible';
    return {
      ...empty,
      status,
      solverStatus: 'Empty',
      objective: problem.offset,
    };
  }
  return highs.withModel(
    {
      numCols: problem.numCols,
      numRows: problem.numRows,
      sense:
        problem.sense === 'maximize'
          ? highs.constants.objectiveSense.maximize
          : highs.constants.objectiveSense.minimize,
      offset: problem.offset,
      colCost: problem.colCost,
      colLower: clamp(problem.colLower),
      colUpper: clamp(problem.colUpper),
      rowLower: clamp(problem.rowLower),
      rowUpper: clamp(problem.rowUpper),
      matrix: {
        format: 'csr',
        numRows: problem.numRows,
        numCols: problem.numCols,
        starts: problem.rowStarts,
        indices: problem.rowColumns,
        values: problem.rowValues,
      },
      hessian: problem.hessian
        ? { format: 'triangular', dimension: problem.numCols, ...problem.hessian }
        : undefined,
      integrality: problem.integrality ? Int32Array.from(problem.integrality) : undefined,
    },
    (model): OptimisationResult => {
      model.options.set({ output_flag: false });
      if (options.timeLimitS !== undefined) model.options.set({ time_limit: options.timeLimitS });
      if (options.mipRelativeGap !== undefined) model.options.set({ mip_rel_gap: options.mipRelativeGap });
      const { basis } = options;
      const isLp = !problem.hessian && !problem.integrality;
      if (
        isLp &&
        basis &&
        basis.colStatus.length === problem.numCols &&
        basis.rowStatus.length === problem.numRows
      )
        model.setBasis({
          colStatus: Int32Array.from(basis.colStatus),
          rowStatus: Int32Array.from(basis.rowStatus),
        });
      try {
        model.run();
      } catch (error) {
        // The WebAssembly build throws on internal solver failures (e.g. `run failed with HiGHS status -1`,
        // seen with large QPs); that is a numerical outcome, reported as a status.
        return {
          ...empty,
          status: 'error',
          solverStatus: error instanceof Error ? error.message : String(error),
        };
      }
      const code = model.getModelStatus();
      const mapped = STATUS_BY_CODE[code] ?? { status: 'error' as const, text: `HiGHS model status ${code}` };
      if (mapped.status !== 'optimal') return { ...empty, status: mapped.status, solverStatus: mapped.text };
      const solution = model.getSolution();
      return {
        status: 'optimal',
        solverStatus: mapped.text,
        objective: model.getObjectiveValue(),
        x: solution.colValue,
        rowActivity: solution.rowValue,
        rowDual: solution.rowDual,
        colDual: solution.colDual,
        basis: isLp && options.keepBasis ? readBasis(model.getBasis()) : undefined,
      };
    },
  );
}
