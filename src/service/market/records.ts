// Order and trade records as stored (integer units) and their mapping from database rows and to API views.

import type { OrderSide } from './market-adapter.ts';
import { microEurToEurNumber, whToKwh } from './units.ts';

export type OrderStatus = 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'expired';

export interface StoredOrder {
  readonly id: number;
  readonly platformId: string;
  readonly memberId: string;
  readonly clientOrderId: string;
  readonly side: OrderSide;
  readonly intervalStartMs: number;
  readonly energyWh: number;
  readonly limitPriceMicroEurPerKwh: number;
  readonly remainingWh: number;
  readonly status: OrderStatus;
  readonly createdAtMs: number;
}

export interface StoredTrade {
  readonly id: number;
  readonly platformId: string;
  readonly intervalStartMs: number;
  readonly buyOrderId: number;
  readonly sellOrderId: number;
  readonly buyerId: string;
  readonly sellerId: string;
  readonly takerOrderId: number | null;
  readonly energyWh: number;
  readonly priceMicroEurPerKwh: number;
  readonly createdAtMs: number;
}

export const ORDER_COLUMNS =
  'id, platform_id, member_id, client_order_id, side, interval_start_ms, energy_wh, limit_price_micro_eur_per_kwh, remaining_wh, status, created_at_ms';
export const TRADE_COLUMNS =
  'id, platform_id, interval_start_ms, buy_order_id, sell_order_id, buyer_id, seller_id, taker_order_id, energy_wh, price_micro_eur_per_kwh, created_at_ms';

export function mapOrderRow(row: Record<string, unknown>): StoredOrder {
  return {
    id: Number(row.id),
    platformId: String(row.platform_id),
    memberId: String(row.member_id),
    clientOrderId: String(row.client_order_id),
    side: row.side as OrderSide,
    intervalStartMs: Number(row.interval_start_ms),
    energyWh: Number(row.energy_wh),
    limitPriceMicroEurPerKwh: Number(row.limit_price_micro_eur_per_kwh),
    remainingWh: Number(row.remaining_wh),
    status: row.status as OrderStatus,
    createdAtMs: Number(row.created_at_ms),
  };
}

export function mapTradeRow(row: Record<string, unknown>): StoredTrade {
  return {
    id: Number(row.id),
    platformId: String(row.platform_id),
    intervalStartMs: Number(row.interval_start_ms),
    buyOrderId: Number(row.buy_order_id),
    sellOrderId: Number(row.sell_order_id),
    buyerId: String(row.buyer_id),
    sellerId: String(row.seller_id),
    takerOrderId: row.taker_order_id === null ? null : Number(row.taker_order_id),
    energyWh: Number(row.energy_wh),
    priceMicroEurPerKwh: Number(row.price_micro_eur_per_kwh),
    createdAtMs: Number(row.created_at_ms),
  };
}

export const statusForRemaining = (energyWh: number, remainingWh: number): OrderStatus =>
  remainingWh === 0 ? 'filled' : remainingWh < energyWh ? 'partially_filled' : 'open';

const iso = (ms: number): string => new Date(ms).toISOString();

export function toOrderView(order: StoredOrder) {
  return {
    id: String(order.id),
    platformId: order.platformId,
    memberId: order.memberId,
    clientOrderId: order.clientOrderId,
    side: order.side,
    intervalStart: iso(order.intervalStartMs),
    energyKwh: whToKwh(order.energyWh),
    limitPriceEurPerKwh: microEurToEurNumber(order.limitPriceMicroEurPerKwh),
    remainingKwh: whToKwh(order.remainingWh),
    status: order.status,
    createdAt: iso(order.createdAtMs),
  };
}

/** A trade as a viewer may see it: the parties' ids only for the parties themselves and privileged roles. */
export function toTradeView(
  trade: StoredTrade,
  viewer: { readonly memberId: string | null; readonly isPrivileged: boolean },
) {
  const isParty = viewer.memberId === trade.buyerId || viewer.memberId === trade.sellerId;
  const showParties = viewer.isPrivileged || isParty;
  return {
    id: String(trade.id),
    platformId: trade.platformId,
    intervalStart: iso(trade.intervalStartMs),
    energyKwh: whToKwh(trade.energyWh),
    priceEurPerKwh: microEurToEurNumber(trade.priceMicroEurPerKwh),
    buyOrderId: String(trade.buyOrderId),
    sellOrderId: String(trade.sellOrderId),
    ...(showParties ? { buyerId: trade.buyerId, sellerId: trade.sellerId } : {}),
    createdAt: iso(trade.createdAtMs),
  };
}

/** Aggregated price levels of a book side, in the stored units. */
export interface BookLevel {
  readonly priceMicroEurPerKwh: number;
  readonly energyWh: number;
  readonly orders: number;
}

/** One interval's aggregated book as the API and the `book` stream show it. */
export function toBookView(
  platformId: string,
  intervalStartMs: number,
  levels: { readonly bids: readonly BookLevel[]; readonly asks: readonly BookLevel[] },
) {
  const toLevelView = (level: BookLevel) => ({
    priceEurPerKwh: microEurToEurNumber(level.priceMicroEurPerKwh),
    energyKwh: whToKwh(level.energyWh),
    orders: level.orders,
  });
  return {
    platformId,
    intervalStart: iso(intervalStartMs),
    bids: levels.bids.map(toLevelView),
    asks: levels.asks.map(toLevelView),
  };
}

/** A validated order request in stored units. */
export interface OrderRequest {
  readonly memberId: string;
  readonly clientOrderId: string;
  readonly side: OrderSide;
  readonly intervalStartMs: number;
  readonly energyWh: number;
  readonly limitPriceMicroEurPerKwh: number;
}

/** What a submission is answered with: the order as of its acknowledgement and the trades it made as taker. */
export interface OrderAck {
  readonly order: StoredOrder;
  readonly trades: readonly StoredTrade[];
  readonly replayed: boolean;
}

/** The idempotency key of an order: one per member and clientOrderId. */
export const orderKey = (memberId: string, clientOrderId: string): string =>
  `${memberId}\u0000${clientOrderId}`;

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
