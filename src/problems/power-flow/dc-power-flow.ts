// DC power flow: solves Bbus(nonslack, nonslack)·θ = P − Pshift − Gsh for the angles (MATPOWER dcpf).
import type { DcModel } from '../../formulations/dc.ts';
import { BUS_SLACK, type IndexedNetwork } from '../../grid/indexed-network.ts';
import {
  analyseSparseLu,
  type CscMatrix,
  createAssemblyPlan,
  factorSparseLu,
  SingularMatrixError,
  type SparseLuFactors,
  solveSparseLu,
} from '../../numeric/sparse/index.ts';
import type { NewtonRaphsonOutcome } from './newton-raphson.ts';

/** Reusable DC power flow for one network: the reduced Bbus is factorised once. */
export class DcPowerFlowSolver {
  private readonly reducedIndex: Int32Array;
  private readonly factors?: SparseLuFactors;
  private readonly singular: boolean;

  constructor(
    private readonly net: IndexedNetwork,
    private readonly model: DcModel,
  ) {
    const n = net.busCount;
    this.reducedIndex = new Int32Array(n).fill(-1);
    let size = 0;
    for (let i = 0; i < n; i++) if (net.busType[i] !== BUS_SLACK) this.reducedIndex[i] = size++;
    const { colStarts, rowIndices, values } = model.bBus;
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let k = 0; k < n; k++) {
      const c = this.reducedIndex[k];
      if (c < 0) continue;
      for (let p = colStarts[k]; p < colStarts[k + 1]; p++) {
        const r = this.reducedIndex[rowIndices[p]];
        if (r < 0) continue;
        rows.push(r);
        cols.push(c);
        vals.push(values[p]);
      }
    }
    const plan = createAssemblyPlan(size, size, Int32Array.from(rows), Int32Array.from(cols));
    const reduced: CscMatrix = { ...plan.pattern, values: new Float64Array(plan.pattern.values.length) };
    for (let e = 0; e < vals.length; e++) reduced.values[plan.slotOfEntry[e]] += vals[e];
    try {
      this.factors = size > 0 ? factorSparseLu(reduced, analyseSparseLu(reduced)) : undefined;
      this.singular = false;
    } catch (error) {
      if (!(error instanceof SingularMatrixError)) throw error;
      this.singular = true;
    }
  }

  /** Angles in place (vaRad holds the slack angle on entry); pSpecPu = generation − load (p.u.). */
  solve(pSpecPu: Float64Array, vaRad: Float64Array): NewtonRaphsonOutcome {
    if (this.singular) {
      return {
        converged: false,
        iterations: 0,
        maxMismatchPu: Number.NaN,
        message: 'singular DC susceptance matrix',
      };
    }
    const { net, model, reducedIndex } = this;
    const n = net.busCount;
    const rhs = new Float64Array(n - net.slackBus.length);
    for (let i = 0; i < n; i++) {
      const r = reducedIndex[i];
      if (r >= 0) rhs[r] = pSpecPu[i] - model.pBusShiftPu[i] - net.gShuntMw[i] / net.baseMva;
    }
    const { colStarts, rowIndices, values } = model.bBus;
    for (const s of net.slackBus) {
      for (let p = colStarts[s]; p < colStarts[s + 1]; p++) {
        const r = reducedIndex[rowIndices[p]];
        if (r >= 0) rhs[r] -= values[p] * vaRad[s];
      }
    }
    if (this.factors) {
      const theta = solveSparseLu(this.factors, rhs);
      for (let i = 0; i < n; i++) if (reducedIndex[i] >= 0) vaRad[i] = theta[reducedIndex[i]];
    }
    return { converged: true, iterations: 1, maxMismatchPu: 0 };
  }
}
