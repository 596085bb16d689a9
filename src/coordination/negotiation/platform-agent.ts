// Negotiation, platform side: members' best responses, the ADMM x-update and the offer (position, envelope, bids).
//
// A platform knows only its own members and talks to its DSO only through the Transport. Per interval t of its own
// step, member l answers a price adder ν (EUR/MWh on top of its flat tariff) with flexible demand
// e_l(ν) = clip(ê_l − ν/γ_l, 0, Ē_l) and PV curtailment u_l(ν) = clip(−(export_t + ν)/κ_l, 0, PV_l) (issue 6's
// quadratic flexibility, as in dso-pricing), so the platform's net position is X(ν) = Σ_l (n̂_l + e_l + u_l), kW,
// decreasing in ν. ADMM x-update for the DSO's accepted position z and price λ (scaled by ρ, EUR/MWh per kW):
//   x = argmax_x W(x) − λ·x − ρ/2·(x − z)²  ⇔  x = X(ν*) with ν* = λ + ρ·(X(ν*) − z),
// solved by bisection on ν (g(ν) = ν − λ − ρ·(X(ν) − z) is increasing).
import type { TimeIndex } from '../../time/time-index.ts';
import type { MessageOf } from '../../transport/messages.ts';
import type { Transport } from '../../transport/transport.ts';
import { scenarioQuantiles } from '../../uncertainty/quantiles.ts';

/** One member's flexibility on the platform's step (kW; slopes in EUR/MWh per kW). */
export interface NegotiationMember {
  /** Uncontrollable net load forecast n̂ = load − PV (kW, positive consuming). */
  readonly baseNetKw: Float64Array;
  readonly flexibleExpectedKw: Float64Array;
  readonly flexibleMaxKw: Float64Array;
  readonly demandSlope: number;
  readonly pvKw: Float64Array;
  readonly curtailSlope: number;
}

export interface NegotiationPlatformData {
  readonly platformId: string;
  readonly index: TimeIndex;
  readonly members: readonly NegotiationMember[];
  readonly flatExportEurPerMwh: Float64Array;
  /** Scenarios of the platform's uncontrollable net load (kW per interval), for the envelope's quantiles. */
  readonly netLoadScenariosKw: readonly Float64Array[];
  readonly independentSigmaKw: Float64Array;
  readonly correlatedSigmaKw: Float64Array;
  /** ADMM penalty ρ (EUR/MWh per kW), the same on both sides. */
  readonly rho: number;
  /**
   * Share of the members' remaining flexible power (Ē − e) added to the envelope's upper quantile: the rebound when
   * home energy management concentrates charging in the cheapest intervals (NEGOTIATION_DEFAULTS.reboundShare).
   */
  readonly reboundShare: number;
}

/** Probabilities of the envelope's quantiles. */
export const ENVELOPE_PROBABILITIES = [0.05, 0.5, 0.95] as const;
/** Price adders (EUR/MWh) at which the bid curve is offered. */
const BID_PRICES_EUR_PER_MWH = [-50, -25, 0, 25, 50];
/** Bracket of the price adder (EUR/MWh) the bisection searches. */
const PRICE_BRACKET_EUR_PER_MWH = 1e5;
const BISECTION_STEPS = 60;

const clip = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Net position X(ν) of the members in interval t at price adder ν (kW). */
export function platformNetPositionKw(data: NegotiationPlatformData, t: number, adder: number): number {
  let x = 0;
  for (const m of data.members) {
    const e = clip(m.flexibleExpectedKw[t] - adder / m.demandSlope, 0, m.flexibleMaxKw[t]);
    const u = clip(-(data.flatExportEurPerMwh[t] + adder) / m.curtailSlope, 0, Math.max(0, m.pvKw[t]));
    x += m.baseNetKw[t] + e + u;
  }
  return x;
}

/** The ADMM x-update in interval t: the position x and the adder ν* = λ + ρ(x − z) at which members take it. */
export function updatePosition(
  data: NegotiationPlatformData,
  t: number,
  priceEurPerMwh: number,
  acceptedKw: number,
): { xKw: number; adderEurPerMwh: number } {
  let lo = -PRICE_BRACKET_EUR_PER_MWH;
  let hi = PRICE_BRACKET_EUR_PER_MWH;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const mid = 0.5 * (lo + hi);
    const g = mid - priceEurPerMwh - data.rho * (platformNetPositionKw(data, t, mid) - acceptedKw);
    if (g > 0) hi = mid;
    else lo = mid;
  }
  const adder = 0.5 * (lo + hi);
  return { xKw: platformNetPositionKw(data, t, adder), adderEurPerMwh: adder };
}

