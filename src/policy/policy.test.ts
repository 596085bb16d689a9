// Capacity market and CfD against hand-computed cases; every booked ledger sums to zero.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { Ledger } from '../ledger/ledger.ts';
import {
  bookCapacityMarket,
  clearCapacityAuction,
  deratingFactor,
  nonDeliveryPenalty,
} from './capacity-market.ts';
import { bookCfd, settleCfd } from './cfd.ts';

const bid = (id: string, offeredMw: number, priceEurPerMwYr: number, deratingFactor = 1) => ({
  id,
  offeredMw,
  priceEurPerMwYr,
  deratingFactor,
});

describe('capacity auction', () => {
  it('accepts the marginal bid partially and pays everyone the marginal price', () => {
    // Derated: A 50, B 60·0.5 = 30, C 40, D above the cap. 50 + 30 = 80 < 100, so C supplies 20 of its 40.
    const r = clearCapacityAuction({ targetMw: 100, priceCapEurPerMwYr: 80 }, [
      bid('A', 50, 20),
      bid('B', 60, 30, 0.5),
      bid('C', 40, 50),
      bid('D', 100, 90),
    ]);
    expect(r.status).toBe('cleared');
    expect(r.clearingPriceEurPerMwYr).toBe(50);
    expect(r.bids.map((b) => b.acceptedMw)).toEqual([50, 30, 20, 0]);
    expect(r.bids[2].acceptedShare).toBeCloseTo(0.5, 12);
    expect(r.bids.map((b) => b.paymentEurPerYr)).toEqual([2500, 1500, 1000, 0]);
    expect(r.costEurPerYr).toBe(5000);
    expect(r.shortfallMw).toBe(0);
  });

  it('splits a tie at the marginal price pro rata to derated MW', () => {
    // 40 at 10, then B 30 and C 10 tied at 20 for the remaining 20 MW: share 20/40 = 0.5 → B 15, C 5.
    const r = clearCapacityAuction({ targetMw: 60, priceCapEurPerMwYr: 100 }, [
      bid('C', 10, 20),
      bid('A', 40, 10),
      bid('B', 30, 20),
    ]);
    expect(r.clearingPriceEurPerMwYr).toBe(20);
    expect(Object.fromEntries(r.bids.map((b) => [b.id, b.acceptedMw]))).toEqual({ A: 40, B: 15, C: 5 });
  });

  it('takes all supply at the cap price when the target cannot be met', () => {
    const r = clearCapacityAuction({ targetMw: 100, priceCapEurPerMwYr: 80 }, [
      bid('A', 30, 10),
      bid('B', 20, 40, 0.5),
    ]);
    expect(r.status).toBe('short');
    expect(r.shortfallMw).toBe(60);
    expect(r.clearingPriceEurPerMwYr).toBe(80);
    expect(r.bids.map((b) => b.paymentEurPerYr)).toEqual([2400, 800]);
  });

  it('rejects bad input naming the field', () => {
    expect(() =>
      clearCapacityAuction({ targetMw: 10, priceCapEurPerMwYr: 1 }, [bid('A', 1, 1, 1.5)]),
    ).toThrow(InputError);
    try {
      clearCapacityAuction({ targetMw: 10, priceCapEurPerMwYr: 1 }, [bid('A', 1, 1), bid('A', 2, 1)]);
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).issues[0].path).toEqual(['bids', 1, 'id']);
    }
  });
});

