// One platform's order sequencer: submissions, cancels and call clearings run one at a time against an in-memory
// book mirrored in the database; consecutive submissions are written in one transaction and acknowledged after COMMIT.

import { badField, conflict, notFound, ServiceError } from '../api/service-error.ts';
import type { Clock } from '../clock.ts';
import type { Database, SqlClient } from '../storage/database.ts';
import { type Fill, IntervalMarket, type RestingOrder } from './market-adapter.ts';
import {
  mapOrderRow,
  mapTradeRow,
  ORDER_COLUMNS,
  type StoredOrder,
  type StoredTrade,
  statusForRemaining,
  TRADE_COLUMNS,
} from './records.ts';

export type MarketMode = 'continuous' | 'call';

export interface PlatformSettings {
  readonly id: string;
  readonly marketMode: MarketMode;
  readonly intervalMinutes: number;
  readonly gateClosureMinutes: number;
}

/** A validated order request in stored units. */
export interface OrderRequest {
  readonly memberId: string;
  readonly clientOrderId: string;
  readonly side: 'buy' | 'sell';
  readonly intervalStartMs: number;
  readonly energyWh: number;
  readonly limitPriceMicroEurPerKwh: number;
}

export interface OrderAck {
  readonly order: StoredOrder;
  readonly trades: readonly StoredTrade[];
  readonly replayed: boolean;
}

export interface ClearingOutcome {
  readonly intervalStartMs: number;
  readonly priceMicroEurPerKwh: number | null;
  readonly energyWh: number;
  readonly trades: readonly StoredTrade[];
  readonly alreadyCleared: boolean;
}

/** Hands out order and trade ids; one writer process per database (data-dir lock or advisory lock). */
export interface IdAllocator {
  nextOrderId(): number;
  nextTradeId(): number;
}

/** What the engine reports after each commit (streams subscribe here). */
export interface EngineListener {
  onTrades(platformId: string, trades: readonly StoredTrade[]): void;
  onBookChanged(platformId: string, intervalStartMs: number): void;
}

interface SubmitJob {
  readonly kind: 'submit';
  readonly request: OrderRequest;
  readonly resolve: (ack: OrderAck) => void;
  readonly reject: (error: unknown) => void;
}
interface CancelJob {
  readonly kind: 'cancel';
  readonly orderId: number;
  readonly canCancel: (order: StoredOrder) => boolean;
  readonly resolve: (order: StoredOrder) => void;
  readonly reject: (error: unknown) => void;
}
interface ClearJob {
  readonly kind: 'clear';
  readonly intervalStartMs: number;
  readonly resolve: (outcome: ClearingOutcome) => void;
  readonly reject: (error: unknown) => void;
}
type Job = SubmitJob | CancelJob | ClearJob;

const MAX_BATCH = 256;
/** Orders may be placed at most this far ahead. */
const MAX_HORIZON_MS = 8 * 24 * 3_600_000;

export class PlatformEngine {
  private readonly books = new Map<number, IntervalMarket>();
  private readonly resting = new Map<number, RestingOrder>();
  private readonly queue: Job[] = [];
  private isDraining = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  private constructor(
    private readonly db: Database,
    readonly platform: PlatformSettings,
    private readonly clock: Clock,
    private readonly ids: IdAllocator,
    private readonly listener: EngineListener,
  ) {}

  /** Build the engine and load the platform's open orders into memory. */
  static async load(
    db: Database,
    platform: PlatformSettings,
    clock: Clock,
    ids: IdAllocator,
    listener: EngineListener,
  ): Promise<PlatformEngine> {
    const engine = new PlatformEngine(db, platform, clock, ids, listener);
    await engine.reload();
    return engine;
  }

  get intervalMs(): number {
    return this.platform.intervalMinutes * 60_000;
  }

  /** Time after which no order may be placed for the interval (gate closure). */
  gateClosureMs(intervalStartMs: number): number {
    return intervalStartMs - this.platform.gateClosureMinutes * 60_000;
  }

