// Matching in memory for one platform: one IntervalMarket per delivery interval, the gate rules, a batch of
// submissions matched in arrival order, and the call auction of an interval. No SQL here (order-storage.ts).
import { badField, conflict, ServiceError } from '../api/service-error.ts';
import { type Fill, IntervalMarket, type RestingOrder } from './market-adapter.ts';
import {
  type BookLevel,
  type OrderAck,
  type OrderRequest,
  orderKey,
  type StoredOrder,
  type StoredTrade,
  statusForRemaining,
} from './records.ts';

export type MarketMode = 'continuous' | 'call';

export interface PlatformSettings {
  readonly id: string;
  readonly marketMode: MarketMode;
  readonly intervalMinutes: number;
  readonly gateClosureMinutes: number;
}

/** Hands out order and trade ids; one writer process per database (data-dir lock or advisory lock). */
export interface IdAllocator {
  nextOrderId(): number;
  nextTradeId(): number;
}

/** Orders may be placed at most this far ahead. */
const MAX_HORIZON_MS = 8 * 24 * 3_600_000;

/** The 400 for an interval start that is not on the platform's interval grid, or null when it is. */
export function alignmentError(
  intervalStartMs: number,
  intervalMinutes: number,
  path: readonly (string | number)[],
): ServiceError | null {
  if (intervalStartMs % (intervalMinutes * 60_000) === 0) return null;
  return badField(
    path,
    'misaligned',
    `must be aligned to the platform's ${intervalMinutes}-minute intervals`,
  );
}

/** What became of one submission of a batch. */
export type SubmitDecision =
  | { readonly kind: 'replay'; readonly ack: OrderAck }
  | { readonly kind: 'rejected'; readonly error: ServiceError }
  /** The same key as an earlier new order of this batch: answered with that order's result. */
  | { readonly kind: 'duplicate'; readonly key: string }
  | { readonly kind: 'new'; readonly key: string };

export interface MatchedBatch {
  /** One per request, in order. */
  readonly decisions: readonly SubmitDecision[];
  /** The acknowledgement of each new order, by key. */
  readonly acks: ReadonlyMap<string, OrderAck>;
  /** The new orders as stored: their state after the whole batch (a later order may have hit an earlier one). */
  readonly orders: readonly StoredOrder[];
  readonly trades: readonly StoredTrade[];
  /** Orders that rested before the batch and whose remaining volume changed. */
  readonly touched: readonly RestingOrder[];
  readonly intervals: ReadonlySet<number>;
}

/** A call auction computed over an interval's resting orders, not yet stored. */
export interface CallClearing {
  readonly priceMicroEurPerKwh: number | null;
  readonly energyWh: number;
  readonly trades: readonly StoredTrade[];
  readonly orders: readonly { id: number; remainingWh: number; status: 'filled' | 'expired' }[];
}

export class PlatformBooks {
  private readonly books = new Map<number, IntervalMarket>();
  private readonly resting = new Map<number, RestingOrder>();

  constructor(
    readonly platform: PlatformSettings,
    private readonly ids: IdAllocator,
  ) {}

  get intervalMs(): number {
    return this.platform.intervalMinutes * 60_000;
  }

  /** Time after which no order may be placed for the interval (gate closure). */
  gateClosureMs(intervalStartMs: number): number {
    return intervalStartMs - this.platform.gateClosureMinutes * 60_000;
  }

  /** Replace the books with these stored open orders, replayed in id order so time priority is the original. */
  rebuild(openOrders: readonly StoredOrder[]): void {
    this.books.clear();
    this.resting.clear();
    for (const order of openOrders) {
      const resting = toResting(order.id, order, order.remainingWh);
      const { fills } = this.marketOf(order.intervalStartMs).submit(resting);
      if (fills.length > 0)
        throw new Error(`stored open orders of platform ${this.platform.id} cross (order ${order.id})`);
      this.resting.set(order.id, resting);
    }
  }

  levels(intervalStartMs: number): Record<'bids' | 'asks', BookLevel[]> {
    return this.books.get(intervalStartMs)?.levels() ?? { bids: [], asks: [] };
  }

  /** Intervals whose gate has closed but which still hold orders (call mode: due for clearing). */
  closedIntervals(nowMs: number): number[] {
    return [...this.books.keys()].filter((start) => nowMs >= this.gateClosureMs(start)).sort((a, b) => a - b);
  }

