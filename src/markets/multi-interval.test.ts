// Day-ahead clearing with a PriceSchedule (grid prices, DSO fees), flexibility offers and preferences; hand-derived optima.
import { describe, expect, it } from 'vitest';
import { InputError, parseInput } from '../core/errors.ts';
import { priceScheduleSchema } from '../core/price-schedule.ts';
import { Ledger } from '../ledger/ledger.ts';
import { microEurToEur } from '../ledger/money.ts';
import { createAdmmMechanism } from './admm.ts';
import { createCentralisedMechanism } from './centralised.ts';
import { clearDayAhead, parseDayAheadMarket, settleDayAhead } from './multi-interval.ts';

const schedule = parseInput(priceScheduleSchema, {
  startUtc: '2025-03-30T00:00:00Z',
  intervalMinutes: 60,
  intervalCount: 2,
  locations: [
    { locationId: 'L1', importPriceEurPerKwh: [0.3, 0.4], exportPriceEurPerKwh: [0.05, 0.05] },
    { locationId: 'L2', importPriceEurPerKwh: [0.3, 0.4], exportPriceEurPerKwh: [0.05, 0.05] },
  ],
  fees: [{ buyerLocationId: 'L1', sellerLocationId: 'L2', feeEurPerKwh: [0.02, 0.02] }],
});

const offer = (eMinKwh: number, eMaxKwh: number, a: number, b: number) => ({
  eMinKwh,
  eMaxKwh,
  costQuadEurPerKwh2: a,
  costLinEurPerKwh: b,
});