  submit(request: OrderRequest): Promise<OrderAck> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'submit', request, resolve, reject }));
  }

  cancel(orderId: number, canCancel: (order: StoredOrder) => boolean): Promise<StoredOrder> {
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'cancel', orderId, canCancel, resolve, reject }),
    );
  }

  /** Run the uniform-price call auction of one interval (call mode), at most once. */
  clear(intervalStartMs: number): Promise<ClearingOutcome> {
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'clear', intervalStartMs, resolve, reject }),
    );
  }

  /** Aggregated price levels of one interval's book (bids best first, asks best first). */
  bookLevels(intervalStartMs: number): ReturnType<IntervalMarket['levels']> {
    return this.books.get(intervalStartMs)?.levels() ?? { bids: [], asks: [] };
  }

  /** Intervals whose gate has closed but which still hold orders (call mode: due for clearing). */
  closedIntervals(nowMs: number): number[] {
    return [...this.books.keys()].filter((start) => nowMs >= this.gateClosureMs(start)).sort((a, b) => a - b);
  }

  /** Called by the ticker: clear due call auctions, drop closed continuous books from memory. */
  async onTick(): Promise<void> {
    const due = this.closedIntervals(this.clock.nowMs());
    for (const start of due) {
      if (this.platform.marketMode === 'call') await this.clear(start).catch(() => undefined);
      else this.dropInterval(start);
    }
  }

  /** Resolves when every queued job has finished. */
  drained(): Promise<void> {
    return this.isDraining ? this.idle : Promise.resolve();
  }

  private dropInterval(start: number): void {
    const book = this.books.get(start);
    if (!book) return;
    for (const id of book.resting.keys()) this.resting.delete(id);
    this.books.delete(start);
  }

  private async reload(): Promise<void> {
    this.books.clear();
    this.resting.clear();
    const result = await this.db.query(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE platform_id = $1 AND status IN ('open', 'partially_filled') ORDER BY id`,
      [this.platform.id],
    );
    for (const row of result.rows) this.addResting(mapOrderRow(row));
  }

  private marketOf(intervalStartMs: number): IntervalMarket {
    let market = this.books.get(intervalStartMs);
    if (!market) {
      market = new IntervalMarket(this.platform.marketMode === 'continuous');
      this.books.set(intervalStartMs, market);
    }
    return market;
  }

  /** Rebuild a resting order; orders are replayed in id order so the book's time priority is the original. */
  private addResting(order: StoredOrder): void {
    const resting: RestingOrder = {
      id: order.id,
      memberId: order.memberId,
      side: order.side,
      limitPriceMicroEurPerKwh: order.limitPriceMicroEurPerKwh,
      remainingWh: order.remainingWh,
      intervalStartMs: order.intervalStartMs,
    };
    const { fills } = this.marketOf(order.intervalStartMs).submit(resting);
    if (fills.length > 0)
      throw new Error(`stored open orders of platform ${this.platform.id} cross (order ${order.id})`);
    this.resting.set(order.id, resting);
  }

  private enqueue(job: Job): void {
    this.queue.push(job);
    if (!this.isDraining) {
      this.isDraining = true;
      this.idle = new Promise((resolve) => {
        this.markIdle = resolve;
      });
      void this.drain();
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const first = this.queue[0];
        if (first.kind === 'submit') {
          let count = 1;
          while (count < this.queue.length && count < MAX_BATCH && this.queue[count].kind === 'submit')
            count++;
          const batch = this.queue.splice(0, count) as SubmitJob[];
          await this.runSubmitBatch(batch);
        } else {
          this.queue.shift();
          if (first.kind === 'cancel') await this.runCancel(first);
          else await this.runClear(first);
        }
      }
    } finally {
      this.isDraining = false;
      this.markIdle();
    }
  }

  private async runSubmitBatch(batch: SubmitJob[]): Promise<void> {
    let existing: Map<string, OrderAck>;
    try {
      existing = await this.findExisting(
        this.db,
        batch.map((job) => job.request),
      );
    } catch (error) {
      for (const job of batch) job.reject(storageError(error));
      return;
    }
    const nowMs = this.clock.nowMs();
    const newOrders: { job: SubmitJob; order: RestingOrder; fills: Fill[]; remainingAtAckWh: number }[] = [];
    const duplicatesInBatch: { job: SubmitJob; firstKey: string }[] = [];
    const keyOf = (r: OrderRequest) => `${r.memberId}\u0000${r.clientOrderId}`;
    const inBatch = new Map<string, OrderRequest>();
    const touchedExisting = new Map<number, RestingOrder>();
    const affectedIntervals = new Set<number>();
    for (const job of batch) {
      const request = job.request;
      const key = keyOf(request);
      const previous = existing.get(key);
      if (previous) {
        if (!isSameRequest(previous.order, request)) job.reject(keyReused());
        else job.resolve({ ...previous, replayed: true });
        continue;
      }
      const earlier = inBatch.get(key);
      if (earlier) {
        if (!isSameOrderRequest(earlier, request)) job.reject(keyReused());
        else duplicatesInBatch.push({ job, firstKey: key });
        continue;
      }
      const gateError = this.checkGate(request.intervalStartMs, nowMs);
      if (gateError) {
        job.reject(gateError);
        continue;
      }
      inBatch.set(key, request);
      const order: RestingOrder = {
        id: this.ids.nextOrderId(),
        memberId: request.memberId,
        side: request.side,
        limitPriceMicroEurPerKwh: request.limitPriceMicroEurPerKwh,
        remainingWh: request.energyWh,
        intervalStartMs: request.intervalStartMs,
      };
      const market = this.marketOf(request.intervalStartMs);
      const { fills, touched } = market.submit(order);
      for (const resting of touched) {
        if (resting.remainingWh === 0) this.resting.delete(resting.id);
        touchedExisting.set(resting.id, resting);
      }
      const remainingAtAckWh = order.remainingWh;
      if (order.remainingWh > 0) this.resting.set(order.id, order);
      affectedIntervals.add(request.intervalStartMs);
      newOrders.push({ job, order, fills, remainingAtAckWh });
    }
    if (newOrders.length === 0) {
      this.resolveDuplicates(duplicatesInBatch, new Map());
      return;
    }
    const acks = new Map<string, OrderAck>();
    const allTrades: StoredTrade[] = [];
    for (const entry of newOrders) {
      const r = entry.job.request;
      const trades: StoredTrade[] = entry.fills.map((fill) => ({
        id: this.ids.nextTradeId(),
        platformId: this.platform.id,
        intervalStartMs: r.intervalStartMs,
        buyOrderId: fill.buyOrderId,
        sellOrderId: fill.sellOrderId,
        buyerId: fill.buyerId,
        sellerId: fill.sellerId,
        takerOrderId: entry.order.id,
        energyWh: fill.energyWh,
        priceMicroEurPerKwh: fill.priceMicroEurPerKwh,
        createdAtMs: nowMs,
      }));
      allTrades.push(...trades);
      acks.set(keyOf(r), {
        order: {
          id: entry.order.id,
          platformId: this.platform.id,
          memberId: r.memberId,
          clientOrderId: r.clientOrderId,
          side: r.side,
          intervalStartMs: r.intervalStartMs,
          energyWh: r.energyWh,
          limitPriceMicroEurPerKwh: r.limitPriceMicroEurPerKwh,
          remainingWh: entry.remainingAtAckWh,
          status: statusForRemaining(r.energyWh, entry.remainingAtAckWh),
          createdAtMs: nowMs,
        },
        trades,
        replayed: false,
      });
    }
    const newIds = new Set(newOrders.map((n) => n.order.id));
    for (const id of newIds) touchedExisting.delete(id);
    try {
      await this.db.transaction(async (tx) => {
        await insertOrders(
          tx,
          newOrders.map((entry) => {
            const ack = acks.get(keyOf(entry.job.request))!.order;
            // The row holds the state after the whole batch (a later order of the batch may have hit this one).
            return {
              ...ack,
              remainingWh: entry.order.remainingWh,
              status: statusForRemaining(ack.energyWh, entry.order.remainingWh),
            };
          }),
        );
        if (allTrades.length > 0) await insertTrades(tx, allTrades);
        if (touchedExisting.size > 0) await updateRemaining(tx, [...touchedExisting.values()]);
      });
    } catch (error) {
      // Nothing was committed: restore the book from the database and let clients retry with the same key.
      await this.reload().catch(() => undefined);
      const failure = storageError(error);
      for (const entry of newOrders) entry.job.reject(failure);
      for (const dup of duplicatesInBatch) dup.job.reject(failure);
      return;
    }
    for (const entry of newOrders) entry.job.resolve(acks.get(keyOf(entry.job.request))!);
    this.resolveDuplicates(duplicatesInBatch, acks);
    if (allTrades.length > 0) this.listener.onTrades(this.platform.id, allTrades);
    for (const start of affectedIntervals) this.listener.onBookChanged(this.platform.id, start);
  }

  private resolveDuplicates(
    duplicates: { job: SubmitJob; firstKey: string }[],
    acks: Map<string, OrderAck>,
  ): void {
    for (const dup of duplicates) {
      const ack = acks.get(dup.firstKey);
      if (ack) dup.job.resolve({ ...ack, replayed: true });
      else
        dup.job.reject(
          new ServiceError(503, 'retry', 'the first request with this clientOrderId failed; retry'),
        );
    }
  }

  private checkGate(intervalStartMs: number, nowMs: number): ServiceError | null {
    if (intervalStartMs % this.intervalMs !== 0)
      return badField(
        ['body', 'intervalStart'],
        'misaligned',
        `must be aligned to the platform's ${this.platform.intervalMinutes}-minute intervals`,
      );
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

  /** Orders already stored under these (member, clientOrderId) keys, with the result first acknowledged. */
  private async findExisting(
    client: SqlClient,
    requests: readonly OrderRequest[],
  ): Promise<Map<string, OrderAck>> {
    const found = new Map<string, OrderAck>();
    const rows = await client.query(
      `SELECT ${ORDER_COLUMNS.split(', ')
        .map((c) => `o.${c}`)
        .join(', ')} FROM orders o
       JOIN unnest($1::text[], $2::text[]) AS k(member_id, client_order_id)
         ON o.member_id = k.member_id AND o.client_order_id = k.client_order_id`,
      [requests.map((r) => r.memberId), requests.map((r) => r.clientOrderId)],
    );
    if (rows.rows.length === 0) return found;
    const orders = rows.rows.map(mapOrderRow);
    const tradeRows = await client.query(
      `SELECT ${TRADE_COLUMNS} FROM trades WHERE taker_order_id = ANY($1::bigint[]) ORDER BY id`,
      [orders.map((o) => o.id)],
    );
    const trades = tradeRows.rows.map(mapTradeRow);
    for (const order of orders) {
      const own = trades.filter((t) => t.takerOrderId === order.id);
      found.set(`${order.memberId}\u0000${order.clientOrderId}`, ackFromStored(order, own));
    }
    return found;
  }

  private async runCancel(job: CancelJob): Promise<void> {
    try {
      const rows = await this.db.query(
        `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 AND platform_id = $2`,
        [job.orderId, this.platform.id],
      );
      if (rows.rows.length === 0) throw notFound('order');
      const order = mapOrderRow(rows.rows[0]);
      if (!job.canCancel(order)) throw notFound('order');
      if (order.status !== 'open' && order.status !== 'partially_filled')
        throw conflict('order_not_open', `the order is ${order.status}`);
      const resting = this.resting.get(order.id);
      await this.db.query(`UPDATE orders SET status = 'cancelled' WHERE id = $1`, [order.id]);
      if (resting) {
        this.books.get(resting.intervalStartMs)?.cancel(order.id);
        this.resting.delete(order.id);
        this.listener.onBookChanged(this.platform.id, resting.intervalStartMs);
      }
      job.resolve({ ...order, status: 'cancelled', remainingWh: resting?.remainingWh ?? order.remainingWh });
    } catch (error) {
      job.reject(error instanceof ServiceError ? error : storageError(error));
    }
  }

  private async runClear(job: ClearJob): Promise<void> {
    const start = job.intervalStartMs;
    try {
      if (this.platform.marketMode !== 'call')
        throw conflict(
          'not_call_market',
          'this platform matches continuously; there is no call auction to run',
        );
      if (this.clock.nowMs() < this.gateClosureMs(start))
        throw conflict(
          'gate_open',
          'the call auction runs at gate closure; the gate of this interval is still open',
        );
      const previous = await this.db.query(
        'SELECT price_micro_eur_per_kwh, energy_wh FROM clearings WHERE platform_id = $1 AND interval_start_ms = $2',
        [this.platform.id, start],
      );
      if (previous.rows.length > 0) {
        const tradeRows = await this.db.query(
          `SELECT ${TRADE_COLUMNS} FROM trades WHERE platform_id = $1 AND interval_start_ms = $2 ORDER BY id`,
          [this.platform.id, start],
        );
        const row = previous.rows[0];
        job.resolve({
          intervalStartMs: start,
          priceMicroEurPerKwh:
            row.price_micro_eur_per_kwh === null ? null : Number(row.price_micro_eur_per_kwh),
          energyWh: Number(row.energy_wh),
          trades: tradeRows.rows.map(mapTradeRow),
          alreadyCleared: true,
        });
        this.dropInterval(start);
        return;
      }
      const market = this.books.get(start) ?? new IntervalMarket(false);
      const orders = [...market.resting.values()];
      const cleared = market.clearCall();
      let clearedWh = 0;
      for (const fill of cleared.fills) clearedWh += fill.energyWh;
      const outcome = {
        priceMicroEurPerKwh: cleared.priceMicroEurPerKwh,
        energyWh: clearedWh,
        fills: cleared.fills,
      };
      const nowMs = this.clock.nowMs();
      const trades: StoredTrade[] = outcome.fills.map((fill) => ({
        id: this.ids.nextTradeId(),
        platformId: this.platform.id,
        intervalStartMs: start,
        buyOrderId: fill.buyOrderId,
        sellOrderId: fill.sellOrderId,
        buyerId: fill.buyerId,
        sellerId: fill.sellerId,
        takerOrderId: null,
        energyWh: fill.energyWh,
        priceMicroEurPerKwh: fill.priceMicroEurPerKwh,
        createdAtMs: nowMs,
      }));
      const filledWh = new Map<number, number>();
      for (const fill of outcome.fills) {
        filledWh.set(fill.buyOrderId, (filledWh.get(fill.buyOrderId) ?? 0) + fill.energyWh);
        filledWh.set(fill.sellOrderId, (filledWh.get(fill.sellOrderId) ?? 0) + fill.energyWh);
      }
      const finals = orders.map((order) => {
        const remainingWh = order.remainingWh - (filledWh.get(order.id) ?? 0);
        return { id: order.id, remainingWh, status: remainingWh === 0 ? 'filled' : 'expired' };
      });
      await this.db.transaction(async (tx) => {
        await tx.query(
          'INSERT INTO clearings (platform_id, interval_start_ms, price_micro_eur_per_kwh, energy_wh, cleared_at_ms) VALUES ($1, $2, $3, $4, $5)',
          [this.platform.id, start, outcome.priceMicroEurPerKwh, outcome.energyWh, nowMs],
        );
        if (trades.length > 0) await insertTrades(tx, trades);
        if (finals.length > 0)
          await tx.query(
            `UPDATE orders o SET remaining_wh = u.remaining_wh, status = u.status
             FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS u(id, remaining_wh, status) WHERE o.id = u.id`,
            [finals.map((f) => f.id), finals.map((f) => f.remainingWh), finals.map((f) => f.status)],
          );
      });
      this.dropInterval(start);
      job.resolve({
        intervalStartMs: start,
        priceMicroEurPerKwh: outcome.priceMicroEurPerKwh,
        energyWh: outcome.energyWh,
        trades,
        alreadyCleared: false,
      });
      if (trades.length > 0) this.listener.onTrades(this.platform.id, trades);
      this.listener.onBookChanged(this.platform.id, start);
    } catch (error) {
      job.reject(error instanceof ServiceError ? error : storageError(error));
    }
  }
}