  /** Forget an interval's book (closed or cleared). */
  dropInterval(start: number): void {
    const book = this.books.get(start);
    if (!book) return;
    for (const id of book.resting.keys()) this.resting.delete(id);
    this.books.delete(start);
  }

  /** Take a resting order out of its book; returns it, or undefined when it does not rest (any more). */
  cancel(orderId: number): RestingOrder | undefined {
    const resting = this.resting.get(orderId);
    if (!resting) return undefined;
    this.books.get(resting.intervalStartMs)?.cancel(orderId);
    this.resting.delete(orderId);
    return resting;
  }

  /** Why an order for this interval cannot be placed now, or null. */
  gateError(intervalStartMs: number, nowMs: number): ServiceError | null {
    const misaligned = alignmentError(intervalStartMs, this.platform.intervalMinutes, [
      'body',
      'intervalStart',
    ]);
    if (misaligned) return misaligned;
    if (nowMs >= this.gateClosureMs(intervalStartMs))
      return new ServiceError(409, 'gate_closed', 'the gate of this delivery interval has closed', [
        {
          code: 'gate_closed',
          path: ['body', 'intervalStart'],
          message: 'trading for this interval has closed',
        },
      ]);
    if (intervalStartMs - nowMs > MAX_HORIZON_MS)
      return badField(['body', 'intervalStart'], 'too_far_ahead', 'must be at most 8 days ahead');
    return null;
  }

  /**
   * Match a batch of submissions in arrival order. `submitted` holds the stored results of keys seen before
   * (replays). The books change at once; the caller stores the result and rebuilds the books if that fails.
   */
  matchBatch(
    requests: readonly OrderRequest[],
    submitted: ReadonlyMap<string, OrderAck>,
    nowMs: number,
  ): MatchedBatch {
    const decisions: SubmitDecision[] = [];
    const inBatch = new Map<string, OrderRequest>();
    const newOrders: {
      request: OrderRequest;
      order: RestingOrder;
      fills: Fill[];
      remainingAtAckWh: number;
    }[] = [];
    const touched = new Map<number, RestingOrder>();
    const intervals = new Set<number>();
    for (const request of requests) {
      const key = orderKey(request.memberId, request.clientOrderId);
      const previous = submitted.get(key);
      const earlier = inBatch.get(key);
      if (previous || earlier) {
        const isSame = isSameOrder(previous?.order ?? earlier!, request);
        if (!isSame) decisions.push({ kind: 'rejected', error: keyReused() });
        else if (previous) decisions.push({ kind: 'replay', ack: { ...previous, replayed: true } });
        else decisions.push({ kind: 'duplicate', key });
        continue;
      }
      const gateError = this.gateError(request.intervalStartMs, nowMs);
      if (gateError) {
        decisions.push({ kind: 'rejected', error: gateError });
        continue;
      }
      inBatch.set(key, request);
      const order = toResting(this.ids.nextOrderId(), request, request.energyWh);
      const { fills, touched: hit } = this.marketOf(request.intervalStartMs).submit(order);
      for (const resting of hit) {
        if (resting.remainingWh === 0) this.resting.delete(resting.id);
        touched.set(resting.id, resting);
      }
      const remainingAtAckWh = order.remainingWh;
      if (order.remainingWh > 0) this.resting.set(order.id, order);
      intervals.add(request.intervalStartMs);
      newOrders.push({ request, order, fills, remainingAtAckWh });
      decisions.push({ kind: 'new', key });
    }
    const acks = new Map<string, OrderAck>();
    const orders: StoredOrder[] = [];
    const trades: StoredTrade[] = [];
    for (const entry of newOrders) {
      const r = entry.request;
      const own = this.tradesOf(entry.fills, r.intervalStartMs, entry.order.id, nowMs);
      trades.push(...own);
      const acked = storedOrder(this.platform.id, entry.order.id, r, entry.remainingAtAckWh, nowMs);
      acks.set(orderKey(r.memberId, r.clientOrderId), { order: acked, trades: own, replayed: false });
      orders.push(storedOrder(this.platform.id, entry.order.id, r, entry.order.remainingWh, nowMs));
      touched.delete(entry.order.id);
    }
    return { decisions, acks, orders, trades, touched: [...touched.values()], intervals };
  }

