// A platform's predictive model of its own feeder: how its net position x (kW, positive importing) moves the
// feeder's lowest and highest voltage and its transformer loading, as affine functions of φ(x) = [1, x⁺, x⁻]
// (x⁺ = max(x, 0), x⁻ = max(−x, 0), kW) — one slope for importing and
// one for exporting, since loading grows with |x| and the voltage response differs between load and PV.
//
// Identification from local measurements only. Prior: the platform's own LinDistFlow model of its feeder
// (formulations/lin-dist-flow.ts) evaluated at its members' forecast operating points scaled by 0, 0.5, 1, 1.5
// and 2 (flexible demand at the buses where members have it), fitted by RLS. Online: every metered interval
// (feeder head, min/max |V|, transformer loading of the real-time AC power flow) updates it by RLS with forgetting
// (`recursive-least-squares.ts`), so model errors (losses, reactive power, unbalance) are learnt.
import { KW_PER_MW, kwToMw } from '../../core/units.ts';
import { buildLinDistFlow, solveLinDistFlow } from '../../formulations/lin-dist-flow.ts';
import { createNetwork } from '../../grid/create-network.ts';
import { indexNetwork } from '../../grid/indexed-network.ts';
import type { FeederPricingInput } from '../mechanism.ts';
import { createRls, predictRls, type RlsState, updateRls } from './recursive-least-squares.ts';

/** Reactive consumption per active consumption assumed by the prior (as the DSO's planning point). */
const TAN_PHI = 0.33;
const PRIOR_SCALES = [0, 0.5, 1, 1.5, 2];

/** The three affine models of one platform and the limits they are held to. */
export interface PlatformModel {
  readonly vmMin: RlsState;
  readonly vmMax: RlsState;
  readonly loadingPercent: RlsState;
  /** Tightest bus voltage limits of the feeder (p.u.) and the transformer loading limit (%). */
  readonly vmMinLimitPu: number;
  readonly vmMaxLimitPu: number;
  readonly loadingLimitPercent: number;
}

/** One local measurement of the platform: its net position and what its feeder did. */
export interface PlatformMeasurement {
  readonly netPositionKw: number;
  readonly vmMinPu: number;
  readonly vmMaxPu: number;
  readonly transformerLoadingPercent: number;
}

export function modelFeatures(xKw: number): [number, number, number] {
  return [1, Math.max(0, xKw), Math.max(0, -xKw)];
}

/** Predicted min |V|, max |V| and loading at net position x. */
export function predictFeeder(model: PlatformModel, xKw: number) {
  const phi = modelFeatures(xKw);
  return {
    vmMinPu: predictRls(model.vmMin, phi),
    vmMaxPu: predictRls(model.vmMax, phi),
    loadingPercent: predictRls(model.loadingPercent, phi),
  };
}

/** Fold one measurement into the three models (in place). */
export function observePlatform(model: PlatformModel, m: PlatformMeasurement): void {
  if (![m.netPositionKw, m.vmMinPu, m.vmMaxPu, m.transformerLoadingPercent].every(Number.isFinite)) return;
  const phi = modelFeatures(m.netPositionKw);
  updateRls(model.vmMin, phi, m.vmMinPu);
  updateRls(model.vmMax, phi, m.vmMaxPu);
  updateRls(model.loadingPercent, phi, m.transformerLoadingPercent);
}

/** An empty model (θ = 0, vague prior) with the feeder's limits. */
export function emptyPlatformModel(
  limits: { vmMinLimitPu: number; vmMaxLimitPu: number; loadingLimitPercent: number },
  forgetting: number,
): PlatformModel {
  const rls = () => createRls([0, 0, 0], 1e4, forgetting);
  return { vmMin: rls(), vmMax: rls(), loadingPercent: rls(), ...limits };
}

/** The prior model of a feeder from its own LinDistFlow at the members' forecast operating points. */
export function priorPlatformModel(feeder: FeederPricingInput, forgetting: number): PlatformModel {
  const net = indexNetwork(createNetwork({ ...feeder.network, loads: [] }));
  const lindistflow = buildLinDistFlow(net);
  const transformer = feeder.network.branches.find((b) => b.kind === 'transformer');
  const ratingKva = (transformer?.rateAMva ?? 0) * KW_PER_MW;
  let vmMinLimitPu = Number.POSITIVE_INFINITY;
  let vmMaxLimitPu = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < net.busCount; i++) {
    vmMinLimitPu = Math.min(vmMinLimitPu, net.vmMinPu[i]);
    vmMaxLimitPu = Math.max(vmMaxLimitPu, net.vmMaxPu[i]);
  }
  const model = emptyPlatformModel({ vmMinLimitPu, vmMaxLimitPu, loadingLimitPercent: 100 }, 1);
  const buses = feeder.members.map(
    (m) => net.busIndexById.get(m.bus) ?? net.busIndexById.get(String(m.bus))!,
  );
  const n = feeder.members[0]?.loadKw.length ?? 0;
  const pMw = new Float64Array(net.busCount);
  const qMvar = new Float64Array(net.busCount);
  for (let t = 0; t < n; t++)
    for (const scale of PRIOR_SCALES) {
      pMw.fill(0);
      qMvar.fill(0);
      let xKw = 0;
      feeder.members.forEach((m, l) => {
        const kw = scale * (m.loadKw[t] + m.flexibleExpectedKw[t]) - m.pvKw[t];
        xKw += kw;
        pMw[buses[l]] += kwToMw(kw);
        qMvar[buses[l]] += kwToMw(Math.max(0, kw) * TAN_PHI);
      });
      const s = solveLinDistFlow(lindistflow, pMw, qMvar);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const v of s.vmPu) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const sKva = Math.hypot(s.pSlackMw, s.qSlackMvar) * KW_PER_MW;
      observePlatform(model, {
        netPositionKw: xKw,
        vmMinPu: lo,
        vmMaxPu: hi,
        transformerLoadingPercent: ratingKva > 0 ? (100 * sKva) / ratingKva : 0,
      });
    }
  // From here on the model forgets old data at the configured rate.
  return {
    ...model,
    vmMin: { ...model.vmMin, forgetting },
    vmMax: { ...model.vmMax, forgetting },
    loadingPercent: { ...model.loadingPercent, forgetting },
  };
}