function keyReused(): ServiceError {
  return new ServiceError(
    409,
    'idempotency_key_reused',
    'clientOrderId was already used for a different order',
    [
      {
        code: 'idempotency_key_reused',
        path: ['body', 'clientOrderId'],
        message: 'already used for a different order',
      },
    ],
  );
}

function storageError(error: unknown): ServiceError {
  const message = error instanceof Error ? error.message : String(error);
  return new ServiceError(
    503,
    'storage_unavailable',
    `the order was not stored (${message}); retry with the same clientOrderId`,
  );
}

function isSameRequest(order: StoredOrder, request: OrderRequest): boolean {
  return (
    order.side === request.side &&
    order.intervalStartMs === request.intervalStartMs &&
    order.energyWh === request.energyWh &&
    order.limitPriceMicroEurPerKwh === request.limitPriceMicroEurPerKwh
  );
}

function isSameOrderRequest(a: OrderRequest, b: OrderRequest): boolean {
  return (
    a.side === b.side &&
    a.intervalStartMs === b.intervalStartMs &&
    a.energyWh === b.energyWh &&
    a.limitPriceMicroEurPerKwh === b.limitPriceMicroEurPerKwh
  );
}

/** The acknowledgement as first sent, rebuilt from the stored order and the trades it made as taker. */
export function ackFromStored(order: StoredOrder, takerTrades: readonly StoredTrade[]): OrderAck {
  let filledWh = 0;
  for (const trade of takerTrades) filledWh += trade.energyWh;
  const remainingWh = order.energyWh - filledWh;
  return {
    order: { ...order, remainingWh, status: statusForRemaining(order.energyWh, remainingWh) },
    trades: takerTrades,
    replayed: false,
  };
}

