// Capacity market (M9): derating from simulated delivery, a sealed-bid uniform-price auction for a capacity
// target, and the capacity payments and non-delivery penalties booked in the ledger.
//
// Derating   d = mean over seeds s and stress intervals t of min(1, max(0, delivered_{s,t}) / offered)
// Auction    bids sorted by price; derated MW q_i = offered_i · d_i are accepted cheapest first until the target;
//            the marginal price level is accepted partially, split pro rata to q_i among the bids tied at it;
//            clearing price = the marginal accepted bid's price (pay-as-clear); supply short of the target:
//            everything at or below the cap is accepted and the price is the cap. Bids above the cap are rejected.
// Payment    accepted MW · clearing price (EUR per delivery year), from the capacity buyer to the provider.
// Penalty    Σ_t penalty · max(0, obligation − delivered_t) · Δt_t over the delivery year's stress intervals,
//            capped at a share of the provider's payment; from the provider to the buyer.
import { z } from 'zod';
import { InputError, parseInput } from '../core/errors.ts';
import type { Ledger } from '../ledger/ledger.ts';

/** Relative tolerance for a tie between bid prices and for the target being met. */
const TOLERANCE = 1e-9;

export const capacityBidSchema = z.object({
  id: z.string().min(1),
  offeredMw: z.number().finite().nonnegative(),
  priceEurPerMwYr: z.number().finite().nonnegative(),
  deratingFactor: z.number().min(0).max(1),
});
export type CapacityBid = z.infer<typeof capacityBidSchema>;

export const capacityAuctionSchema = z.object({
  targetMw: z.number().finite().positive(),
  priceCapEurPerMwYr: z.number().finite().positive(),
});
export type CapacityAuction = z.infer<typeof capacityAuctionSchema>;

export interface AcceptedBid {
  readonly id: string;
  readonly deratedMw: number;
  readonly acceptedMw: number;
  /** acceptedMw / deratedMw (0 when the bid is rejected). */
  readonly acceptedShare: number;
  readonly paymentEurPerYr: number;
}

export interface AuctionResult {
  readonly status: 'cleared' | 'short';
  readonly clearingPriceEurPerMwYr: number;
  readonly acceptedMw: number;
  readonly shortfallMw: number;
  readonly bids: readonly AcceptedBid[];
  readonly costEurPerYr: number;
}

/** Derating factor of an offer from its simulated delivery (MW) in stress intervals, one array per seed. */
export function deratingFactor(offeredMw: number, deliveredMwBySeed: readonly (readonly number[])[]): number {
  if (!(offeredMw > 0)) throw InputError.single('bad_value', ['offeredMw'], 'must be positive');
  const all = deliveredMwBySeed.flat();
  if (all.length === 0)
    throw InputError.single('empty', ['deliveredMwBySeed'], 'needs at least one stress interval');
  return all.reduce((a, mw) => a + Math.min(1, Math.max(0, mw) / offeredMw), 0) / all.length;
}

/** Clear a sealed-bid, uniform-price auction for the target (derated MW). */
export function clearCapacityAuction(auction: CapacityAuction, bids: readonly CapacityBid[]): AuctionResult {
  const a = parseInput(capacityAuctionSchema, auction, ['auction']);
  const checked = parseInput(z.array(capacityBidSchema), bids, ['bids']);
  const ids = new Set<string>();
  checked.forEach((b, i) => {
    if (ids.has(b.id)) throw InputError.single('duplicate', ['bids', i, 'id'], `bid ${b.id} appears twice`);
    ids.add(b.id);
  });
  const derated = checked.map((b) => b.offeredMw * b.deratingFactor);
  const eligible = checked
    .map((b, i) => ({ i, price: b.priceEurPerMwYr }))
    .filter((e) => e.price <= a.priceCapEurPerMwYr && derated[e.i] > 0)
    .sort((x, y) => x.price - y.price);
  const accepted = new Float64Array(checked.length);
  let remaining = a.targetMw;
  let price = 0;
  for (let k = 0; k < eligible.length && remaining > TOLERANCE * a.targetMw; ) {
    // The group of bids tied at this price level.
    const level = eligible[k].price;
    let end = k;
    while (end < eligible.length && eligible[end].price - level <= TOLERANCE * Math.max(1, level)) end++;
    const group = eligible.slice(k, end);
    const groupMw = group.reduce((s, e) => s + derated[e.i], 0);
    const share = Math.min(1, remaining / groupMw);
    for (const e of group) accepted[e.i] = derated[e.i] * share;
    remaining -= groupMw * share;
    price = level;
    k = end;
  }
  const isShort = remaining > TOLERANCE * a.targetMw;
  if (isShort) price = a.priceCapEurPerMwYr;
  const out = checked.map((b, i) => ({
    id: b.id,
    deratedMw: derated[i],
    acceptedMw: accepted[i],
    acceptedShare: derated[i] > 0 ? accepted[i] / derated[i] : 0,
    paymentEurPerYr: accepted[i] * price,
  }));
  const acceptedMw = out.reduce((s, b) => s + b.acceptedMw, 0);
  return {
    status: isShort ? 'short' : 'cleared',
    clearingPriceEurPerMwYr: price,
    acceptedMw,
    shortfallMw: Math.max(0, a.targetMw - acceptedMw),
    bids: out,
    costEurPerYr: acceptedMw * price,
  };
}

