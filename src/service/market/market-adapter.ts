// Adapter from the service's integer records (Wh, micro-euros/kWh, numeric ids) to the markets module: the
// continuous OrderBook (price-time priority) and the uniform-price clearCallAuction, used as they are.
import { roundEurToMicroEur } from '../../ledger/money.ts';
import { buildMarketBook, type MarketAgent } from '../../markets/book.ts';
import { type BlockOrder, clearCallAuction } from '../../markets/double-auction.ts';
import { OrderBook } from '../../markets/order-book.ts';
import { microEurToEurNumber, whToKwh } from './units.ts';

export type OrderSide = 'buy' | 'sell';

/** A resting order as the engine tracks it; `remainingWh` mirrors the OrderBook's volume exactly in Wh. */
export interface RestingOrder {
  readonly id: number;
  readonly memberId: string;
  readonly side: OrderSide;
  readonly limitPriceMicroEurPerKwh: number;
  readonly intervalStartMs: number;
  remainingWh: number;
}

export interface Fill {
  readonly buyOrderId: number;
  readonly sellOrderId: number;
  readonly buyerId: string;
  readonly sellerId: string;
  readonly energyWh: number;
  readonly priceMicroEurPerKwh: number;
}

const kwhToWhExact = (eKwh: number): number => Math.round(eKwh * 1000);
const priceToMicro = (priceEurPerKwh: number): number => Number(roundEurToMicroEur(priceEurPerKwh));

/** One delivery interval's market: the markets OrderBook (continuous mode) plus the resting orders by id. */
export class IntervalMarket {
  private readonly book = new OrderBook();
  readonly resting = new Map<number, RestingOrder>();

  constructor(private readonly isContinuous: boolean) {}

  /**
   * Add an order. Continuous: it is matched at once against the book (markets/order-book.ts: best price, then
   * earliest; resting order's price; no self-trades) and its remainder rests. Call: it only rests until clearing.
   * Returns the fills and the resting orders they touched.
   */
  submit(order: RestingOrder): { fills: Fill[]; touched: RestingOrder[] } {
    if (!this.isContinuous) {
      this.resting.set(order.id, order);
      return { fills: [], touched: [] };
    }
    const bookFills = this.book.submit({
      id: String(order.id),
      agentId: order.memberId,
      side: order.side,
      priceEurPerKwh: microEurToEurNumber(order.limitPriceMicroEurPerKwh),
      eKwh: whToKwh(order.remainingWh),
    });
    const fills: Fill[] = [];
    const touched: RestingOrder[] = [];
    for (const fill of bookFills) {
      const energyWh = kwhToWhExact(fill.eKwh);
      const makerId = Number(order.side === 'buy' ? fill.sellOrderId : fill.buyOrderId);
      const maker = this.resting.get(makerId)!;
      maker.remainingWh -= energyWh;
      order.remainingWh -= energyWh;
      if (maker.remainingWh === 0) this.resting.delete(makerId);
      touched.push(maker);
      fills.push({
        buyOrderId: Number(fill.buyOrderId),
        sellOrderId: Number(fill.sellOrderId),
        buyerId: fill.buyer,
        sellerId: fill.seller,
        energyWh,
        priceMicroEurPerKwh: priceToMicro(fill.priceEurPerKwh),
      });
    }
    if (order.remainingWh > 0) this.resting.set(order.id, order);
    return { fills, touched };
  }

  cancel(orderId: number): RestingOrder | null {
    const order = this.resting.get(orderId);
    if (!order) return null;
    this.resting.delete(orderId);
    if (this.isContinuous) this.book.cancel(String(orderId));
    return order;
  }

  /** Price levels: bids highest first, asks lowest first, volumes summed per price. */
  levels(): Record<'bids' | 'asks', { priceMicroEurPerKwh: number; energyWh: number; orders: number }[]> {
    const aggregate = (side: OrderSide) => {
      const byPrice = new Map<number, { priceMicroEurPerKwh: number; energyWh: number; orders: number }>();
      for (const order of this.resting.values()) {
        if (order.side !== side) continue;
        const level = byPrice.get(order.limitPriceMicroEurPerKwh) ?? {
          priceMicroEurPerKwh: order.limitPriceMicroEurPerKwh,
          energyWh: 0,
          orders: 0,
        };
        level.energyWh += order.remainingWh;
        level.orders++;
        byPrice.set(order.limitPriceMicroEurPerKwh, level);
      }
      return [...byPrice.values()].sort((a, b) =>
        side === 'buy'
          ? b.priceMicroEurPerKwh - a.priceMicroEurPerKwh
          : a.priceMicroEurPerKwh - b.priceMicroEurPerKwh,
      );
    };
    return { bids: aggregate('buy'), asks: aggregate('sell') };
  }

  /**
   * Uniform-price call auction over the resting orders (markets/double-auction.ts `clearCallAuction`): each order
   * is one block of its own agent; pairs between orders of the same member are not allowed. Pure: resting
   * volumes are not changed.
   */
  clearCall(): { priceMicroEurPerKwh: number | null; fills: Fill[] } {
    const orders = [...this.resting.values()].sort((a, b) => a.id - b.id);
    const agents: MarketAgent[] = orders.map((o) => ({
      id: String(o.id),
      eMinKwh: o.side === 'buy' ? -whToKwh(o.remainingWh) : 0,
      eMaxKwh: o.side === 'sell' ? whToKwh(o.remainingWh) : 0,
      costQuadEurPerKwh2: 0,
      costLinEurPerKwh: microEurToEurNumber(o.limitPriceMicroEurPerKwh),
    }));
    const pairs: [number, number][] = [];
    orders.forEach((buy, b) => {
      if (buy.side !== 'buy') return;
      orders.forEach((sell, s) => {
        if (sell.side === 'sell' && sell.memberId !== buy.memberId) pairs.push([b, s]);
      });
    });
    const book = buildMarketBook(agents, pairs);
    const blocks: BlockOrder[] = orders.map((o, i) => ({
      agent: i,
      side: o.side,
      priceEurPerKwh: microEurToEurNumber(o.limitPriceMicroEurPerKwh),
      eKwh: whToKwh(o.remainingWh),
    }));
    const result = clearCallAuction(book, blocks);
    if (result.priceEurPerKwh === null) return { priceMicroEurPerKwh: null, fills: [] };
    const priceMicroEurPerKwh = priceToMicro(result.priceEurPerKwh);
    const fills: Fill[] = [];
    for (let k = 0; k < result.tradeKwh.length; k++) {
      const energyWh = kwhToWhExact(result.tradeKwh[k]);
      if (energyWh <= 0) continue;
      const buy = orders[book.tradeBuyer[k]];
      const sell = orders[book.tradeSeller[k]];
      fills.push({
        buyOrderId: buy.id,
        sellOrderId: sell.id,
        buyerId: buy.memberId,
        sellerId: sell.memberId,
        energyWh,
        priceMicroEurPerKwh,
      });
    }
    return { priceMicroEurPerKwh, fills };
  }
}
