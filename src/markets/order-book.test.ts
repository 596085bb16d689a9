// Continuous double auction: crossing, partial fills, price-time priority, cancels, no self-trades, no negative quantities.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { OrderBook } from './order-book.ts';

const buy = (id: string, agentId: string, priceEurPerKwh: number, eKwh: number) =>
  ({ id, agentId, side: 'buy', priceEurPerKwh, eKwh }) as const;
const sell = (id: string, agentId: string, priceEurPerKwh: number, eKwh: number) =>
  ({ id, agentId, side: 'sell', priceEurPerKwh, eKwh }) as const;

describe('OrderBook', () => {
  it('rests non-crossing orders and trades crossing ones at the resting price', () => {
    const book = new OrderBook();
    expect(book.submit(sell('s1', 'S', 0.2, 5))).toEqual([]);
    expect(book.submit(buy('b1', 'B', 0.18, 5))).toEqual([]);
    const fills = book.submit(buy('b2', 'C', 0.25, 5));
    expect(fills).toEqual([
      { buyOrderId: 'b2', sellOrderId: 's1', buyer: 'C', seller: 'S', eKwh: 5, priceEurPerKwh: 0.2 },
    ]);
    expect(book.asks()).toEqual([]);
    expect(book.bids().map((b) => b.order.id)).toEqual(['b1']);
  });

  it('fills partially and leaves the remainder resting', () => {
    const book = new OrderBook();
    book.submit(sell('s1', 'S', 0.2, 3));
    const fills = book.submit(buy('b1', 'B', 0.22, 5));
    expect(fills.map((f) => f.eKwh)).toEqual([3]);
    expect(book.bids()).toEqual([{ order: buy('b1', 'B', 0.22, 5), remainingKwh: 2 }]);
    const more = book.submit(sell('s2', 'T', 0.21, 4));
    expect(more).toEqual([
      { buyOrderId: 'b1', sellOrderId: 's2', buyer: 'B', seller: 'T', eKwh: 2, priceEurPerKwh: 0.22 },
    ]);
    expect(book.asks()[0].remainingKwh).toBe(2);
  });

  it('matches best price first, then earliest at equal price', () => {
    const book = new OrderBook();
    book.submit(sell('late-cheap', 'S1', 0.19, 1));
    book.submit(sell('early', 'S2', 0.2, 1));
    book.submit(sell('late', 'S3', 0.2, 1));
    book.submit(sell('dear', 'S4', 0.3, 1));
    expect(book.asks().map((a) => a.order.id)).toEqual(['late-cheap', 'early', 'late', 'dear']);
    const fills = book.submit(buy('b', 'B', 0.25, 2.5));
    expect(fills.map((f) => [f.sellOrderId, f.eKwh, f.priceEurPerKwh])).toEqual([
      ['late-cheap', 1, 0.19],
      ['early', 1, 0.2],
      ['late', 0.5, 0.2],
    ]);
  });

  it('cancels resting orders', () => {
    const book = new OrderBook();
    book.submit(sell('s1', 'S', 0.2, 3));
    expect(book.cancel('s1')).toBe(true);
    expect(book.cancel('s1')).toBe(false);
    expect(book.submit(buy('b1', 'B', 0.3, 1))).toEqual([]);
  });

  it('never trades an agent with itself, and skips disallowed pairs', () => {
    const book = new OrderBook({ isPairAllowed: (buyer, seller) => !(buyer === 'B' && seller === 'X') });
    book.submit(sell('own', 'B', 0.1, 2));
    book.submit(sell('x', 'X', 0.12, 2));
    book.submit(sell('other', 'S', 0.15, 2));
    const fills = book.submit(buy('b', 'B', 0.2, 3));
    expect(fills.map((f) => [f.sellOrderId, f.eKwh])).toEqual([['other', 2]]);
    expect(book.asks().map((a) => a.order.id)).toEqual(['own', 'x']);
    expect(book.bids()[0].remainingKwh).toBe(1);
  });

  it('rejects zero, negative and non-finite quantities and duplicate ids', () => {
    const book = new OrderBook();
    expect(() => book.submit(buy('a', 'B', 0.2, 0))).toThrow(InputError);
    expect(() => book.submit(buy('b', 'B', 0.2, -1))).toThrow(/order\.eKwh/);
    expect(() => book.submit(buy('c', 'B', Number.NaN, 1))).toThrow(/order\.priceEurPerKwh/);
    book.submit(buy('d', 'B', 0.2, 1));
    expect(() => book.submit(buy('d', 'B', 0.2, 1))).toThrow(/duplicate/);
  });

  it('keeps every fill and remainder non-negative over a long random sequence', () => {
    const book = new OrderBook();
    let seed = 7;
    const next = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    let filledKwh = 0;
    for (let i = 0; i < 500; i++) {
      const order = {
        id: `o${i}`,
        agentId: `A${Math.floor(next() * 6)}`,
        priceEurPerKwh: 0.1 + 0.2 * next(),
        eKwh: 0.1 + 5 * next(),
      };
      const fills = book.submit({ ...order, side: next() < 0.5 ? 'buy' : 'sell' });
      for (const fill of fills) {
        expect(fill.eKwh).toBeGreaterThan(0);
        expect(fill.buyer).not.toBe(fill.seller);
        filledKwh += fill.eKwh;
      }
      if (i % 7 === 0) book.cancel(`o${i - 3}`);
    }
    for (const resting of [...book.bids(), ...book.asks()]) expect(resting.remainingKwh).toBeGreaterThan(0);
    expect(filledKwh).toBeGreaterThan(0);
    // No resting bid crosses a resting ask of another agent.
    for (const bid of book.bids())
      for (const ask of book.asks())
        if (bid.order.agentId !== ask.order.agentId)
          expect(bid.order.priceEurPerKwh).toBeLessThan(ask.order.priceEurPerKwh);
  });
});
