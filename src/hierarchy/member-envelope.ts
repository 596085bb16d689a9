// A platform's envelope from its members' plans: planned consumption, feasible range, uncertainty and a bid curve.
import { KW_PER_MW } from '../core/units.ts';
import { flexibilityOffer } from '../ders/flexibility.ts';
import type { ProsumerModel } from '../ders/prosumer-model.ts';
import type { ProsumerTariff } from '../ders/tariff.ts';
import { type BidStep, compressBids, type EnvelopeMessage, withBand } from './envelope.ts';
import type { PlanResult } from './prosumer-scheduler.ts';
import type { SimulationConfig } from './simulation-config.ts';

/** Bid steps per member, interval and direction, spread evenly over ±`bidSpreadEurPerKwh`. */
const BID_STEPS = 4;

export interface PlannedMember {
  readonly model: ProsumerModel;
  readonly plan: PlanResult;
  readonly tariff: ProsumerTariff;
}

/**
 * Aggregate flexibility and uncertainty of the members (platform step, kW consumption positive): Σ planned
 * consumption, the range each LP schedule can move to (flexibility offers), σ of independent load errors (in
 * quadrature) and of regionally correlated PV errors (linearly), and bids at wholesale-equivalent limit prices: a
 * member's marginal value minus the retail adders it sees, spread over ±`bidSpreadEurPerKwh`.
 */
export function buildMembersEnvelope(
  members: readonly PlannedMember[],
  o: {
    readonly startUtc: string;
    readonly stepMin: number;
    /** Wholesale price per platform interval (EUR/MWh). */
    readonly wholesaleEurPerMwh: readonly number[];
    readonly config: SimulationConfig;
  },
): EnvelopeMessage {
  const n = 1440 / o.stepMin;
  const u = o.config.uncertainty;
  const loadSigmaRel = Math.hypot(u.loadDailySigma, u.loadNoiseSigma);
  const base = new Array<number>(n).fill(0);
  const min = new Array<number>(n).fill(0);
  const max = new Array<number>(n).fill(0);
  const ind2 = new Array<number>(n).fill(0);
  const corr = new Array<number>(n).fill(0);
  const bids: BidStep[][] = Array.from({ length: n }, () => []);
  const spread = o.config.bidSpreadEurPerKwh;
  for (const { model, plan, tariff } of members) {
    for (let k = 0; k < n; k++) {
      let pv = 0;
      for (const p of model.pv) pv += p.availableKw[k];
      ind2[k] += (loadSigmaRel * model.fixedLoadKw[k]) ** 2;
      corr[k] += u.pvRegionalSigma * pv;
    }
    if (plan.kind !== 'optimal') {
      for (let k = 0; k < n; k++) {
        base[k] -= plan.netInjectionKw[k];
        min[k] -= plan.netInjectionKw[k];
        max[k] -= plan.netInjectionKw[k];
      }
      continue;
    }
    const offer = flexibilityOffer(model, plan.schedule);
    for (let k = 0; k < n; k++) {
      base[k] -= offer.baseKw[k];
      min[k] -= offer.maxKw[k];
      max[k] -= offer.minKw[k];
      const retail = offer.baseKw[k] < 0 ? tariff.importPriceEurPerKwh[k] : tariff.exportPriceEurPerKwh[k];
      const w = o.wholesaleEurPerMwh[k] / KW_PER_MW;
      const mv = offer.marginalValueEurPerKwh[k];
      const limit = Number.isFinite(mv) ? mv - (retail - w) : w;
      const down = offer.maxKw[k] - offer.baseKw[k];
      const up = offer.baseKw[k] - offer.minKw[k];
      for (let j = 0; j < BID_STEPS; j++) {
        const offset = (spread * j) / (BID_STEPS - 1);
        if (down > 1e-6)
          bids[k].push({ side: 'sell', kw: down / BID_STEPS, limitPriceEurPerKwh: limit + offset });
        if (up > 1e-6) bids[k].push({ side: 'buy', kw: up / BID_STEPS, limitPriceEurPerKwh: limit - offset });
      }
    }
  }
  return withBand({
    type: 'envelope',
    startUtc: o.startUtc,
    stepMin: o.stepMin,
    baseKw: base,
    minKw: min,
    maxKw: max,
    bandProbability: u.bandProbability,
    independentSigmaKw: ind2.map(Math.sqrt),
    correlatedSigmaKw: corr,
    bids: bids.map((b) => compressBids(b)),
  });
}
