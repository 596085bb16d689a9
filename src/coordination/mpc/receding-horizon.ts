// The platform's own clearing adjustment: per interval, the smallest price adder ν (EUR/MWh on top of the flat
// tariff) at which its members' response X(ν) keeps the predicted feeder within its limits.
//
// Problem of platform j over the horizon t ∈ [k, k + H) (platform step):
//   maximise Σ_t W_t(x_t)  s.t.  v̂min(x_t) ≥ vMin + m_v,  v̂max(x_t) ≤ vMax − m_v,  L̂(x_t) ≤ 100 % − m_L,
// with W_t the members' welfare at net position x_t (issue 6's quadratic flexibility, the same best responses as
// negotiation's platform agent: X(ν) decreasing in ν) and the affine predictions of `platform-model.ts`; margins
// m = z·s (s the model's residual standard deviation, z = `marginSigmas`). The members' flexibility model has no
// coupling over time, so the horizon problem separates per interval and its first interval is the per-interval
// solution: ν_t = 0 when X(0) is predicted feasible; otherwise the smallest |ν| ≤ ν̄ (bisection) whose X(ν) is
// predicted feasible, raising ν when the import side binds and lowering it when the export side binds
// (on the import side the position checked is X(ν) + r·Σ(Ē − e(ν)): home energy management concentrates charging
// in the cheapest intervals, the rebound negotiation's envelopes carry too; r = `reboundShare`)
// (W_t concave ⇒ ν = W_t'(x_t*), the KKT price of the binding prediction). ν̄ = `priceCapEurPerMwh`.
import { type NegotiationPlatformData, platformNetPositionKw } from '../negotiation/platform-agent.ts';
import { type PlatformModel, predictFeeder } from './platform-model.ts';

const BISECTION_STEPS = 50;

export interface MarginSettings {
  readonly marginSigmas: number;
  readonly priceCapEurPerMwh: number;
  /** Share of the members' remaining flexible power Σ(Ē − e(ν)) added to the position on the import side. */
  readonly reboundShare?: number;
}

/** The position checked against the limits: X(ν) and, for imports, the rebound of unused flexible power. */
function checkedPositionKw(
  data: NegotiationPlatformData,
  t: number,
  nu: number,
  reboundShare: number,
): number {
  const x = platformNetPositionKw(data, t, nu);
  if (reboundShare === 0) return x;
  let headroom = 0;
  for (const m of data.members)
    headroom +=
      m.flexibleMaxKw[t] -
      Math.min(m.flexibleMaxKw[t], Math.max(0, m.flexibleExpectedKw[t] - nu / m.demandSlope));
  return x + reboundShare * headroom;
}

/** Safety margins from the residual standard deviations of the models. */
function margins(model: PlatformModel, z: number) {
  return {
    voltagePu: z * Math.sqrt(Math.max(model.vmMin.residualVariance, model.vmMax.residualVariance)),
    loadingPercent: z * Math.sqrt(model.loadingPercent.residualVariance),
  };
}

/** Which side of the limits x breaks under the model: +1 import side, −1 export side, 0 none. */
export function predictedViolation(model: PlatformModel, xKw: number, z = 0): -1 | 0 | 1 {
  const m = margins(model, z);
  const p = predictFeeder(model, xKw);
  const overloaded = p.loadingPercent > model.loadingLimitPercent - m.loadingPercent;
  if (p.vmMinPu < model.vmMinLimitPu + m.voltagePu || (overloaded && xKw >= 0)) return 1;
  if (p.vmMaxPu > model.vmMaxLimitPu - m.voltagePu || (overloaded && xKw < 0)) return -1;
  return 0;
}

/** The adder of interval t (EUR/MWh). */
export function solveIntervalAdder(
  data: NegotiationPlatformData,
  model: PlatformModel,
  t: number,
  s: MarginSettings,
): number {
  const rebound = s.reboundShare ?? 0;
  const position = (nu: number) => {
    const x = platformNetPositionKw(data, t, nu);
    return x >= 0 ? checkedPositionKw(data, t, nu, rebound) : x;
  };
  const side = predictedViolation(model, position(0), s.marginSigmas);
  if (side === 0) return 0;
  // Moving ν towards `side` moves X(ν) away from that side's limit: bisect for the first ν where it no longer binds.
  const binds = (nu: number) => predictedViolation(model, position(nu), s.marginSigmas) === side;
  const cap = side * s.priceCapEurPerMwh;
  if (binds(cap)) return cap;
  let lo = 0;
  let hi = cap;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const mid = 0.5 * (lo + hi);
    if (binds(mid)) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The adders of every platform interval of the day (EUR/MWh), one solve per platform step. */
export function solveDayAdders(
  data: NegotiationPlatformData,
  model: PlatformModel,
  s: MarginSettings,
): Float64Array {
  return Float64Array.from({ length: data.index.length }, (_, t) => solveIntervalAdder(data, model, t, s));
}
