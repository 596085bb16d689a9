// Negotiation, DSO side: the range of a feeder's net position its network allows, from LinDistFlow and the transformer.
//
// Per DSO interval t, at the base point x̂_t = Σ_l (load − PV + ê)_l (the members' point forecasts and expected
// flexible demand), the DSO solves LinDistFlow (formulations/lin-dist-flow.ts; reactive load max(0, p)·tan φ) for
// |V_j| and moves the net position along the direction its members can move it: a change Δ of the feeder's net
// consumption is shared over members in proportion to their flexible range Ē_l,t (equally when nobody is
// flexible). With s_j = −Σ_l w_l·∂|V_j|/∂p_l (p.u. per kW of consumption, ≤ 0), the voltage limits give
//   x ≤ x̂ + min_j (|V_j| − vMin_j)/(−s_j),   x ≥ x̂ − min_j (vMax_j − |V_j|)/(−s_j),
// and the transformer |x| ≤ its active-power limit (FeederPricingInput.transformerLimitKw, default its rating).
// LinDistFlow has no losses and the active-power limit ignores reactive power, so the upper limit is then refined on
// the AC power flow (backward/forward sweep, the real-time model): along the same direction, the largest x whose
// head flow keeps the transformer's |S| within its rating and every bus above its vMin, by secant steps on the
// margin h(x) = min((1 − |S|/S_rated)·S_rated, min_j(|V_j| − vMin_j)/(−s_j)) (kW). On the stressed study the head
// carries 8–12 % more than the members' net consumption at night (losses + the reactive part of |S|).

import { InputError } from '../../core/errors.ts';
import { KW_PER_MW, kwToMw } from '../../core/units.ts';
import {
  buildLinDistFlow,
  computeVoltageSensitivities,
  solveLinDistFlow,
} from '../../formulations/lin-dist-flow.ts';
import { createNetwork } from '../../grid/create-network.ts';
import { indexNetwork } from '../../grid/indexed-network.ts';
import type { Network } from '../../grid/schema.ts';
import { preparePowerFlow } from '../../problems/power-flow/index.ts';
import type { PreparedPowerFlow } from '../../problems/power-flow/types.ts';
import type { FeederPricingInput } from '../mechanism.ts';

/** Reactive consumption per active consumption of the planning point (as the DSO's MV planning). */
const TAN_PHI = 0.33;
/** Secant steps of the AC refinement and the margin (kW) at which it stops. */
const AC_STEPS = 6;
const AC_TOLERANCE_KW = 0.5;
/** Share of the transformer rating the refined limit plans to: the members' own power factors and where on the
 * feeder the flexible demand lands differ from the planning direction (2 % margin). */
const RATING_PLANNING_SHARE = 0.98;

function prepareSweep(network: Network): PreparedPowerFlow {
  try {
    return preparePowerFlow(network, { method: 'bfs' });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return preparePowerFlow(network, { method: 'nr' });
  }
}