  /** The uniform-price auction over an interval's resting orders; the books are not changed. */
  clearCall(intervalStartMs: number, nowMs: number): CallClearing {
    const market = this.books.get(intervalStartMs) ?? new IntervalMarket(false);
    const resting = [...market.resting.values()];
    const cleared = market.clearCall();
    let energyWh = 0;
    const filledWh = new Map<number, number>();
    for (const fill of cleared.fills) {
      energyWh += fill.energyWh;
      filledWh.set(fill.buyOrderId, (filledWh.get(fill.buyOrderId) ?? 0) + fill.energyWh);
      filledWh.set(fill.sellOrderId, (filledWh.get(fill.sellOrderId) ?? 0) + fill.energyWh);
    }
    const orders = resting.map((order) => {
      const remainingWh = order.remainingWh - (filledWh.get(order.id) ?? 0);
      return {
        id: order.id,
        remainingWh,
        status: remainingWh === 0 ? ('filled' as const) : ('expired' as const),
      };
    });
    return {
      priceMicroEurPerKwh: cleared.priceMicroEurPerKwh,
      energyWh,
      trades: this.tradesOf(cleared.fills, intervalStartMs, null, nowMs),
      orders,
    };
  }

  private marketOf(intervalStartMs: number): IntervalMarket {
    let market = this.books.get(intervalStartMs);
    if (!market) {
      market = new IntervalMarket(this.platform.marketMode === 'continuous');
      this.books.set(intervalStartMs, market);
    }
    return market;
  }

  /** Trades from fills, with fresh ids; `takerOrderId` is null for call auctions. */
  private tradesOf(
    fills: readonly Fill[],
    intervalStartMs: number,
    takerOrderId: number | null,
    nowMs: number,
  ): StoredTrade[] {
    return fills.map((fill) => ({
      id: this.ids.nextTradeId(),
      platformId: this.platform.id,
      intervalStartMs,
      buyOrderId: fill.buyOrderId,
      sellOrderId: fill.sellOrderId,
      buyerId: fill.buyerId,
      sellerId: fill.sellerId,
      takerOrderId,
      energyWh: fill.energyWh,
      priceMicroEurPerKwh: fill.priceMicroEurPerKwh,
      createdAtMs: nowMs,
    }));
  }
}

type OrderFields = Pick<OrderRequest, 'memberId' | 'side' | 'limitPriceMicroEurPerKwh' | 'intervalStartMs'>;

function toResting(id: number, order: OrderFields, remainingWh: number): RestingOrder {
  return {
    id,
    memberId: order.memberId,
    side: order.side,
    limitPriceMicroEurPerKwh: order.limitPriceMicroEurPerKwh,
    remainingWh,
    intervalStartMs: order.intervalStartMs,
  };
}

function storedOrder(
  platformId: string,
  id: number,
  request: OrderRequest,
  remainingWh: number,
  nowMs: number,
): StoredOrder {
  return {
    id,
    platformId,
    memberId: request.memberId,
    clientOrderId: request.clientOrderId,
    side: request.side,
    intervalStartMs: request.intervalStartMs,
    energyWh: request.energyWh,
    limitPriceMicroEurPerKwh: request.limitPriceMicroEurPerKwh,
    remainingWh,
    status: statusForRemaining(request.energyWh, remainingWh),
    createdAtMs: nowMs,
  };
}

/** Whether a repeated idempotency key asks for the same order (else it is reused for another: 409). */
function isSameOrder(
  a: Pick<OrderRequest, 'side' | 'intervalStartMs' | 'energyWh' | 'limitPriceMicroEurPerKwh'>,
  b: OrderRequest,
): boolean {
  return (
    a.side === b.side &&
    a.intervalStartMs === b.intervalStartMs &&
    a.energyWh === b.energyWh &&
    a.limitPriceMicroEurPerKwh === b.limitPriceMicroEurPerKwh
  );
}

function keyReused(): ServiceError {
  return conflict('idempotency_key_reused', 'clientOrderId was already used for a different order', [
    {
      code: 'idempotency_key_reused',
      path: ['body', 'clientOrderId'],
      message: 'already used for a different order',
    },
  ]);
}