/**
 * The platform's negotiation controller: answers each new counter-offer with an offer; with no counter-offer yet
 * it offers its position at ν = 0 (λ = 0, z = X(0)). Repeats its last offer when nothing new arrived for
 * `resendAfterRounds` rounds (lost messages); stops once the DSO says the gate is agreed or closed.
 */
export class PlatformNegotiator {
  private latest?: MessageOf<'counter-offer'>;
  private answeredRound = -1;
  private lastOffer?: MessageOf<'offer'>;
  private lastSentRound = 0;
  private isDone = false;

  constructor(
    private readonly transport: Transport,
    private readonly address: string,
    private readonly dsoAddress: string,
    private readonly data: NegotiationPlatformData,
    private readonly resendAfterRounds = 2,
  ) {
    transport.subscribe(address, (e) => {
      if (e.body.type !== 'counter-offer') return;
      if (!this.latest || e.body.round > this.latest.round) this.latest = e.body;
      if (e.body.status !== 'negotiating') this.isDone = true;
    });
  }

  get done(): boolean {
    return this.isDone;
  }

  /** Act in round `round` on the latest counter-offer held. */
  act(round: number): void {
    if (this.isDone) return;
    const basedOn = this.latest?.round ?? 0;
    if (basedOn !== this.answeredRound) {
      this.answeredRound = basedOn;
      this.lastOffer = this.offer(round, basedOn);
    } else if (!this.lastOffer || round - this.lastSentRound < this.resendAfterRounds) return;
    this.lastSentRound = round;
    this.transport.send(this.address, this.dsoAddress, { ...this.lastOffer!, round });
  }

  private offer(round: number, basedOnRound: number): MessageOf<'offer'> {
    const { data } = this;
    const n = data.index.length;
    const stepRatio = this.latest ? n / this.latest.acceptedKw.length : 1;
    const x = new Array<number>(n);
    const headroom = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      let adder = 0;
      if (!this.latest) x[t] = platformNetPositionKw(data, t, 0);
      else {
        // The DSO answers on its own (coarser) step: its value holds for each platform interval inside.
        const k = Math.floor(t / stepRatio);
        const u = updatePosition(data, t, this.latest.priceEurPerMwh[k], this.latest.acceptedKw[k]);
        x[t] = u.xKw;
        adder = u.adderEurPerMwh;
      }
      // Rebound: flexible demand the members may still add at full power (HEMS concentrating charging).
      for (const m of data.members)
        headroom[t] +=
          m.flexibleMaxKw[t] - clip(m.flexibleExpectedKw[t] - adder / m.demandSlope, 0, m.flexibleMaxKw[t]);
    }
    const mean = new Float64Array(n);
    for (const s of data.netLoadScenariosKw) for (let t = 0; t < n; t++) mean[t] += s[t];
    for (let t = 0; t < n; t++) mean[t] /= data.netLoadScenariosKw.length;
    const shifted = data.netLoadScenariosKw.map((s) => Float64Array.from(s, (v, t) => x[t] + v - mean[t]));
    const q = scenarioQuantiles(shifted, ENVELOPE_PROBABILITIES);
    const top = q.length - 1;
    for (let t = 0; t < n; t++) q[top][t] += data.reboundShare * headroom[t];
    return {
      type: 'offer',
      startUtc: data.index.startUtc,
      stepMin: data.index.stepMin,
      round,
      basedOnRound,
      netImportKw: x,
      quantiles: ENVELOPE_PROBABILITIES.map((probability, i) => ({
        probability,
        netImportKw: Array.from(q[i]),
      })),
      independentSigmaKw: Array.from(data.independentSigmaKw),
      correlatedSigmaKw: Array.from(data.correlatedSigmaKw),
      bidPricesEurPerMwh: BID_PRICES_EUR_PER_MWH,
      bidNetImportKw: x.map((_, t) => BID_PRICES_EUR_PER_MWH.map((p) => platformNetPositionKw(data, t, p))),
    };
  }
}
