// Uniform-price call auction: crossing and price by hand, block orders, routing over allowed pairs with fees.
import { describe, expect, it } from 'vitest';
import { buildMarketBook, type MarketAgent } from './book.ts';
import { buildBlockOrders, clearCallAuction, clearDoubleAuction } from './double-auction.ts';

const linear = (id: string, eMinKwh: number, eMaxKwh: number, b: number): MarketAgent => ({
  id,
  eMinKwh,
  eMaxKwh,
  costQuadEurPerKwh2: 0,
  costLinEurPerKwh: b,
});

describe('call auction', () => {
  it('clears step curves at the midpoint of the crossing interval (by hand)', () => {
    // Bids 10 kWh @0.30, 10 @0.20; asks 15 @0.10, 10 @0.25. 10 kWh cross at 0.30/0.10, 5 more at 0.20/0.10,
    // then ask 0.25 > bid 0.20 stops: 15 kWh. Last bid 0.20, last ask 0.10, next bid 0.20 (the 5 kWh left),
    // next ask 0.25: price interval [max(0.10, 0.20), min(0.20, 0.25)] = {0.20}. B1 gets 10, B2 5 (supply-limited).
    const book = buildMarketBook(
      [
        linear('B1', -10, 0, 0.3),
        linear('B2', -10, 0, 0.2),
        linear('S1', 0, 15, 0.1),
        linear('S2', 0, 10, 0.25),
      ],
      'all',
    );
    const { priceEurPerKwh, tradeKwh } = clearCallAuction(book, buildBlockOrders(book, 100));
    expect(priceEurPerKwh).toBeCloseTo(0.2, 12);
    expect([...tradeKwh]).toEqual([10, 0, 5, 0]); // pairs B1–S1, B1–S2, B2–S1, B2–S2
  });

  it('cuts quadratic curves into blocks priced at their midpoints', () => {
    const book = buildMarketBook(
      [{ id: 'S', eMinKwh: 0, eMaxKwh: 3, costQuadEurPerKwh2: 0.1, costLinEurPerKwh: 0.2 }],
      'all',
    );
    const orders = buildBlockOrders(book, 1);
    expect(orders.map((o) => [o.side, o.eKwh, Number(o.priceEurPerKwh.toFixed(10))])).toEqual([
      ['sell', 1, 0.25],
      ['sell', 1, 0.35],
      ['sell', 1, 0.45],
    ]);
  });

  it('routes only over allowed pairs and only where the bid covers price plus fee', () => {
    const agents = [linear('B1', -5, 0, 0.5), linear('B2', -5, 0, 0.32), linear('S1', 0, 10, 0.1)];
    const book = buildMarketBook(
      agents,
      [
        [0, 2],
        [1, 2],
      ],
      (b) => (b === 1 ? 0.05 : 0),
    );
    const result = clearDoubleAuction(book, { blockKwh: 5 });
    // Price: bids 0.5 and 0.32 against ask 0.1 → all 10 kWh cross; interval [0.1, 0.32] → 0.21. B2 pays
    // 0.21 + 0.05 = 0.26 ≤ 0.32, so both buyers are served.
    expect(result.priceEurPerKwh).toBeCloseTo(0.21, 12);
    expect(result.trades.map((t) => [t.buyer, t.eKwh])).toEqual([
      ['B1', 5],
      ['B2', 5],
    ]);
    const costly = buildMarketBook(
      agents,
      [
        [0, 2],
        [1, 2],
      ],
      (b) => (b === 1 ? 0.2 : 0),
    );
    expect(clearDoubleAuction(costly, { blockKwh: 5 }).trades.map((t) => t.buyer)).toEqual(['B1']);
  });
});
