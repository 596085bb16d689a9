// Continuous double auction order book: limit orders, price-time priority, partial fills, cancels, no self-trades.
import { z } from 'zod';
import { parseInput } from '../core/errors.ts';

export const limitOrderSchema = z.object({
  id: z.string().min(1),
  agentId: z.string().min(1),
  side: z.enum(['buy', 'sell']),
  priceEurPerKwh: z.number().refine(Number.isFinite, 'must be a finite number'),
  eKwh: z.number().refine((v) => Number.isFinite(v) && v > 0, 'must be a positive finite number'),
});

/** A limit order: buy (or sell) up to `eKwh` at no more (no less) than `priceEurPerKwh`. */
export type LimitOrder = z.infer<typeof limitOrderSchema>;

/** One match; the price is that of the resting order (the order that was in the book first). */
export interface Fill {
  readonly buyOrderId: string;
  readonly sellOrderId: string;
  readonly buyer: string;
  readonly seller: string;
  readonly eKwh: number;
  readonly priceEurPerKwh: number;
}

interface RestingOrder {
  readonly order: LimitOrder;
  readonly sequence: number;
  remainingKwh: number;
}

/** Volumes below this are treated as filled (kWh). */
const FILL_EPSILON_KWH = 1e-12;

/**
 * A continuous double auction for one delivery interval. An incoming order matches the best opposite orders
 * (best price first, then earliest) while prices cross, at each resting order's price; the remainder rests.
 * Resting orders of the same agent are skipped (self-trade prevention: they stay in the book), as are
 * counterparties that `isPairAllowed(buyer, seller)` rejects. State is per instance (no globals).
 */
export class OrderBook {
  private readonly bidsByPriority: RestingOrder[] = [];
  private readonly asksByPriority: RestingOrder[] = [];
  private readonly ids = new Set<string>();
  private sequence = 0;
  private readonly isPairAllowed: (buyer: string, seller: string) => boolean;

  constructor(options: { readonly isPairAllowed?: (buyer: string, seller: string) => boolean } = {}) {
    this.isPairAllowed = options.isPairAllowed ?? (() => true);
  }

  /** Submit a limit order; returns the fills it caused, in the order they happened. */
  submit(input: LimitOrder): Fill[] {
    const order = parseInput(limitOrderSchema, input, ['order']);
    if (this.ids.has(order.id)) throw new RangeError(`duplicate order id ${order.id}`);
    this.ids.add(order.id);
    const isBuy = order.side === 'buy';
    const opposite = isBuy ? this.asksByPriority : this.bidsByPriority;
    const fills: Fill[] = [];
    let remainingKwh = order.eKwh;
    for (let i = 0; i < opposite.length && remainingKwh > FILL_EPSILON_KWH; ) {
      const resting = opposite[i];
      const crosses = isBuy
        ? resting.order.priceEurPerKwh <= order.priceEurPerKwh
        : resting.order.priceEurPerKwh >= order.priceEurPerKwh;
      if (!crosses) break;
      const buyer = isBuy ? order.agentId : resting.order.agentId;
      const seller = isBuy ? resting.order.agentId : order.agentId;
      if (resting.order.agentId === order.agentId || !this.isPairAllowed(buyer, seller)) {
        i++;
        continue;
      }
      const eKwh = Math.min(remainingKwh, resting.remainingKwh);
      fills.push({
        buyOrderId: isBuy ? order.id : resting.order.id,
        sellOrderId: isBuy ? resting.order.id : order.id,
        buyer,
        seller,
        eKwh,
        priceEurPerKwh: resting.order.priceEurPerKwh,
      });
      remainingKwh -= eKwh;
      resting.remainingKwh -= eKwh;
      if (resting.remainingKwh <= FILL_EPSILON_KWH) opposite.splice(i, 1);
      else i++;
    }
    if (remainingKwh > FILL_EPSILON_KWH) this.rest({ order, sequence: this.sequence++, remainingKwh });
    return fills;
  }

  /** Remove a resting order; returns whether it was in the book. */
  cancel(orderId: string): boolean {
    for (const side of [this.bidsByPriority, this.asksByPriority]) {
      const index = side.findIndex((resting) => resting.order.id === orderId);
      if (index >= 0) {
        side.splice(index, 1);
        return true;
      }
    }
    return false;
  }

  /** Resting bids, best first, with their remaining volume. */
  bids(): { readonly order: LimitOrder; readonly remainingKwh: number }[] {
    return this.bidsByPriority.map(({ order, remainingKwh }) => ({ order, remainingKwh }));
  }

  asks(): { readonly order: LimitOrder; readonly remainingKwh: number }[] {
    return this.asksByPriority.map(({ order, remainingKwh }) => ({ order, remainingKwh }));
  }

  /** Insert after every order with better or equal price (time priority among equal prices). */
  private rest(resting: RestingOrder): void {
    const isBuy = resting.order.side === 'buy';
    const side = isBuy ? this.bidsByPriority : this.asksByPriority;
    const price = resting.order.priceEurPerKwh;
    let lo = 0;
    let hi = side.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = side[mid].order.priceEurPerKwh;
      if (isBuy ? other >= price : other <= price) lo = mid + 1;
      else hi = mid;
    }
    side.splice(lo, 0, resting);
  }
}
