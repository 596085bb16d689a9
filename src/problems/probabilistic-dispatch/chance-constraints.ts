// The chance-constraint parts of the probabilistic dispatch: quantile tightening of each limit row from the sampled
// net-load deviations, and the in-sample joint violation frequency used to calibrate the per-row risk
// (solve-probabilistic-dispatch.ts; formulation in README.md). Units: MW, pu.
import { isDownstream } from '../../formulations/lin-dist-flow.ts';
import { quantileOfSorted } from '../../uncertainty/quantiles.ts';
import { type DlmpProblemSolution, polygonActiveRange } from '../dlmp/dlmp-problem.ts';
import type { FeederLinearisation, FeederModel } from '../dlmp/linearisation.ts';

/** Quantile-tightening margins per bus row: deviations ξ_s = n_s − n̄ pushed through the sensitivities. */
export function tighteningMargins(
  feeder: FeederModel,
  sensitivity: readonly Float64Array[],
  busScenario: readonly Float64Array[],
  mean: Float64Array,
  risk: number,
) {
  const n = feeder.net.busCount;
  const S = busScenario.length;
  const tree = feeder.lin.tree;
  const vLowPu = new Float64Array(n);
  const vHighPu = new Float64Array(n);
  const pLowMw = new Float64Array(n);
  const pHighMw = new Float64Array(n);
  const deviation = busScenario.map((s) => Float64Array.from(s, (v, i) => v - mean[i]));
  const column = new Float64Array(S);
  for (let j = 0; j < n; j++) {
    for (let s = 0; s < S; s++) {
      let dv = 0;
      const d = deviation[s];
      for (let i = 0; i < n; i++) if (d[i] !== 0) dv += sensitivity[i][j] * d[i];
      column[s] = dv;
    }
    column.sort();
    vLowPu[j] = Math.max(0, -quantileOfSorted(column, risk));
    vHighPu[j] = Math.max(0, quantileOfSorted(column, 1 - risk));
  }
  for (let t = 1; t < n; t++) {
    const c = tree.order[t];
    if (!(feeder.net.branchRateMva[tree.parentBranch[c]] > 0)) continue;
    for (let s = 0; s < S; s++) {
      let dp = 0;
      for (let i = 0; i < n; i++) if (isDownstream(feeder.lin, c, i)) dp += deviation[s][i];
      column[s] = dp;
    }
    column.sort();
    pLowMw[c] = Math.max(0, -quantileOfSorted(column, risk));
    pHighMw[c] = Math.max(0, quantileOfSorted(column, 1 - risk));
  }
  return { vLowPu, vHighPu, pLowMw, pHighMw };
}

/** Share of sampled scenarios in which the linearised model breaks any (untightened) limit at the plan. */
export function jointViolationFrequency(
  feeder: FeederModel,
  point: FeederLinearisation,
  solution: DlmpProblemSolution,
  busScenario: readonly Float64Array[],
  mean: Float64Array,
  spec: { vmMinPu: Float64Array; vmMaxPu: Float64Array; parentRateMva: Float64Array; polygonSides: number },
): number {
  const n = feeder.net.busCount;
  const tree = feeder.lin.tree;
  const root = tree.order[0];
  const tol = 1e-7;
  const limits = Array.from({ length: n }, (_, c) =>
    spec.parentRateMva[c] > 0
      ? polygonActiveRange(spec.parentRateMva[c], point.qParentBranchMvar[c], spec.polygonSides)
      : undefined,
  );
  let violated = 0;
  for (const scenario of busScenario) {
    const d = Float64Array.from(scenario, (v, i) => v - mean[i]);
    let isBad = false;
    for (let j = 0; j < n && !isBad; j++) {
      if (j === root) continue;
      let v = solution.vmPu[j];
      for (let i = 0; i < n; i++) if (d[i] !== 0) v += point.voltageSensitivity[i][j] * d[i];
      if (v < spec.vmMinPu[j] - tol || v > spec.vmMaxPu[j] + tol) isBad = true;
    }
    for (let t = 1; t < n && !isBad; t++) {
      const c = tree.order[t];
      const limit = limits[c];
      if (!limit) continue;
      let p = solution.pParentBranchMw[c];
      for (let i = 0; i < n; i++) if (isDownstream(feeder.lin, c, i)) p += d[i];
      if (p > limit[1] + tol || p < limit[0] - tol) isBad = true;
    }
    if (isBad) violated++;
  }
  return violated / busScenario.length;
}
