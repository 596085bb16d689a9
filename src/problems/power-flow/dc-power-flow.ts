// DC power flow: solves Bbus(nonslack, nonslack)·θ = P − Pshift − Gsh for the angles (MATPOWER dcpf).
import { type DcModel, factoriseReducedSusceptance, type ReducedSusceptance } from '../../formulations/dc.ts';
import type { IndexedNetwork } from '../../grid/indexed-network.ts';
import { solveSparseLu } from '../../numeric/sparse/index.ts';
import type { SolverOutcome } from './solver.ts';

/** Reusable DC power flow for one network: the reduced Bbus is factorised once. */
export class DcPowerFlowSolver {
  private readonly reduced: ReducedSusceptance;

  constructor(
    private readonly net: IndexedNetwork,
    private readonly model: DcModel,
  ) {
    this.reduced = factoriseReducedSusceptance(model);
  }

  /** Angles in place (vaRad holds the slack angle on entry); pSpecPu = generation − load (p.u.). */
  solve(pSpecPu: Float64Array, vaRad: Float64Array): SolverOutcome {
    const { reducedIndex, factors, isSingular } = this.reduced;
    if (isSingular) {
      return {
        converged: false,
        iterations: 0,
        maxMismatchPu: Number.NaN,
        message: 'singular DC susceptance matrix',
      };
    }
    const { net, model } = this;
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
    if (factors) {
      const theta = solveSparseLu(factors, rhs);
      for (let i = 0; i < n; i++) if (reducedIndex[i] >= 0) vaRad[i] = theta[reducedIndex[i]];
    }
    return { converged: true, iterations: 1, maxMismatchPu: 0 };
  }
}
