// The members' intraday and real-time stages on one platform: hourly intraday trading, then control with balancing.
import type { ProsumerModel } from '../ders/prosumer-model.ts';
import { type BalancingOffer, dispatchBalancing, type ImbalancePrices } from '../markets/balancing.ts';
import { type IntradayResult, intradayForecastShare, runIntradaySessions } from '../markets/intraday.ts';
import type { MemberPlan } from './member-plan.ts';
import { MemberController, type MemberRealTimeDay } from './real-time-control.ts';

/** Session hours of the intraday market for delivery day D: D−1 23:00, D 00:00, …, D 22:00. */
export const INTRADAY_SESSION_HOURS: readonly number[] = Array.from({ length: 24 }, (_, h) => h - 1);

export interface IntradayMember {
  readonly id: string;
  /** The deviation of the member's net injection from its plan as it turns out (kWh per platform interval). */
  readonly deviationKwh: ArrayLike<number>;
  readonly importPriceEurPerKwh: ArrayLike<number>;
  readonly exportPriceEurPerKwh: ArrayLike<number>;
}

/**
 * The platform's intraday market: at session hour h the members forecast the deviation of interval k as
 * `intradayForecastShare(lead, learnedShare, horizonH)` × the deviation that will occur (lead = k's start − h),
 * and trade it on the order book until gate closure, the DSO's prices as the outside option.
 */
export function tradeMembersIntraday(
  members: readonly IntradayMember[],
  o: {
    readonly stepMin: number;
    readonly gateClosureMin: number;
    readonly learnedShare: number;
    readonly forecastHorizonH: number;
  },
): IntradayResult {
  const stepH = o.stepMin / 60;
  return runIntradaySessions(
    {
      memberIds: members.map((m) => m.id),
      stepMin: o.stepMin,
      intervalCount: 1440 / o.stepMin,
      sessionHours: [...INTRADAY_SESSION_HOURS],
      gateClosureMin: o.gateClosureMin,
    },
    {
      forecastKwh: (i, k, h) =>
        intradayForecastShare(k * stepH - h, o.learnedShare, o.forecastHorizonH) * members[i].deviationKwh[k],
      importPriceEurPerKwh: members.map((m) => m.importPriceEurPerKwh),
      exportPriceEurPerKwh: members.map((m) => m.exportPriceEurPerKwh),
    },
  );
}

export interface OperatedMember {
  readonly model: ProsumerModel;
  readonly plan: MemberPlan;
  readonly actual: { readonly loadKw: Float64Array; readonly pvKw: Float64Array };
  readonly batteryStartKwh: number | undefined;
  /** Intraday trades shifting the target net injection (kW per platform interval). */
  readonly targetShiftKw?: ArrayLike<number>;
  /** The member's prices per platform interval: asks its import price for up, bids its export price for down. */
  readonly importPriceEurPerKwh: ArrayLike<number>;
  readonly exportPriceEurPerKwh: ArrayLike<number>;
}

export interface OperatedDay {
  readonly days: MemberRealTimeDay[];
  /** Per member and platform interval: balancing energy dispatched (kWh, + extra injection) and its pay (EUR). */
  readonly balancingKwh: Float64Array[];
  readonly balancingEur: Float64Array[];
}

/**
 * Real time at the prosumer step: every member controls itself towards its target; with `prices` (per platform
 * interval) the platform then dispatches, in the last step of each interval, the batteries' remaining headroom
 * against the interval's imbalance so far plus the step's, Σ (net − target), so that the interval's energy (what
 * settles) is balanced, in merit order (`dispatchBalancing`: a battery asks its member's import price for extra injection
 * and bids its export price for extra consumption), pay-as-bid.
 */
export function operateMembers(
  members: readonly OperatedMember[],
  o: {
    readonly steps: number;
    readonly dtH: number;
    readonly stepsPerPlanInterval: number;
    readonly prices?: (K: number) => ImbalancePrices;
  },
): OperatedDay {
  const controllers = members.map(
    (m) =>
      new MemberController(
        m.model,
        m.plan,
        m.actual,
        m.batteryStartKwh,
        o.dtH,
        o.stepsPerPlanInterval,
        m.targetShiftKw,
      ),
  );
  const intervals = Math.ceil(o.steps / o.stepsPerPlanInterval);
  const balancingKwh = members.map(() => new Float64Array(intervals));
  const balancingEur = members.map(() => new Float64Array(intervals));
  let runningKwh = 0;
  for (let k = 0; k < o.steps; k++) {
    const K = Math.floor(k / o.stepsPerPlanInterval);
    if (k % o.stepsPerPlanInterval === 0) runningKwh = 0;
    const steps = controllers.map((c) => c.step(k));
    let extra: Float64Array | undefined;
    if (o.prices && (k + 1) % o.stepsPerPlanInterval === 0) {
      // In the interval's last step, against the interval's imbalance so far plus the step's: what settles is the
      // interval's energy (acting earlier would chase 5-min noise that cancels within the interval).
      let imbalanceKw = runningKwh / o.dtH;
      const offers: BalancingOffer[] = steps.map((s, i) => {
        imbalanceKw += s.netKw - s.targetKw;
        return {
          upKw: s.upKw,
          upPriceEurPerKwh: members[i].importPriceEurPerKwh[K],
          downKw: s.downKw,
          downPriceEurPerKwh: members[i].exportPriceEurPerKwh[K],
        };
      });
      if (Math.abs(imbalanceKw) > 1e-9)
        extra = dispatchBalancing(imbalanceKw, offers, o.prices(K)).dispatchKw;
    }
    controllers.forEach((c, i) => {
      const kw = extra?.[i] ?? 0;
      runningKwh += (steps[i].netKw + kw - steps[i].targetKw) * o.dtH;
      c.commit(k, kw);
      if (kw === 0) return;
      balancingKwh[i][K] += kw * o.dtH;
      balancingEur[i][K] +=
        kw * o.dtH * (kw > 0 ? members[i].importPriceEurPerKwh[K] : members[i].exportPriceEurPerKwh[K]);
    });
  }
  return { days: controllers.map((c) => c.finish()), balancingKwh, balancingEur };
}
