// The SQL of one platform's order engine: open orders to rebuild the books, earlier submissions by idempotency
// key, the batched writes of a matching step, cancellation, and call-auction clearings. Values are always bound.
import type { Database, SqlClient } from '../storage/database.ts';
import type { RestingOrder } from './market-adapter.ts';
import {
  ackFromStored,
  mapOrderRow,
  mapTradeRow,
  ORDER_COLUMNS,
  type OrderAck,
  type OrderRequest,
  orderKey,
  type StoredOrder,
  type StoredTrade,
  TRADE_COLUMNS,
} from './records.ts';

/** What a matching step writes in one transaction. */
export interface MatchedWrites {
  /** New orders as they stand after the whole step. */
  readonly orders: readonly StoredOrder[];
  readonly trades: readonly StoredTrade[];
  /** Earlier resting orders whose remaining volume changed. */
  readonly touched: readonly RestingOrder[];
}

/** A stored call-auction clearing with its trades. */
export interface StoredClearing {
  readonly priceMicroEurPerKwh: number | null;
  readonly energyWh: number;
  readonly trades: readonly StoredTrade[];
}

/** Final state of an order after a call auction: filled, or expired with what was left. */
export interface ClearedOrder {
  readonly id: number;
  readonly remainingWh: number;
  readonly status: 'filled' | 'expired';
}

export class OrderStorage {
  constructor(
    private readonly db: Database,
    private readonly platformId: string,
  ) {}

  /** The platform's open and partially filled orders, oldest first (the books' time priority). */
  async openOrders(): Promise<StoredOrder[]> {
    const result = await this.db.query(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE platform_id = $1 AND status IN ('open', 'partially_filled') ORDER BY id`,
      [this.platformId],
    );
    return result.rows.map(mapOrderRow);
  }

  /** Orders already stored under these (member, clientOrderId) keys, with the result first acknowledged. */
  async findSubmitted(requests: readonly OrderRequest[]): Promise<Map<string, OrderAck>> {
    const found = new Map<string, OrderAck>();
    const rows = await this.db.query(
      `SELECT ${ORDER_COLUMNS.split(', ')
        .map((c) => `o.${c}`)
        .join(', ')} FROM orders o
       JOIN unnest($1::text[], $2::text[]) AS k(member_id, client_order_id)
         ON o.member_id = k.member_id AND o.client_order_id = k.client_order_id`,
      [requests.map((r) => r.memberId), requests.map((r) => r.clientOrderId)],
    );
    if (rows.rows.length === 0) return found;
    const orders = rows.rows.map(mapOrderRow);
    const tradeRows = await this.db.query(
      `SELECT ${TRADE_COLUMNS} FROM trades WHERE taker_order_id = ANY($1::bigint[]) ORDER BY id`,
      [orders.map((o) => o.id)],
    );
    const trades = tradeRows.rows.map(mapTradeRow);
    for (const order of orders) {
      const own = trades.filter((t) => t.takerOrderId === order.id);
      found.set(orderKey(order.memberId, order.clientOrderId), ackFromStored(order, own));
    }
    return found;
  }

  /** Write a matching step: new orders, their trades and the touched resting orders, in one transaction. */
  async writeMatched(writes: MatchedWrites): Promise<void> {
    await this.db.transaction(async (tx) => {
      await insertOrders(tx, writes.orders);
      if (writes.trades.length > 0) await insertTrades(tx, writes.trades);
      if (writes.touched.length > 0) await updateRemaining(tx, writes.touched);
    });
  }

  async findOrder(orderId: number): Promise<StoredOrder | null> {
    const rows = await this.db.query(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 AND platform_id = $2`,
      [orderId, this.platformId],
    );
    return rows.rows.length === 0 ? null : mapOrderRow(rows.rows[0]);
  }

  async markCancelled(orderId: number): Promise<void> {
    await this.db.query(`UPDATE orders SET status = 'cancelled' WHERE id = $1`, [orderId]);
  }

