// Negotiation, DSO side: the range of a feeder's net position its network allows, from LinDistFlow and the transformer.
//
// Per DSO interval t, at the base point x̂_t = Σ_l (load − PV + ê)_l (the members' point forecasts and expected
// flexible demand), the DSO solves LinDistFlow (formulations/lin-dist-flow.ts; reactive load max(0, p)·tan φ) for
// |V_j| and moves the net position along the direction its members can move it: a change Δ of the feeder's net
// consumption is shared over members in proportion to their flexible range Ē_l,t (equally when nobody is
// flexible). With s_j = −Σ_l w_l·∂|V_j|/∂p_l (p.u. per kW of consumption, ≤ 0), the voltage limits give
//   x ≤ x̂ + min_j (|V_j| − vMin_j)/(−s_j),   x ≥ x̂ − min_j (vMax_j − |V_j|)/(−s_j),
// and the transformer |x| ≤ its active-power limit (FeederPricingInput.transformerLimitKw, default its rating).
import { KW_PER_MW, kwToMw } from '../../core/units.ts';
import {
  buildLinDistFlow,
  computeVoltageSensitivities,
  solveLinDistFlow,
} from '../../formulations/lin-dist-flow.ts';
import { createNetwork } from '../../grid/create-network.ts';
import { indexNetwork } from '../../grid/indexed-network.ts';
import type { FeederPricingInput } from '../mechanism.ts';

/** Reactive consumption per active consumption of the planning point (as the DSO's MV planning). */
const TAN_PHI = 0.33;

/** [lo, hi] of the feeder's net position per DSO interval (kW, one replica, positive importing). */
export function computeFeederPositionLimits(
  feeder: FeederPricingInput,
  intervals: number,
): { loKw: Float64Array; hiKw: Float64Array } {
  const net = indexNetwork(createNetwork({ ...feeder.network, loads: [] }));
  const model = buildLinDistFlow(net);
  const n = net.busCount;
  const buses = feeder.members.map(
    (m) => net.busIndexById.get(m.bus) ?? net.busIndexById.get(String(m.bus))!,
  );
  const sens = computeVoltageSensitivities(model, buses, Float64Array.from(net.vmStartPu)).dVmDpPuPerMw;
  const rating = feeder.network.branches.reduce((a, b) => Math.max(a, b.rateAMva ?? 0), 0) * KW_PER_MW;
  const transformerKw = feeder.transformerLimitKw ?? (rating > 0 ? rating : Number.POSITIVE_INFINITY);
  const loKw = new Float64Array(intervals);
  const hiKw = new Float64Array(intervals);
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
    feeder.members.forEach((m, l) => {
      const kw = m.loadKw[t] - m.pvKw[t] + Math.min(m.flexibleExpectedKw[t], m.flexibleMaxKw[t]);
      baseKw += kw;
      pMw[buses[l]] += kwToMw(kw);
      qMvar[buses[l]] += kwToMw(Math.max(0, kw) * TAN_PHI);
      const w = flexKw > 0 ? m.flexibleMaxKw[t] / flexKw : 1 / feeder.members.length;
      // ∂|V|/∂p is per MW of injection; per kW of consumption it is −∂|V|/∂p / 1000.
      for (let j = 0; j < n; j++) slope[j] -= (w * sens[l][j]) / KW_PER_MW;
    });
    const vm = solveLinDistFlow(model, pMw, qMvar).vmPu;
    let up = Number.POSITIVE_INFINITY;
    let down = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      if (!(slope[j] < 0)) continue;
      up = Math.min(up, (vm[j] - net.vmMinPu[j]) / -slope[j]);
      down = Math.min(down, (net.vmMaxPu[j] - vm[j]) / -slope[j]);
    }
    hiKw[t] = Math.min(baseKw + up, transformerKw);
    loKw[t] = Math.max(baseKw - down, -transformerKw);
    if (loKw[t] > hiKw[t]) loKw[t] = hiKw[t];
  }
  return { loKw, hiKw };
}