/** [lo, hi] of the feeder's net position per DSO interval (kW, one replica, positive importing). */
export function computeFeederPositionLimits(
  feeder: FeederPricingInput,
  intervals: number,
): { loKw: Float64Array; hiKw: Float64Array; headPerNetKw: Float64Array } {
  const net = indexNetwork(createNetwork({ ...feeder.network, loads: [] }));
  const model = buildLinDistFlow(net);
  const n = net.busCount;
  const buses = feeder.members.map(
    (m) => net.busIndexById.get(m.bus) ?? net.busIndexById.get(String(m.bus))!,
  );
  const sens = computeVoltageSensitivities(model, buses, Float64Array.from(net.vmStartPu)).dVmDpPuPerMw;
  const rating = feeder.network.branches.reduce((a, b) => Math.max(a, b.rateAMva ?? 0), 0) * KW_PER_MW;
  const transformerKw = feeder.transformerLimitKw ?? (rating > 0 ? rating : Number.POSITIVE_INFINITY);
  const ac = prepareSweep(feeder.network);
  const acBus = feeder.members.map((m) => ac.busIds.findIndex((id) => String(id) === String(m.bus)));
  const transformer = feeder.network.branches.findIndex((b) => b.kind === 'transformer');
  const acBranch = Array.from(ac.indexed.branchPosition).indexOf(transformer);
  const ratingKva = transformer >= 0 ? (feeder.network.branches[transformer].rateAMva ?? 0) * KW_PER_MW : 0;
  const acP = new Float64Array(ac.busIds.length);
  const acQ = new Float64Array(ac.busIds.length);
  const loKw = new Float64Array(intervals);
  const hiKw = new Float64Array(intervals);
  const headPerNetKw = new Float64Array(intervals).fill(1);
  const pMw = new Float64Array(n);
  const qMvar = new Float64Array(n);
  const slope = new Float64Array(n);
  for (let t = 0; t < intervals; t++) {
    pMw.fill(0);
    qMvar.fill(0);
    slope.fill(0);
    let baseKw = 0;
    let flexKw = 0;
    for (const m of feeder.members) flexKw += m.flexibleMaxKw[t];
    const memberKw = feeder.members.map(
      (m) => m.loadKw[t] - m.pvKw[t] + Math.min(m.flexibleExpectedKw[t], m.flexibleMaxKw[t]),
    );
    const share = feeder.members.map((m) =>
      flexKw > 0 ? m.flexibleMaxKw[t] / flexKw : 1 / feeder.members.length,
    );
    feeder.members.forEach((m, l) => {
      const kw = memberKw[l];
      baseKw += kw;
      pMw[buses[l]] += kwToMw(kw);
      qMvar[buses[l]] += kwToMw(Math.max(0, kw) * TAN_PHI);
      const w = share[l];
      // ∂|V|/∂p is per MW of injection; per kW of consumption it is −∂|V|/∂p / 1000.
      for (let j = 0; j < n; j++) slope[j] -= (w * sens[l][j]) / KW_PER_MW;
    });
    const vm = solveLinDistFlow(model, pMw, qMvar).vmPu;
    let up = Number.POSITIVE_INFINITY;
    let down = Number.POSITIVE_INFINITY;
    let steepest = 0;
    for (let j = 0; j < n; j++) {
      if (!(slope[j] < 0)) continue;
      up = Math.min(up, (vm[j] - net.vmMinPu[j]) / -slope[j]);
      down = Math.min(down, (net.vmMaxPu[j] - vm[j]) / -slope[j]);
      steepest = Math.max(steepest, -slope[j]);
    }
    // AC sweep at net position x, the change from the base point shared as in the sensitivities.
    const sweep = (x: number) => {
      acP.fill(0);
      acQ.fill(0);
      memberKw.forEach((kw, l) => {
        const p = kw + (x - baseKw) * share[l];
        acP[acBus[l]] += kwToMw(p);
        acQ[acBus[l]] += kwToMw(Math.max(0, p) * TAN_PHI);
      });
      return ac.solveArrays({ pLoadMw: acP, qLoadMvar: acQ });
    };
    // AC margin (kW) at net position x.
    const margin = (x: number): number => {
      const r = sweep(x);
      let h = Number.POSITIVE_INFINITY;
      if (acBranch >= 0 && ratingKva > 0)
        h =
          RATING_PLANNING_SHARE * ratingKva -
          Math.hypot(r.pFromMw[acBranch], r.qFromMvar[acBranch]) * KW_PER_MW;
      if (steepest > 0)
        for (let j = 0; j < r.vmPu.length; j++)
          h = Math.min(h, (r.vmPu[j] - ac.indexed.vmMinPu[j]) / steepest);
      return h;
    };
    hiKw[t] = refineUpper(margin, Math.min(baseKw + up, transformerKw));
    loKw[t] = Math.max(baseKw - down, -transformerKw);
    if (loKw[t] > hiKw[t]) loKw[t] = hiKw[t];
    // Head import per net position at the upper limit (losses: what the MV network sees of the feeder).
    if (acBranch >= 0 && Number.isFinite(hiKw[t]) && hiKw[t] > 1)
      headPerNetKw[t] = Math.max(1, (sweep(hiKw[t]).pFromMw[acBranch] * KW_PER_MW) / hiKw[t]);
  }
  return { loKw, hiKw, headPerNetKw };
}

/** The largest x near x0 with margin(x) ≥ 0 (margin decreasing, ≈ −1 kW per kW), by secant steps. */
function refineUpper(margin: (x: number) => number, x0: number): number {
  if (!Number.isFinite(x0)) return x0;
  let x = x0;
  let h = margin(x);
  let xPrev = x - h;
  let hPrev = Number.NaN;
  for (let i = 0; i < AC_STEPS && Number.isFinite(h) && (h < 0 || h > AC_TOLERANCE_KW); i++) {
    const slopeKw = Number.isFinite(hPrev) && x !== xPrev ? (h - hPrev) / (x - xPrev) : -1;
    const next = x - h / Math.min(-0.2, slopeKw);
    xPrev = x;
    hPrev = h;
    x = next;
    h = margin(x);
  }
  // End on the feasible side.
  return h < 0 ? x + h : x;
}
