// Negotiation, DSO side: envelope-tightened network limits, the ADMM z- and λ-updates, stopping rules, counter-offers.
//
// Per feeder j and DSO interval t the DSO holds the interval [lo, hi] of net positions (kW per replica) its network
// allows (feeder-limits.ts: transformer and LinDistFlow voltage limits) and, optionally, a shared import limit C_t
// over its feeders: Σ_j R_j·z_j ≤ C_t (R_j replicas). Offers arrive at the platform's step and are averaged onto
// the DSO's step with time/resamplePower (energy conserved). The limits are tightened by each offer's envelope:
// z ∈ [lo + (q50 − q05), hi − (q95 − q50)], so the accepted position holds for 90 % of the platform's scenarios.
// ADMM (scaled by ρ_j): z = argmin Σ_j R_j·ρ_j/2·(z_j − x_j − λ_j/ρ_j)² over the tightened box ∩ F's rows (shared
// limit, MV rows, rows agreed upstream: feasible-set.ts, an exact projection); λ_j ← λ_j + ρ_j·(x_j − z_j).

import { resamplePower } from '../../time/resample.ts';
import { createTimeIndex, type TimeIndex } from '../../time/time-index.ts';
import type { MessageOf } from '../../transport/messages.ts';
import type { Transport } from '../../transport/transport.ts';
import { aggregateEnvelopes } from '../../uncertainty/envelope-aggregation.ts';
import { type AggregatePosition, type UpstreamData, UpstreamLink } from './dso-upstream.ts';
import { committedBox, type FeasibleSet, type NegotiationRow, projectPositions } from './feasible-set.ts';

export interface NegotiationFeederLimits {
  readonly platformId: string;
  readonly address: string;
  readonly replicas: number;
  /** Network limits on the feeder's net position per replica (kW, DSO step). */
  readonly loKw: Float64Array;
  readonly hiKw: Float64Array;
  readonly rho: number;
  /** Head import per net position (≥ 1, LV losses) per DSO interval; default 1. */
  readonly headPerNetKw?: Float64Array;
}

export interface NegotiationDsoData {
  readonly index: TimeIndex;
  readonly feeders: readonly NegotiationFeederLimits[];
  /** Optional limit on Σ_j R_j·z_j per DSO interval (kW). */
  readonly sharedImportLimitKw?: Float64Array;
  /** Linear rows of F over the feeders' positions (MV branches and voltages; feasible-set.ts). */
  readonly rows?: readonly NegotiationRow[];
  /** The TSO to offer the agreed aggregate to (dso-upstream.ts); none: the platform level alone. */
  readonly upstream?: UpstreamData;
}

export interface StoppingRules {
  /** Primal residual |x − z| (kW per replica) and dual residual ρ·|Δz| (EUR/MWh) below which the gate agrees. */
  readonly toleranceKw: number;
  readonly toleranceEurPerMwh: number;
  /** Largest age (rounds) of the counter-offer an offer answers before the DSO waits for a fresher one. */
  readonly maxStaleRounds: number;
  readonly resendAfterRounds: number;
  /** |λ| cap (EUR/MWh): the most the DSO charges for a limit no price can meet (empty tightened range). */
  readonly priceCapEurPerMwh: number;
}

interface FeederState {
  x: Float64Array;
  independentSigmaKw: Float64Array;
  correlatedSigmaKw: Float64Array;
  low: Float64Array;
  high: Float64Array;
  /** Bid curve on the DSO step: bids[k][t] the position at the offer's k-th price adder. */
  bidPrices: readonly number[];
  bids: Float64Array[];
  z: Float64Array;
  lambda: Float64Array;
  /** Counter-offer round the latest offer answers, and that of the offer last used in an update (−1: none). */
  basedOnRound: number;
  usedBasedOnRound: number;
  /** DSO update count when this feeder's offer was last used (bounded delay). */
  usedAtUpdate: number;
  /** Round id of the latest counter-offer, the round it was last (re)sent, and z as it carried. */
  counterRound: number;
  sentAtRound: number;
  zAtCounter: Float64Array;
  lambdaAtCounter: Float64Array;
  isSettled: boolean;
}