describe('derating and penalties', () => {
  it('derates by the mean capped delivery share over seeds and stress intervals', () => {
    // min(1, ·/2): 1, 0.5, 1 | 0.25, 0 → 2.75 / 5.
    expect(
      deratingFactor(2, [
        [2, 1, 3],
        [0.5, -1],
      ]),
    ).toBeCloseTo(0.55, 12);
    expect(() => deratingFactor(2, [])).toThrow(InputError);
  });

  it('charges the shortfall MWh at the penalty rate, capped at a share of the payment', () => {
    // Shortfall 0.1·1 + 0·1 + 0.8·0.5 = 0.5 MWh.
    const check = { id: 'p', obligationMw: 1.1, deliveredMw: [1.0, 1.5, 0.3], intervalH: [1, 1, 0.5] };
    const free = nonDeliveryPenalty(check, {
      penaltyEurPerMwh: 1000,
      capShareOfPayment: 1,
      paymentEur: 1000,
    });
    expect(free.shortfallMwh).toBeCloseTo(0.5, 12);
    expect(free.penaltyEur).toBeCloseTo(500, 9);
    expect(free.isCapped).toBe(false);
    const capped = nonDeliveryPenalty(check, {
      penaltyEurPerMwh: 1000,
      capShareOfPayment: 0.2,
      paymentEur: 1000,
    });
    expect(capped.penaltyEur).toBe(200);
    expect(capped.isCapped).toBe(true);
  });

  it('books payments and penalties with a zero ledger', () => {
    const r = clearCapacityAuction({ targetMw: 100, priceCapEurPerMwYr: 80 }, [
      bid('A', 50, 20),
      bid('B', 60, 30, 0.5),
      bid('C', 40, 50),
    ]);
    const ledger = new Ledger();
    const posted = bookCapacityMarket(
      ledger,
      r,
      [{ id: 'B', shortfallMwh: 0.5, penaltyEur: 300, isCapped: false }],
      { buyerAccountId: 'capacity-buyer', accountOf: (id) => `provider/${id}` },
    );
    expect(posted).toBe(4);
    expect(ledger.balanceOf('provider/B')).toBe(1_200_000_000n); // 1500 − 300 EUR
    expect(ledger.balanceOf('capacity-buyer')).toBe(-4_700_000_000n);
    expect(ledger.totalBalance()).toBe(0n);
  });
});

describe('two-way CfD', () => {
  // A hand-computed day, strike 60 EUR/MWh: batteries charge 0.1 MWh/h in hours 0–5 at 40, PV 0.5 MWh/h in
  // hours 6–11 at 20 and 12–17 at 80, batteries discharge 0.2 MWh/h in hours 18–23 at 90.
  const reference = (h: number) => (h < 6 ? 40 : h < 12 ? 20 : h < 18 ? 80 : 90);
  const volume = (h: number) => (h < 6 ? -0.1 : h < 18 ? 0.5 : 0.2);
  const day = Array.from({ length: 24 }, (_, h) => ({
    timeUtc: `2024-04-15T${String(h).padStart(2, '0')}:00:00.000Z`,
    referenceEurPerMwh: reference(h),
    volumeMwh: volume(h),
  }));

  it('pays (strike − reference)·volume per interval', () => {
    const s = settleCfd({ strikeEurPerMwh: 60, counterpartyAccountId: 'lccc' }, day);
    // 6·(20·−0.1) + 6·(40·0.5) + 6·(−20·0.5) + 6·(−30·0.2) = −12 + 120 − 60 − 36 = 12.
    expect(s.intervals[0].paymentEur).toBeCloseTo(-2, 12);
    expect(s.intervals[6].paymentEur).toBeCloseTo(20, 12);
    expect(s.intervals[12].paymentEur).toBeCloseTo(-10, 12);
    expect(s.intervals[23].paymentEur).toBeCloseTo(-6, 12);
    expect(s.netPaymentEur).toBeCloseTo(12, 9);
    expect(s.paidToPlatformEur).toBeCloseTo(120, 9);
    expect(s.paidByPlatformEur).toBeCloseTo(108, 9);
    expect(s.volumeMwh).toBeCloseTo(6.6, 12);
    // Market revenue −24 + 60 + 240 + 108 = 384, plus 12 = strike · volume = 396.
    expect(s.hedgedRevenueEur).toBeCloseTo(396, 9);
  });

  it('books one balanced transaction per interval (ledger zero)', () => {
    const s = settleCfd({ strikeEurPerMwh: 60, counterpartyAccountId: 'lccc' }, day);
    const ledger = new Ledger();
    const posted = bookCfd(ledger, s, { platformAccountId: 'platform/pv', counterpartyAccountId: 'lccc' });
    expect(posted).toBe(24);
    expect(ledger.balanceOf('platform/pv')).toBe(12_000_000n);
    expect(ledger.balanceOf('lccc')).toBe(-12_000_000n);
    expect(ledger.totalBalance()).toBe(0n);
  });

  it('pays nothing when the reference equals the strike, and rejects a non-finite price', () => {
    const flat = day.map((d) => ({ ...d, referenceEurPerMwh: 60 }));
    const s = settleCfd({ strikeEurPerMwh: 60, counterpartyAccountId: 'c' }, flat);
    expect(s.netPaymentEur).toBe(0);
    expect(bookCfd(new Ledger(), s, { platformAccountId: 'p', counterpartyAccountId: 'c' })).toBe(0);
    expect(() =>
      settleCfd({ strikeEurPerMwh: 60, counterpartyAccountId: 'c' }, [
        { ...day[0], referenceEurPerMwh: Number.NaN },
      ]),
    ).toThrow(InputError);
  });
});