  /** The clearing of an interval's call auction, if it ran before. */
  async findClearing(intervalStartMs: number): Promise<StoredClearing | null> {
    const previous = await this.db.query(
      'SELECT price_micro_eur_per_kwh, energy_wh FROM clearings WHERE platform_id = $1 AND interval_start_ms = $2',
      [this.platformId, intervalStartMs],
    );
    if (previous.rows.length === 0) return null;
    const tradeRows = await this.db.query(
      `SELECT ${TRADE_COLUMNS} FROM trades WHERE platform_id = $1 AND interval_start_ms = $2 ORDER BY id`,
      [this.platformId, intervalStartMs],
    );
    const row = previous.rows[0];
    return {
      priceMicroEurPerKwh: row.price_micro_eur_per_kwh === null ? null : Number(row.price_micro_eur_per_kwh),
      energyWh: Number(row.energy_wh),
      trades: tradeRows.rows.map(mapTradeRow),
    };
  }

  /** Record a call auction in one transaction: the clearing, its trades and every order's final state. */
  async writeClearing(
    intervalStartMs: number,
    clearing: StoredClearing,
    orders: readonly ClearedOrder[],
    clearedAtMs: number,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        'INSERT INTO clearings (platform_id, interval_start_ms, price_micro_eur_per_kwh, energy_wh, cleared_at_ms) VALUES ($1, $2, $3, $4, $5)',
        [this.platformId, intervalStartMs, clearing.priceMicroEurPerKwh, clearing.energyWh, clearedAtMs],
      );
      if (clearing.trades.length > 0) await insertTrades(tx, clearing.trades);
      if (orders.length > 0)
        await tx.query(
          `UPDATE orders o SET remaining_wh = u.remaining_wh, status = u.status
           FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS u(id, remaining_wh, status) WHERE o.id = u.id`,
          [orders.map((o) => o.id), orders.map((o) => o.remainingWh), orders.map((o) => o.status)],
        );
    });
  }
}

/** One column of a bulk insert: its SQL type and how to read it from a record, in the table's column order. */
type Column<T> = readonly [sqlType: 'bigint' | 'text', value: (record: T) => unknown];

const ORDER_INSERT: readonly Column<StoredOrder>[] = [
  ['bigint', (o) => o.id],
  ['text', (o) => o.platformId],
  ['text', (o) => o.memberId],
  ['text', (o) => o.clientOrderId],
  ['text', (o) => o.side],
  ['bigint', (o) => o.intervalStartMs],
  ['bigint', (o) => o.energyWh],
  ['bigint', (o) => o.limitPriceMicroEurPerKwh],
  ['bigint', (o) => o.remainingWh],
  ['text', (o) => o.status],
  ['bigint', (o) => o.createdAtMs],
];

const TRADE_INSERT: readonly Column<StoredTrade>[] = [
  ['bigint', (t) => t.id],
  ['text', (t) => t.platformId],
  ['bigint', (t) => t.intervalStartMs],
  ['bigint', (t) => t.buyOrderId],
  ['bigint', (t) => t.sellOrderId],
  ['text', (t) => t.buyerId],
  ['text', (t) => t.sellerId],
  ['bigint', (t) => t.takerOrderId],
  ['bigint', (t) => t.energyWh],
  ['bigint', (t) => t.priceMicroEurPerKwh],
  ['bigint', (t) => t.createdAtMs],
];

/** Insert many records with one statement: one bound array per column, zipped by unnest. */
async function insertAll<T>(
  tx: SqlClient,
  table: 'orders' | 'trades',
  columnNames: string,
  columns: readonly Column<T>[],
  records: readonly T[],
): Promise<void> {
  const arrays = columns.map(([type], i) => `$${i + 1}::${type}[]`).join(', ');
  await tx.query(
    `INSERT INTO ${table} (${columnNames}) SELECT * FROM unnest(${arrays})`,
    columns.map(([, value]) => records.map(value)),
  );
}

const insertOrders = (tx: SqlClient, orders: readonly StoredOrder[]) =>
  insertAll(tx, 'orders', ORDER_COLUMNS, ORDER_INSERT, orders);
const insertTrades = (tx: SqlClient, trades: readonly StoredTrade[]) =>
  insertAll(tx, 'trades', TRADE_COLUMNS, TRADE_INSERT, trades);

async function updateRemaining(tx: SqlClient, orders: readonly RestingOrder[]): Promise<void> {
  await tx.query(
    `UPDATE orders o SET remaining_wh = u.remaining_wh,
       status = CASE WHEN u.remaining_wh = 0 THEN 'filled' ELSE 'partially_filled' END
     FROM unnest($1::bigint[], $2::bigint[]) AS u(id, remaining_wh) WHERE o.id = u.id`,
    [orders.map((o) => o.id), orders.map((o) => o.remainingWh)],
  );
}
