// Negotiation, DSO side towards the TSO: offers the agreed aggregate upstream and turns the TSO's answers into rows.
//
// Nested negotiation (README "DSO ↔ TSO"): whenever the platform level has settled, the DSO offers the TSO, per TSO
// interval h (energy-conserving resampling), its grid-supply-point position P_h = mean_{t∈h}(Σ_j R_j·κ_j,t·z_j,t +
// o_t) (κ: head import per net position, o: fixed MV loads and planned MV losses), the aggregate band, and a bid
// curve (the same sum over the platforms' bid curves clipped to their ranges). The TSO answers an accepted quantity
// Â_h. Where Â_h < P_h the DSO adds the row mean_{t∈h} Σ_j R_j·κ_j,t·z_j,t ≤ Â_h − mean o to F and renegotiates
// with its platforms (warm start); a row is kept while the TSO accepts what it allows and loosened to Â_h when the
// TSO would take more. The gate agrees when an answer changes no row. Lost offers are repeated after
// `resendAfterRounds`; answers older than the newest held are ignored (round numbers).
import { resamplePower } from '../../time/resample.ts';
import type { TimeIndex } from '../../time/time-index.ts';
import type { MessageOf } from '../../transport/messages.ts';
import type { Transport } from '../../transport/transport.ts';
import type { NegotiationRow } from './feasible-set.ts';

export interface UpstreamData {
  readonly address: string;
  /** The TSO's step over the same day as the DSO's index. */
  readonly index: TimeIndex;
  /** Fixed MV loads and planned MV losses per DSO interval (kW, all of them). */
  readonly gspOffsetKw: Float64Array;
}

/** The DSO's aggregate on its own step: GSP mean, band, error σ and bid curve (kW). */
export interface AggregatePosition {
  readonly meanKw: Float64Array;
  readonly bandKw: Float64Array;
  readonly independentSigmaKw: Float64Array;
  readonly correlatedSigmaKw: Float64Array;
  readonly bidPricesEurPerMwh: readonly number[];
  /** bidKw[k][t]: GSP position at adder k in DSO interval t. */
  readonly bidKw: readonly Float64Array[];
}

export class UpstreamLink {
  private latest?: MessageOf<'counter-offer'>;
  private processedRound = 0;
  private offer?: MessageOf<'offer'>;
  private offerBasedOn = -1;
  private sentAtRound = 0;
  private upperKw: Float64Array;
  private answers = 0;

  constructor(
    private readonly transport: Transport,
    private readonly dsoAddress: string,
    private readonly data: UpstreamData,
    private readonly dsoIndex: TimeIndex,
    /** R_j·κ_j,t: GSP kW per kW of feeder j's position in DSO interval t. */
    private readonly weight: (j: number, t: number) => number,
    private readonly feeders: number,
    private readonly resendAfterRounds: number,
  ) {
    this.upperKw = new Float64Array(data.index.length).fill(Number.POSITIVE_INFINITY);
  }

  /** The newest TSO answer (called by the DSO's subscription). */
  receive(counter: MessageOf<'counter-offer'>): void {
    if (!this.latest || counter.round > this.latest.round) this.latest = counter;
  }

  get outcome() {
    return { answers: this.answers, latest: this.latest, upperKw: this.upperKw };
  }

  /** The rows on F from the current upper limits. */
  rows(): NegotiationRow[] {
    const per = this.dsoIndex.length / this.data.index.length;
    const out: NegotiationRow[] = [];
    this.upperKw.forEach((upper, h) => {
      if (!Number.isFinite(upper)) return;
      const intervals = Array.from({ length: per }, (_, p) => h * per + p);
      const coefficients = new Float64Array(per * this.feeders);
      let offset = 0;
      intervals.forEach((t, p) => {
        offset += this.data.gspOffsetKw[t] / per;
        for (let j = 0; j < this.feeders; j++) coefficients[p * this.feeders + j] = this.weight(j, t) / per;
      });
      out.push({ label: `tso:${h}`, intervals, coefficients, upper: upper - offset });
    });
    return out;
  }

  /**
   * With the platform level settled in round `round`: process a new answer (true when it changes no row: agreed;
   * `onRows` when it does), otherwise offer the current aggregate (once per answer) or repeat a lost offer.
   */
  step(round: number, position: () => AggregatePosition, toleranceKw: number, onRows: () => void): boolean {
    if (this.latest && this.latest.round > this.processedRound && this.offerBasedOn === this.processedRound) {
      this.processedRound = this.latest.round;
      this.answers++;
      if (!this.applyAnswer(this.latest, toleranceKw)) return true;
      onRows();
      return false;
    }
    if (this.offerBasedOn !== this.processedRound) {
      this.offer = this.makeOffer(round, position());
      this.offerBasedOn = this.processedRound;
    } else if (round - this.sentAtRound < this.resendAfterRounds) return false;
    this.sentAtRound = round;
    this.transport.send(this.dsoAddress, this.data.address, { ...this.offer!, round });
    return false;
  }

  /** New upper limits from an answer; whether any changed by more than the tolerance. */
  private applyAnswer(answer: MessageOf<'counter-offer'>, toleranceKw: number): boolean {
    let changed = false;
    this.upperKw.forEach((upper, h) => {
      const accepted = answer.acceptedKw[h];
      const offered = this.offer!.netImportKw[h];
      let next = upper;
      if (accepted < offered - toleranceKw) next = accepted;
      else if (Number.isFinite(upper) && accepted > offered + toleranceKw) next = accepted;
      if (Math.abs(next - upper) > toleranceKw || Number.isFinite(next) !== Number.isFinite(upper)) {
        changed = true;
        this.upperKw[h] = next;
      }
    });
    return changed;
  }

  private makeOffer(round: number, a: AggregatePosition): MessageOf<'offer'> {
    const up = (v: Float64Array) => Array.from(resamplePower(v, this.dsoIndex, this.data.index));
    const mean = up(a.meanKw);
    const band = up(a.bandKw);
    const bids = a.bidKw.map(up);
    return {
      type: 'offer',
      startUtc: this.data.index.startUtc,
      stepMin: this.data.index.stepMin,
      round,
      basedOnRound: this.processedRound,
      netImportKw: mean,
      quantiles: [
        { probability: 0.05, netImportKw: mean.map((m, h) => m - band[h]) },
        { probability: 0.5, netImportKw: mean },
        { probability: 0.95, netImportKw: mean.map((m, h) => m + band[h]) },
      ],
      independentSigmaKw: up(a.independentSigmaKw),
      correlatedSigmaKw: up(a.correlatedSigmaKw),
      bidPricesEurPerMwh: [...a.bidPricesEurPerMwh],
      bidNetImportKw: mean.map((_, h) => bids.map((b) => b[h])),
    };
  }
}
