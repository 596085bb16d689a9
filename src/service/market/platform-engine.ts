// One platform's order engine: jobs run one at a time (order-queue.ts) against in-memory books (order-matching.ts)
// mirrored in the database (order-storage.ts); consecutive submissions are written in one transaction and
// acknowledged only after COMMIT.
import { conflict, notFound, ServiceError } from '../api/service-error.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../storage/database.ts';
import { type IdAllocator, PlatformBooks, type PlatformSettings } from './order-matching.ts';
import {
  type CancelJob,
  type ClearingOutcome,
  type ClearJob,
  type JobRunner,
  OrderQueue,
  type SubmitJob,
} from './order-queue.ts';
import { OrderStorage } from './order-storage.ts';
import type { OrderAck, OrderRequest, StoredOrder, StoredTrade } from './records.ts';

export type { IdAllocator, MarketMode, PlatformSettings } from './order-matching.ts';
export type { ClearingOutcome } from './order-queue.ts';
export type { OrderAck, OrderRequest } from './records.ts';

/** What the engine reports after each commit (streams subscribe here). */
export interface EngineListener {
  onTrades(platformId: string, trades: readonly StoredTrade[]): void;
  onBookChanged(platformId: string, intervalStartMs: number): void;
}

export class PlatformEngine implements JobRunner {
  private readonly books: PlatformBooks;
  private readonly storage: OrderStorage;
  private readonly queue = new OrderQueue(this);

  private constructor(
    db: Database,
    readonly platform: PlatformSettings,
    private readonly clock: Clock,
    ids: IdAllocator,
    private readonly listener: EngineListener,
  ) {
    this.books = new PlatformBooks(platform, ids);
    this.storage = new OrderStorage(db, platform.id);
  }

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
    return this.books.intervalMs;
  }

  /** Time after which no order may be placed for the interval (gate closure). */
  gateClosureMs(intervalStartMs: number): number {
    return this.books.gateClosureMs(intervalStartMs);
  }

  submit(request: OrderRequest): Promise<OrderAck> {
    return this.queue.submit(request);
  }

  cancel(orderId: number, canCancel: (order: StoredOrder) => boolean): Promise<StoredOrder> {
    return this.queue.cancel(orderId, canCancel);
  }

  /** Run the uniform-price call auction of one interval (call mode), at most once. */
  clear(intervalStartMs: number): Promise<ClearingOutcome> {
    return this.queue.clear(intervalStartMs);
  }

  /** Aggregated price levels of one interval's book (bids best first, asks best first). */
  bookLevels(intervalStartMs: number): ReturnType<PlatformBooks['levels']> {
    return this.books.levels(intervalStartMs);
  }

  /** Intervals whose gate has closed but which still hold orders (call mode: due for clearing). */
  closedIntervals(nowMs: number): number[] {
    return this.books.closedIntervals(nowMs);
  }

  /** Called by the ticker: clear due call auctions, drop closed continuous books from memory. */
  async onTick(): Promise<void> {
    for (const start of this.closedIntervals(this.clock.nowMs())) {
      if (this.platform.marketMode === 'call') await this.clear(start).catch(() => undefined);
      else this.books.dropInterval(start);
    }
  }

  /** Resolves when every queued job has finished. */
  drained(): Promise<void> {
    return this.queue.drained();
  }

  private async reload(): Promise<void> {
    this.books.rebuild(await this.storage.openOrders());
  }

  /** JobRunner: match a batch, store it in one transaction, then answer (nothing before COMMIT). */
  async runSubmitBatch(batch: SubmitJob[]): Promise<void> {
    const requests = batch.map((job) => job.request);
    let submitted: Map<string, OrderAck>;
    try {
      submitted = await this.storage.findSubmitted(requests);
    } catch (error) {
      for (const job of batch) job.reject(storageError(error));
      return;
    }
    const matched = this.books.matchBatch(requests, submitted, this.clock.nowMs());
    batch.forEach((job, i) => {
      const decision = matched.decisions[i];
      if (decision.kind === 'replay') job.resolve(decision.ack);
      else if (decision.kind === 'rejected') job.reject(decision.error);
    });
    if (matched.orders.length === 0) return;
    try {
      await this.storage.writeMatched(matched);
    } catch (error) {
      // Nothing was committed: restore the books from the database and let clients retry with the same key.
      await this.reload().catch(() => undefined);
      const failure = storageError(error);
      batch.forEach((job, i) => {
        const { kind } = matched.decisions[i];
        if (kind === 'new' || kind === 'duplicate') job.reject(failure);
      });
      return;
    }
    batch.forEach((job, i) => {
      const decision = matched.decisions[i];
      if (decision.kind === 'new') job.resolve(matched.acks.get(decision.key)!);
    });
    batch.forEach((job, i) => {
      const decision = matched.decisions[i];
      if (decision.kind === 'duplicate') job.resolve({ ...matched.acks.get(decision.key)!, replayed: true });
    });
    if (matched.trades.length > 0) this.listener.onTrades(this.platform.id, matched.trades);
    for (const start of matched.intervals) this.listener.onBookChanged(this.platform.id, start);
  }

  /** JobRunner: cancel an open order of its owner. */
  async runCancel(job: CancelJob): Promise<void> {
    try {
      const order = await this.storage.findOrder(job.orderId);
      if (!order || !job.canCancel(order)) throw notFound('order');
      if (order.status !== 'open' && order.status !== 'partially_filled')
        throw conflict('order_not_open', `the order is ${order.status}`);
      await this.storage.markCancelled(order.id);
      const resting = this.books.cancel(order.id);
      if (resting) this.listener.onBookChanged(this.platform.id, resting.intervalStartMs);
      job.resolve({ ...order, status: 'cancelled', remainingWh: resting?.remainingWh ?? order.remainingWh });
    } catch (error) {
      job.reject(error instanceof ServiceError ? error : storageError(error));
    }
  }

  /** JobRunner: run (or return) the call auction of a closed interval. */
  async runClear(job: ClearJob): Promise<void> {
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
      const previous = await this.storage.findClearing(start);
      if (previous) {
        job.resolve({ intervalStartMs: start, ...previous, alreadyCleared: true });
        this.books.dropInterval(start);
        return;
      }
      const nowMs = this.clock.nowMs();
      const clearing = this.books.clearCall(start, nowMs);
      await this.storage.writeClearing(start, clearing, clearing.orders, nowMs);
      this.books.dropInterval(start);
      job.resolve({
        intervalStartMs: start,
        priceMicroEurPerKwh: clearing.priceMicroEurPerKwh,
        energyWh: clearing.energyWh,
        trades: clearing.trades,
        alreadyCleared: false,
      });
      if (clearing.trades.length > 0) this.listener.onTrades(this.platform.id, clearing.trades);
      this.listener.onBookChanged(this.platform.id, start);
    } catch (error) {
      job.reject(error instanceof ServiceError ? error : storageError(error));
    }
  }
}

function storageError(error: unknown): ServiceError {
  const message = error instanceof Error ? error.message : String(error);
  return new ServiceError(
    503,
    'storage_unavailable',
    `the order was not stored (${message}); retry with the same clientOrderId`,
  );
}
