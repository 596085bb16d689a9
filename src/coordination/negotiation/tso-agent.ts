// Negotiation, TSO side: checks a DSO's offer against its DC OPF and answers with accepted quantity, price and band.
//
// Per TSO interval h the DSO's offer (same `offer` message as the platform level, on the TSO's step) gives its
// expected grid-supply-point position P̂_h, quantiles and a bid curve: position Q_k at price adder A_k on top of the
// day-ahead wholesale price w_h. The TSO turns the curve into a flexible node of its DC OPF
// (problems/opf/dc-opf-flexible-nodes.ts): consumption up to the position at the highest adder is wanted at
// INFLEXIBLE_WTP, each step Q_k − Q_{k+1} between adjacent adders at w_h + ½(A_k + A_{k+1}). The cleared consumption is the accepted quantity (the most the DSO may import in h), the
// LMP at the DSO's bus minus w_h the price adder, and the band the TSO commits to absorb is the offered band
// where the accepted quantity leaves it room (accepted ≥ P̂ + band), else accepted − P̂ (≥ 0). Every new offer
// (a higher basedOnRound) is answered once; a repeat of an answered offer gets the same answer again (a lost
// answer becomes a delay).

import { kwToMw, mwToKw } from '../../core/units.ts';
import type { ElementId, Network } from '../../grid/schema.ts';
import { type FlexibleNode, solveDcOpfWithFlexibleNodes } from '../../problems/opf/dc-opf-flexible-nodes.ts';
import type { TimeIndex } from '../../time/time-index.ts';
import type { MessageOf } from '../../transport/messages.ts';
import type { Transport } from '../../transport/transport.ts';

/** What the TSO plans the DSO's interval with: its network and the other loads, per TSO interval. */
export interface TsoNegotiationData {
  readonly network: Network;
  readonly dsoBus: ElementId;
  readonly index: TimeIndex;
  /** Loads at transmission buses per TSO interval (MW; buses not listed keep the case loads). */
  readonly loadsMw: readonly ReadonlyMap<string, number>[];
  /** Day-ahead wholesale price at the DSO's bus per TSO interval (EUR/MWh): the adders' reference. */
  readonly wholesaleEurPerMwh: ArrayLike<number>;
}

/** Willingness to pay (EUR/MWh) of the consumption the DSO offers at any price (as the TSO controller). */
const INFLEXIBLE_WTP_PER_MWH = 3000;

export class TsoNegotiator {
  private pending?: MessageOf<'offer'>;
  private answeredBasedOn = -1;
  private answer?: MessageOf<'counter-offer'>;
  private repeatDue = false;
  private failed = 0;

  constructor(
    private readonly transport: Transport,
    private readonly address: string,
    private readonly dsoAddress: string,
    private readonly data: TsoNegotiationData,
  ) {
    transport.subscribe(address, (e) => {
      if (e.body.type !== 'offer') return;
      if (e.body.basedOnRound > this.answeredBasedOn) {
        if (!this.pending || e.body.basedOnRound > this.pending.basedOnRound) this.pending = e.body;
      } else if (e.body.basedOnRound === this.answeredBasedOn) this.repeatDue = true;
    });
  }

  /** OPF hours that did not solve (the offer's position was then accepted as it stood). */
  get failedHours(): number {
    return this.failed;
  }

  /** Answer the newest unanswered offer (or repeat the last answer) in round `round`. */
  async act(round: number): Promise<void> {
    const offer = this.pending;
    if (offer) {
      this.pending = undefined;
      this.answeredBasedOn = offer.basedOnRound;
      this.answer = await this.clear(offer, round);
    } else if (!this.repeatDue || !this.answer) return;
    this.repeatDue = false;
    this.transport.send(this.address, this.dsoAddress, this.answer!);
  }

  private async clear(offer: MessageOf<'offer'>, round: number): Promise<MessageOf<'counter-offer'>> {
    const n = offer.netImportKw.length;
    const acceptedKw: number[] = [];
    const priceEurPerMwh: number[] = [];
    const bandKw: number[] = [];
    const top = offer.quantiles.length - 1;
    for (let h = 0; h < n; h++) {
      const expected = offer.netImportKw[h];
      const band = Math.max(0, offer.quantiles[top].netImportKw[h] - expected);
      const r = await solveDcOpfWithFlexibleNodes(
        this.data.network,
        [bidNode(offer, h, this.data.wholesaleEurPerMwh[h], this.data.dsoBus)],
        this.data.loadsMw[h],
      );
      if (r.status !== 'optimal') {
        this.failed++;
        acceptedKw.push(expected);
        priceEurPerMwh.push(0);
        bandKw.push(0);
        continue;
      }
      const node = r.flexibleNodes[0];
      const accepted = mwToKw(node.consumptionMw);
      acceptedKw.push(accepted);
      priceEurPerMwh.push(node.lmpPerMwh - this.data.wholesaleEurPerMwh[h]);
      bandKw.push(Math.max(0, Math.min(band, accepted - expected)));
    }
    return {
      type: 'counter-offer',
      startUtc: offer.startUtc,
      stepMin: offer.stepMin,
      round,
      status: 'negotiating',
      acceptedKw,
      priceEurPerMwh,
      bandKw,
    };
  }
}

/** The offer's bid curve in interval h as a flexible node (module comment). */
export function bidNode(
  offer: MessageOf<'offer'>,
  h: number,
  wholesaleEurPerMwh: number,
  bus: ElementId,
): FlexibleNode {
  const prices = offer.bidPricesEurPerMwh;
  const q = offer.bidNetImportKw[h];
  // Adders ascending; positions non-increasing in price (monotone envelope of the curve).
  const order = prices.map((_, k) => k).sort((a, b) => prices[a] - prices[b]);
  const pos = order.map((k) => q[k]);
  for (let k = pos.length - 2; k >= 0; k--) pos[k] = Math.max(pos[k], pos[k + 1]);
  const firm = Math.min(pos[pos.length - 1], offer.netImportKw[h]);
  const blocks: { mw: number; willingnessPerMwh: number }[] = [];
  let level = firm;
  for (let k = pos.length - 2; k >= 0; k--) {
    const step = pos[k] - Math.max(level, pos[k + 1]);
    if (step > 0) {
      blocks.push({
        mw: kwToMw(step),
        willingnessPerMwh: wholesaleEurPerMwh + 0.5 * (prices[order[k]] + prices[order[k + 1]]),
      });
      level += step;
    }
  }
  const lowest = Math.min(0, firm);
  if (firm > lowest) blocks.push({ mw: kwToMw(firm - lowest), willingnessPerMwh: INFLEXIBLE_WTP_PER_MWH });
  return { id: 'dso', bus, minMw: kwToMw(lowest), blocks };
}