async function insertOrders(tx: SqlClient, orders: readonly StoredOrder[]): Promise<void> {
  await tx.query(
    `INSERT INTO orders (${ORDER_COLUMNS})
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
                          $8::bigint[], $9::bigint[], $10::text[], $11::bigint[])`,
    [
      orders.map((o) => o.id),
      orders.map((o) => o.platformId),
      orders.map((o) => o.memberId),
      orders.map((o) => o.clientOrderId),
      orders.map((o) => o.side),
      orders.map((o) => o.intervalStartMs),
      orders.map((o) => o.energyWh),
      orders.map((o) => o.limitPriceMicroEurPerKwh),
      orders.map((o) => o.remainingWh),
      orders.map((o) => o.status),
      orders.map((o) => o.createdAtMs),
    ],
  );
}

async function insertTrades(tx: SqlClient, trades: readonly StoredTrade[]): Promise<void> {
  await tx.query(
    `INSERT INTO trades (${TRADE_COLUMNS})
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::text[],
                          $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[])`,
    [
      trades.map((t) => t.id),
      trades.map((t) => t.platformId),
      trades.map((t) => t.intervalStartMs),
      trades.map((t) => t.buyOrderId),
      trades.map((t) => t.sellOrderId),
      trades.map((t) => t.buyerId),
      trades.map((t) => t.sellerId),
      trades.map((t) => t.takerOrderId),
      trades.map((t) => t.energyWh),
      trades.map((t) => t.priceMicroEurPerKwh),
      trades.map((t) => t.createdAtMs),
    ],
  );
}

async function updateRemaining(tx: SqlClient, orders: readonly RestingOrder[]): Promise<void> {
  await tx.query(
    `UPDATE orders o SET remaining_wh = u.remaining_wh,
       status = CASE WHEN u.remaining_wh = 0 THEN 'filled' ELSE 'partially_filled' END
     FROM unnest($1::bigint[], $2::bigint[]) AS u(id, remaining_wh) WHERE o.id = u.id`,
    [orders.map((o) => o.id), orders.map((o) => o.remainingWh)],
  );
}