export interface DeliveryCheck {
  readonly id: string;
  readonly obligationMw: number;
  /** Stress intervals of the delivery year: delivered MW and the interval length (h). */
  readonly deliveredMw: readonly number[];
  readonly intervalH: readonly number[];
}

export interface Penalty {
  readonly id: string;
  readonly shortfallMwh: number;
  readonly penaltyEur: number;
  readonly isCapped: boolean;
}

/** Non-delivery penalty of one provider: penalty rate · shortfall MWh, capped at capShare · its payment. */
export function nonDeliveryPenalty(
  check: DeliveryCheck,
  terms: {
    readonly penaltyEurPerMwh: number;
    readonly capShareOfPayment: number;
    readonly paymentEur: number;
  },
): Penalty {
  if (check.deliveredMw.length !== check.intervalH.length)
    throw InputError.single('length', ['intervalH'], 'needs one length per delivered value');
  let shortfallMwh = 0;
  check.deliveredMw.forEach((mw, t) => {
    shortfallMwh += Math.max(0, check.obligationMw - mw) * check.intervalH[t];
  });
  const raw = shortfallMwh * terms.penaltyEurPerMwh;
  const cap = terms.capShareOfPayment * terms.paymentEur;
  return { id: check.id, shortfallMwh, penaltyEur: Math.min(raw, cap), isCapped: raw > cap };
}

/**
 * Book each accepted bid's capacity payment (buyer → provider) and each penalty (provider → buyer); provider
 * accounts are `accountOf(id)` (opened as agent unless open), the buyer `buyerAccountId` (external). Returns transactions posted.
 */
export function bookCapacityMarket(
  ledger: Ledger,
  result: AuctionResult,
  penalties: readonly Penalty[],
  accounts: { readonly buyerAccountId: string; readonly accountOf: (id: string) => string },
  idPrefix = 'capacity-market',
): number {
  if (!ledger.hasAccount(accounts.buyerAccountId)) ledger.openAccount(accounts.buyerAccountId, 'external');
  let posted = 0;
  const post = (id: string, description: string, providerId: string, amountEur: number) => {
    const account = accounts.accountOf(providerId);
    if (!ledger.hasAccount(account)) ledger.openAccount(account, 'agent');
    ledger.postRoundedTransaction(id, description, [
      { accountId: account, amountEur },
      { accountId: accounts.buyerAccountId, amountEur: -amountEur },
    ]);
    posted++;
  };
  for (const b of result.bids)
    if (b.paymentEurPerYr > 0)
      post(
        `${idPrefix}/payment/${b.id}`,
        `capacity payment ${b.acceptedMw} MW at ${result.clearingPriceEurPerMwYr} EUR/MW/yr`,
        b.id,
        b.paymentEurPerYr,
      );
  for (const p of penalties)
    if (p.penaltyEur > 0)
      post(`${idPrefix}/penalty/${p.id}`, `non-delivery penalty ${p.shortfallMwh} MWh`, p.id, -p.penaltyEur);
  return posted;
}
