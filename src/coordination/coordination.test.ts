// Coordination: flat (none) vs congestion pricing, and the TSO/DSO mediation rules.
import { describe, expect, it } from 'vitest';
import { priceScheduleSchema } from '../core/price-schedule.ts';
import { createTimeIndex } from '../time/time-index.ts';
import { computeCongestionPriceSchedule } from './dso-congestion-pricing.ts';
import { createCoordination } from './index.ts';
import type { DsoPricingInput } from './mechanism.ts';
import { mediateTsoRequest } from './tso-dso-mediation.ts';

const index = createTimeIndex({ startUtc: '2024-04-15T00:00:00Z', stepMin: 30, length: 2 });
const input: DsoPricingInput = {
  dsoId: 'd',
  index,
  wholesaleEurPerKwh: Float64Array.from([0.04, 0.05]),
  tariff: {
    retailMarginEurPerKwh: 0.03,
    networkChargeEurPerKwh: 0.08,
    p2pFeeEurPerKwh: 0.01,
    maxCongestionAdderEurPerKwh: 0.3,
  },
  locations: [
    {
      locationId: 'p1',
      replicas: 10,
      baseImportKw: Float64Array.from([100, 50]),
      bids: [
        [
          { side: 'sell', kw: 5, limitPriceEurPerKwh: 0.06 },
          { side: 'sell', kw: 5, limitPriceEurPerKwh: 0.09 },
        ],
        [],
      ],
      importLimitKw: Float64Array.from([920, 1e9]),
      exportLimitKw: Float64Array.from([1e9, 1e9]),
    },
  ],
};

describe('coordination mechanisms', () => {
  it('none prices every location flat, without fees', () => {
    const s = priceScheduleSchema.parse(createCoordination('none').priceSchedule(input));
    expect(s.locations[0].importPriceEurPerKwh).toEqual([0.15, 0.16]);
    expect(s.locations[0].exportPriceEurPerKwh).toEqual([0.01, 0.02]);
    expect(s.fees).toEqual([]);
  });

  it('dso-pricing adds the congestion adder that sheds the excess through the bid curve', () => {
    const s = priceScheduleSchema.parse(computeCongestionPriceSchedule(input));
    // Excess 1000 − 920 = 80 kW: the first step sheds 50 kW, the second reaches 100 kW at 0.09 EUR/kWh.
    expect(s.locations[0].importPriceEurPerKwh[0]).toBeCloseTo(0.04 + 0.03 + 0.08 + (0.09 - 0.04) + 0.005, 9);
    expect(s.locations[0].importPriceEurPerKwh[1]).toBeCloseTo(0.16, 9);
    expect(s.fees[0].feeEurPerKwh).toEqual([0.01, 0.01]);
  });

  it('rejects unknown names', () => {
    expect(() => createCoordination('negotiation')).toThrow(/unknown coordination/);
  });
});

describe('TSO/DSO mediation', () => {
  it('detects requests outside the distribution range and clips them under distribution-first', () => {
    const out = mediateTsoRequest([5, 12, -3], [0, 0, 0], [10, 10, 10], 'distribution-first');
    expect(out.needsCounter).toBe(true);
    expect(out.conflicts.map((c) => [c.interval, c.resolvedKw])).toEqual([
      [1, 10],
      [2, 0],
    ]);
  });

  it('keeps the request under transmission-first and only reports', () => {
    const out = mediateTsoRequest([12], [0], [10], 'transmission-first');
    expect(out.needsCounter).toBe(false);
    expect(out.conflicts[0].resolvedKw).toBe(12);
  });
});