describe('clearDayAhead', () => {
  // Interval 0: H (L1) may buy 10 kWh, utility 0.35 − 0.01x; P (L2) may sell 10 kWh at 0.1 + 0.01x; fee 0.02.
  // At x = 10: H values 0.25 < import 0.30 and P's cost 0.20 > export 0.05, so x = 10, no grid energy.
  // Objective: H 0.5 − 3.5 = −3.0, P 0.5 + 1.0 = 1.5, fee 0.2 → −1.3 EUR.
  // Interval 1: H may buy 30 kWh, utility 0.6 − 0.01x; import 0.40. P sells its 10 kWh (0.30 + fee < 0.40),
  // H tops up g from the grid until 0.6 − 0.01(10 + g) = 0.40 → g = 10. Objective: H 2 − 12 = −10, P 1.5,
  // fee 0.2, grid 4.0 → −4.3 EUR. H is interior at 0.40, so P→H clears at up to 0.40 − 0.02 = 0.38 EUR/kWh.
  const market = parseDayAheadMarket(
    {
      agents: [
        { id: 'H', location: 'L1', offers: [offer(-10, 0, 0.01, 0.35), offer(-30, 0, 0.01, 0.6)] },
        { id: 'P', location: 'L2', offers: [offer(0, 10, 0.01, 0.1), offer(0, 10, 0.01, 0.1)] },
      ],
      trades: 'all',
    },
    schedule,
  );

  it.each([
    ['centralised', createCentralisedMechanism(), 1e-6],
    ['admm', createAdmmMechanism(), 1e-4],
  ])('%s reproduces the hand-derived day and settles it exactly', async (_, mechanism, tolerance) => {
    const result = await clearDayAhead(market, schedule, mechanism);
    expect(result.intervals.map((i) => i.startUtc)).toEqual([
      '2025-03-30T00:00:00.000Z',
      '2025-03-30T01:00:00.000Z',
    ]);
    expect(result.intervals[0].objectiveEur).toBeCloseTo(-1.3, 4);
    expect(result.intervals[1].objectiveEur).toBeCloseTo(-4.3, 4);
    expect(Math.abs(result.objectiveEur / -5.6 - 1)).toBeLessThan(tolerance);
    const second = result.intervals[1];
    const peer = second.trades.find((t) => t.seller === 'P')!;
    const grid = second.trades.find((t) => t.seller === 'grid-import@L1')!;
    expect(peer.eKwh).toBeCloseTo(10, 3);
    // P sells its whole range, so any price in [0.20, 0.38] supports the trade: the centralised rule takes the
    // interior buyer's dual less the fee; ADMM's consensus price may stop anywhere in that range.
    if (mechanism.name === 'centralised') expect(peer.priceEurPerKwh).toBeCloseTo(0.38, 5);
    expect(peer.priceEurPerKwh).toBeGreaterThanOrEqual(0.2 - 1e-4);
    expect(peer.priceEurPerKwh).toBeLessThanOrEqual(0.38 + 1e-4);
    expect(peer.feeEurPerKwh).toBe(0.02);
    expect(grid.eKwh).toBeCloseTo(10, 3);
    expect(grid.priceEurPerKwh).toBeCloseTo(0.4, 4);
    const ledger = new Ledger();
    settleDayAhead(result, ledger, mechanism);
    expect(ledger.totalBalance()).toBe(0n);
    expect(microEurToEur(ledger.balanceOf('dso'))).toBeCloseTo(0.4, 4);
    expect(microEurToEur(ledger.balanceOf('grid-import@L1'))).toBeCloseTo(4, 3);
  });

  it('treats a premium as product differentiation that moves volume but no money', async () => {
    // H buys 10 kWh from P (L2, fee 0.02) and Q (L1, no fee), both costing 0.1 + 0.01x. Without preference:
    // 0.12 + 0.01x = 0.1 + 0.01y, x + y = 10 → x = 4. A 0.03 premium for P: 0.09 + 0.01x = 0.1 + 0.01y → x = 5.5.
    const agents = [
      { id: 'H', location: 'L1', offers: [offer(-10, 0, 0.01, 0.35), offer(0, 0, 0, 0)] },
      { id: 'P', location: 'L2', offers: [offer(0, 10, 0.01, 0.1), offer(0, 0, 0, 0)] },
      { id: 'Q', location: 'L1', offers: [offer(0, 10, 0.01, 0.1), offer(0, 0, 0, 0)] },
    ];
    const plain = parseDayAheadMarket({ agents, trades: 'all', includeGrid: false }, schedule);
    const preferring = parseDayAheadMarket(
      {
        agents,
        trades: 'all',
        includeGrid: false,
        premiums: [{ buyer: 'H', seller: 'P', premiumEurPerKwh: 0.03 }],
      },
      schedule,
    );
    const mechanism = createCentralisedMechanism();
    const fromP = (r: Awaited<ReturnType<typeof clearDayAhead>>) =>
      r.intervals[0].trades.find((t) => t.seller === 'P')!.eKwh;
    expect(fromP(await clearDayAhead(plain, schedule, mechanism))).toBeCloseTo(4, 4);
    const result = await clearDayAhead(preferring, schedule, mechanism);
    expect(fromP(result)).toBeCloseTo(5.5, 4);
    const ledger = new Ledger();
    settleDayAhead(result, ledger, mechanism);
    expect(microEurToEur(ledger.balanceOf('dso'))).toBeCloseTo(0.02 * 5.5, 5);
    expect(ledger.totalBalance()).toBe(0n);
  });

  it('rejects an export price above the import price when grid agents trade', () => {
    const inverted = parseInput(priceScheduleSchema, {
      ...schedule,
      locations: [{ locationId: 'L1', importPriceEurPerKwh: [0.1, 0.1], exportPriceEurPerKwh: [0.05, 0.2] }],
      fees: [],
    });
    const agents = [{ id: 'H', location: 'L1', offers: [offer(-1, 0, 0, 0), offer(-1, 0, 0, 0)] }];
    expect(() => parseDayAheadMarket({ agents, trades: 'all' }, inverted)).toThrow(
      /schedule\.locations\[0\]\.exportPriceEurPerKwh\[1\]: export price 0.2 exceeds import price 0.1/,
    );
    expect(() => parseDayAheadMarket({ agents, trades: 'all', includeGrid: false }, inverted)).not.toThrow();
  });

  it('names bad fields of a day-ahead market', () => {
    expect(() =>
      parseDayAheadMarket(
        { agents: [{ id: 'H', location: 'L9', offers: [offer(1, 0, 0, 0)] }], trades: [['H', 'Z']] },
        schedule,
      ),
    ).toThrow(InputError);
    try {
      parseDayAheadMarket(
        { agents: [{ id: 'H', location: 'L9', offers: [offer(1, 0, 0, 0)] }], trades: [['H', 'Z']] },
        schedule,
      );
    } catch (error) {
      expect((error as InputError).issues.map((i) => i.path)).toEqual([
        ['agents', 0, 'location'],
        ['agents', 0, 'offers'],
        ['agents', 0, 'offers', 0, 'eMinKwh'],
        ['trades', 0, 1],
      ]);
    }
  });
});
