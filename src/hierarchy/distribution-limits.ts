// What the DSO's network can deliver: the distribution-feasible range of its GSP import and per-feeder limits.
import type { EnvelopeMessage } from './envelope.ts';
import { type MvGrid, PLANNING_TAN_PHI } from './mv-grid.ts';
import type { DsoModel } from './system-model.ts';

/** Per feeder (all replicas), what it may import / export without breaking distribution limits (kW). */
export interface FeederLimits {
  readonly importKw: Float64Array;
  readonly exportKw: Float64Array;
}

export interface DistributionRange {
  /** Feasible grid-supply-point import per DSO interval (kW), lo ≤ hi. */
  readonly lo: number[];
  readonly hi: number[];
  /** Location limits for pricing, one per feeder. */
  readonly limits: FeederLimits[];
  /** MV losses of the planned flows (kW). */
  readonly lossesPlanKw: number[];
}

/** Feeder-bus perturbation of the sensitivity power flows (kW). */
const PERTURBATION_KW = 100;

/**
 * From the feeders' envelopes (DSO step, kW per replica): the planned MV flows, ∂P_branch/∂P_feeder from a
 * perturbed power flow at the interval of highest planned load, and per interval the range of GSP import the MV
 * branches and feeder transformers allow when the change is shared pro rata to flexibility (per direction); and,
 * for pricing, location limits where overloaded branches shed their excess pro rata to downstream imports.
 */
export function computeDistributionRange(
  grid: MvGrid,
  feeders: DsoModel['feeders'],
  env: readonly EnvelopeMessage[],
  n: number,
): DistributionRange {
  const peak = env[0].baseKw.reduce(
    (best, _, k) => (sumAt(env, feeders, k) > sumAt(env, feeders, best) ? k : best),
    0,
  );
  const baseAt = (k: number) => env.map((e) => e.baseKw[k]);
  const qAt = (k: number) => env.map((e) => Math.max(0, e.baseKw[k]) * PLANNING_TAN_PHI);
  const reference = grid.solve(peak, baseAt(peak), qAt(peak));
  const sensitivity = feeders.map((f, j) => {
    const p = baseAt(peak);
    p[j] += PERTURBATION_KW / f.replicas;
    const s = grid.solve(peak, p, qAt(peak));
    return Float64Array.from(s.branchPKw, (v, m) => (v - reference.branchPKw[m]) / PERTURBATION_KW);
  });
  const rateKw = grid.rateKw;
  const lo: number[] = [];
  const hi: number[] = [];
  const importLimits = feeders.map(() => new Float64Array(n));
  const exportLimits = feeders.map(() => new Float64Array(n));
  const lossesPlanKw: number[] = [];
  for (let k = 0; k < n; k++) {
    const state = grid.solve(k, baseAt(k), qAt(k));
    lossesPlanKw.push(state.lossesKw);
    const up = env.map((e, j) => (e.maxKw[k] - e.baseKw[k]) * feeders[j].replicas);
    const down = env.map((e, j) => (e.baseKw[k] - e.minKw[k]) * feeders[j].replicas);
    const upTotal = up.reduce((a, b) => a + b, 0);
    const downTotal = down.reduce((a, b) => a + b, 0);
    let dHi = upTotal;
    let dLo = -downTotal;
    // Branch limits with the change Δ shared pro rata to flexibility (per direction).
    state.branchPKw.forEach((p, m) => {
      const limit = rateKw[m];
      if (!Number.isFinite(limit)) return;
      const sUp = upTotal > 0 ? feeders.reduce((a, _, j) => a + (sensitivity[j][m] * up[j]) / upTotal, 0) : 0;
      const sDown =
        downTotal > 0 ? feeders.reduce((a, _, j) => a + (sensitivity[j][m] * down[j]) / downTotal, 0) : 0;
      if (Math.abs(sUp) > 1e-6) dHi = Math.min(dHi, Math.max((limit - p) / sUp, (-limit - p) / sUp));
      if (Math.abs(sDown) > 1e-6) dLo = Math.max(dLo, Math.min((limit - p) / sDown, (-limit - p) / sDown));
    });
    // Feeder transformers.
    feeders.forEach((f, j) => {
      const baseLoc = env[j].baseKw[k] * f.replicas;
      if (up[j] > 0) dHi = Math.min(dHi, ((f.transformerLimitKw * f.replicas - baseLoc) * upTotal) / up[j]);
      if (down[j] > 0)
        dLo = Math.max(dLo, ((-f.transformerLimitKw * f.replicas - baseLoc) * downTotal) / down[j]);
    });
    const base = state.gspKw;
    hi.push(base + dHi);
    lo.push(Math.min(base + dLo, base + dHi));
    // Location limits for pricing: overloaded branches shed their excess pro rata to downstream imports.
    feeders.forEach((f, j) => {
      const loc = env[j].baseKw[k] * f.replicas;
      let imp = f.transformerLimitKw * f.replicas;
      let exp = f.transformerLimitKw * f.replicas;
      state.branchPKw.forEach((p, m) => {
        const s = sensitivity[j][m];
        if (Math.abs(s) < 0.5 || Math.abs(p) <= rateKw[m]) return;
        const excess = Math.abs(p) - rateKw[m];
        const downstream = feeders.reduce(
          (a, g, i) => a + (Math.abs(sensitivity[i][m]) >= 0.5 ? Math.abs(env[i].baseKw[k] * g.replicas) : 0),
          0,
        );
        const cut = downstream > 0 ? (excess * Math.abs(loc)) / downstream : 0;
        if (Math.sign(p) === Math.sign(s)) imp = Math.min(imp, loc - cut);
        else exp = Math.min(exp, -loc - cut);
      });
      importLimits[j][k] = imp;
      exportLimits[j][k] = exp;
    });
  }
  return {
    lo,
    hi,
    limits: feeders.map((_, j) => ({ importKw: importLimits[j], exportKw: exportLimits[j] })),
    lossesPlanKw,
  };
}

function sumAt(env: readonly EnvelopeMessage[], feeders: DsoModel['feeders'], k: number): number {
  return env.reduce((a, e, j) => a + e.baseKw[k] * feeders[j].replicas, 0);
}