/** Probability the DSO's upstream band covers (as the envelopes' default bandProbability). */
export const UPSTREAM_BAND_PROBABILITY = 0.9;

const clip = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export class DsoNegotiator {
  private readonly states: (FeederState | undefined)[];
  private readonly byAddress: Map<string, number>;
  private status: 'negotiating' | 'agreed' | 'closed' = 'negotiating';
  private updates = 0;
  /** Rows agreed upstream (the TSO's accepted quantities), replaced as new answers arrive. */
  private upstreamRows: readonly NegotiationRow[] = [];
  private forceUpdate = false;
  private readonly link?: UpstreamLink;

  constructor(
    private readonly transport: Transport,
    private readonly address: string,
    private readonly data: NegotiationDsoData,
    private readonly rules: StoppingRules,
  ) {
    this.states = data.feeders.map(() => undefined);
    this.byAddress = new Map(data.feeders.map((f, j) => [f.address, j]));
    const up = data.upstream;
    if (up)
      this.link = new UpstreamLink(
        transport,
        address,
        up,
        data.index,
        (j, t) => data.feeders[j].replicas * (data.feeders[j].headPerNetKw?.[t] ?? 1),
        data.feeders.length,
        rules.resendAfterRounds,
      );
    transport.subscribe(address, (e) => {
      if (e.body.type === 'offer') this.receive(this.byAddress.get(e.from), e.body);
      else if (e.body.type === 'counter-offer' && up && e.from === up.address) this.link!.receive(e.body);
    });
  }

  get currentStatus() {
    return this.status;
  }

  /** F_t: the data's rows, the shared limit and the rows agreed upstream. */
  get feasibleSet(): FeasibleSet {
    return {
      intervals: this.data.index.length,
      replicas: this.data.feeders.map((f) => f.replicas),
      sharedImportLimitKw: this.data.sharedImportLimitKw,
      rows: [...(this.data.rows ?? []), ...this.upstreamRows],
    };
  }

  /** Replace the rows agreed upstream; the next round projects z onto the new F without waiting for offers. */
  setUpstreamRows(rows: readonly NegotiationRow[]): void {
    this.upstreamRows = rows;
    this.forceUpdate = true;
  }

  /** The upstream link's state (TSO answers, the limits they set), if there is a TSO. */
  get upstream() {
    return this.link?.outcome;
  }

  /** The GSP aggregate of the current state (dso-upstream.ts), on the DSO step. */
  private aggregatePosition(): AggregatePosition {
    const states = this.states as FeederState[];
    const up = this.data.upstream!;
    const weight = (j: number, t: number) =>
      this.data.feeders[j].replicas * (this.data.feeders[j].headPerNetKw?.[t] ?? 1);
    const sum = (value: (s: FeederState, t: number) => number) =>
      Float64Array.from(up.gspOffsetKw, (o, t) =>
        states.reduce((a, s, j) => a + weight(j, t) * value(s, t), o),
      );
    const aggregate = this.outcome.aggregate!;
    return {
      meanKw: sum((s, t) => s.z[t]),
      bandKw: aggregate.bandKw,
      independentSigmaKw: aggregate.independentSigmaKw,
      correlatedSigmaKw: aggregate.correlatedSigmaKw,
      bidPricesEurPerMwh: states[0].bidPrices,
      bidKw: states[0].bidPrices.map((_, k) => sum((s, t) => clip(s.bids[k][t], s.low[t], s.high[t]))),
    };
  }

  get outcome() {
    const ready = this.states.every((s) => s !== undefined);
    const states = this.states as FeederState[];
    const box = ready
      ? committedBox(
          this.feasibleSet,
          states.map((s) => s.z),
          states.map((s) => s.low),
          states.map((s) => s.high),
        )
      : undefined;
    return {
      status: this.status,
      updates: this.updates,
      acceptedKw: this.states.map((s) => s?.z),
      priceEurPerMwh: this.states.map((s) => s?.lambda),
      bandKw: this.states.map((s) => s && Float64Array.from(s.high, (h, t) => 0.5 * (h - s.low[t]))),
      /** The committed range inside F: envelope-tightened [lo', hi'] shrunk so that F's rows hold (kW per replica). */
      lowKw: this.states.map((_, j) => box?.low[j]),
      highKw: this.states.map((_, j) => box?.high[j]),
      /** The band the DSO can commit upstream for Σ replicas × feeders (aggregation effect included). */
      aggregate: this.states.every((s) => s !== undefined)
        ? aggregateEnvelopes(
            this.states.map((s, j) => ({
              meanKw: s!.z,
              independentSigmaKw: s!.independentSigmaKw,
              correlatedSigmaKw: s!.correlatedSigmaKw,
              multiplicity: this.data.feeders[j].replicas,
            })),
            UPSTREAM_BAND_PROBABILITY,
          )
        : undefined,
    };
  }

  private receive(j: number | undefined, offer: MessageOf<'offer'>): void {
    if (j === undefined) return;
    const prev = this.states[j];
    // Repeats of the same answer, late duplicates and answers overtaken by a newer one are ignored.
    if (prev && offer.basedOnRound <= prev.basedOnRound) return;
    const from = createTimeIndex({
      startUtc: offer.startUtc,
      stepMin: offer.stepMin,
      length: offer.netImportKw.length,
    });
    const onDso = (v: readonly number[]) => resamplePower(v, from, this.data.index);
    const x = onDso(offer.netImportKw);
    const q = offer.quantiles.map((p) => onDso(p.netImportKw));
    const n = this.data.index.length;
    const f = this.data.feeders[j];
    const low = new Float64Array(n);
    const high = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      low[t] = f.loKw[t] + Math.max(0, x[t] - q[0][t]);
      high[t] = f.hiKw[t] - Math.max(0, q[q.length - 1][t] - x[t]);
      if (low[t] > high[t]) low[t] = high[t] = 0.5 * (low[t] + high[t]);
    }
    const bidPrices = offer.bidPricesEurPerMwh;
    const bids = bidPrices.map((_, k) => onDso(offer.bidNetImportKw.map((b) => b[k])));
    this.states[j] = {
      x,
      bidPrices,
      bids,
      independentSigmaKw: onDso(offer.independentSigmaKw),
      correlatedSigmaKw: onDso(offer.correlatedSigmaKw),
      low,
      high,
      z: prev?.z ?? Float64Array.from(x),
      lambda: prev?.lambda ?? new Float64Array(n),
      basedOnRound: offer.basedOnRound,
      usedBasedOnRound: prev?.usedBasedOnRound ?? -1,
      usedAtUpdate: prev?.usedAtUpdate ?? 0,
      counterRound: prev?.counterRound ?? 0,
      sentAtRound: prev?.sentAtRound ?? 0,
      zAtCounter: prev?.zAtCounter ?? Float64Array.from(x),
      lambdaAtCounter: prev?.lambdaAtCounter ?? new Float64Array(n),
      isSettled: false,
    };
  }

  /**
   * One round: update with the offers that are new (partial barrier: at least one new offer, every feeder heard
   * from, none of the unsettled feeders' offers older than maxStaleRounds DSO updates), mark each feeder settled
   * when its residuals are within tolerance, send a new counter-offer to each unsettled feeder whose state
   * changed, repeat the last one when a feeder has not answered for resendAfterRounds rounds. `isLast` closes the
   * gate on the current state (round cap or gate deadline).
   */
  act(round: number, isLast: boolean): void {
    if (this.status !== 'negotiating') return;
    const states = this.states;
    const ready = states.every((s) => s !== undefined);
    const fresh = states.map((s) => !!s && s.basedOnRound > s.usedBasedOnRound);
    const tooStale = states.some(
      (s, j) => !!s && !fresh[j] && !s.isSettled && this.updates - s.usedAtUpdate > this.rules.maxStaleRounds,
    );
    const changed = states.map(() => false);
    if (ready && ((fresh.some(Boolean) && !tooStale) || this.forceUpdate)) {
      this.forceUpdate = false;
      this.updateZ(fresh);
      this.updates++;
      (states as FeederState[]).forEach((s, j) => {
        const rho = this.data.feeders[j].rho;
        let primal = 0;
        let dual = 0;
        for (let t = 0; t < s.z.length; t++) {
          primal = Math.max(primal, Math.abs(s.x[t] - s.z[t]));
          dual = Math.max(dual, rho * Math.abs(s.z[t] - s.zAtCounter[t]));
        }
        if (fresh[j]) s.isSettled = primal <= this.rules.toleranceKw && dual <= this.rules.toleranceEurPerMwh;
        else if (dual > this.rules.toleranceEurPerMwh) s.isSettled = false;
        changed[j] = !s.isSettled && (fresh[j] || dual > this.rules.toleranceEurPerMwh);
      });
    }
    const link = this.link;
    const upstreamToleranceKw = Math.max(
      1,
      this.data.feeders.reduce((a, f) => a + f.replicas * this.rules.toleranceKw, 0),
    );
    const agreed =
      ready &&
      states.every((s) => s!.isSettled) &&
      (!link ||
        link.step(
          round,
          () => this.aggregatePosition(),
          upstreamToleranceKw,
          () => this.setUpstreamRows(link.rows()),
        ));
    if (agreed || isLast) this.status = agreed ? 'agreed' : 'closed';
    states.forEach((s, j) => {
      if (!s) return;
      const isFinal = this.status !== 'negotiating';
      const isDue =
        !s.isSettled && s.counterRound > 0 && round - s.sentAtRound >= this.rules.resendAfterRounds;
      if (!isFinal && !changed[j] && !isDue) return;
      if (isFinal || changed[j]) {
        s.counterRound = round;
        s.zAtCounter = Float64Array.from(s.z);
        s.lambdaAtCounter = Float64Array.from(s.lambda);
      }
      s.sentAtRound = round;
      this.transport.send(this.address, this.data.feeders[j].address, {
        type: 'counter-offer',
        startUtc: this.data.index.startUtc,
        stepMin: this.data.index.stepMin,
        round: s.counterRound,
        status: this.status,
        acceptedKw: Array.from(s.zAtCounter),
        priceEurPerMwh: Array.from(s.lambdaAtCounter),
        bandKw: Array.from(s.high, (h, t) => 0.5 * (h - s.low[t])),
      });
    });
  }

  private updateZ(fresh: readonly boolean[]): void {
    const states = this.states as FeederState[];
    const feeders = this.data.feeders;
    const n = this.data.index.length;
    const z = projectPositions(
      this.feasibleSet,
      feeders.map((f) => f.replicas * f.rho),
      states.map((s, j) => Float64Array.from(s.x, (x, t) => x + s.lambda[t] / feeders[j].rho)),
      states.map((s) => s.low),
      states.map((s) => s.high),
    );
    states.forEach((s, j) => {
      s.z.set(z[j]);
    });
    states.forEach((s, j) => {
      if (!fresh[j]) return;
      const cap = this.rules.priceCapEurPerMwh;
      for (let t = 0; t < n; t++)
        s.lambda[t] = clip(s.lambda[t] + feeders[j].rho * (s.x[t] - s.z[t]), -cap, cap);
      s.usedBasedOnRound = s.basedOnRound;
      s.usedAtUpdate = this.updates;
    });
  }
}
