// PriceSchedule operations: look-ups with fallback, fees, cutting, and resampling that conserves money (hand-computed).
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import {
  createFeeLookup,
  findScheduleIndex,
  locationPriceSeries,
  lookupFeeEurPerKwh,
  lookupLocationPrices,
  type PriceSchedule,
  priceScheduleSchema,
  resampleSchedule,
  restrictScheduleToLocations,
  scheduleForDay,
  scheduleSpanMs,
  sliceSchedule,
} from '../price-schedule.ts';

/** Four 30-min intervals from midnight: platform P, member m1 priced on its own, a fee m1 → m2. */
const schedule: PriceSchedule = priceScheduleSchema.parse({
  startUtc: '2024-04-15T00:00:00Z',
  intervalMinutes: 30,
  intervalCount: 4,
  locations: [
    {
      locationId: 'P',
      importPriceEurPerKwh: [0.2, 0.3, 0.1, 0.4],
      exportPriceEurPerKwh: [0.05, 0.06, 0.04, 0.07],
    },
    {
      locationId: 'm1',
      importPriceEurPerKwh: [0.22, 0.32, 0.12, 0.42],
      exportPriceEurPerKwh: [0.07, 0.08, 0.06, 0.09],
    },
    {
      locationId: 'm2',
      importPriceEurPerKwh: [0.18, 0.28, 0.08, 0.38],
      exportPriceEurPerKwh: [0.03, 0.04, 0.02, 0.05],
    },
  ],
  fees: [
    { buyerLocationId: 'm1', sellerLocationId: 'm2', feeEurPerKwh: [0.04, 0.04, 0.02, 0.02] },
    { buyerLocationId: 'P', sellerLocationId: 'm1', feeEurPerKwh: [0.01, 0.01, 0.01, 0.01] },
  ],
});
const at = (hhmm: string) => Date.parse(`2024-04-15T${hhmm}:00Z`);

/** Money (EUR) a consumer drawing `kw` constant power pays at one location over the whole schedule. */
const costEur = (s: PriceSchedule, locationId: string, kw: number) =>
  locationPriceSeries(s, locationId).importPriceEurPerKwh.reduce(
    (a, p) => a + p * kw * (s.intervalMinutes / 60),
    0,
  );

describe('PriceSchedule look-ups', () => {
  it('finds the interval of an aligned instant and nothing outside or between intervals', () => {
    expect(findScheduleIndex(schedule, at('00:00'))).toBe(0);
    expect(findScheduleIndex(schedule, at('01:30'))).toBe(3);
    expect(findScheduleIndex(schedule, at('00:15'))).toBeNull();
    expect(findScheduleIndex(schedule, at('02:00'))).toBeNull();
    expect(scheduleSpanMs(schedule)).toEqual({ firstMs: at('00:00'), endMs: at('02:00') });
  });

  it('gives a location its own prices, else the fallback location’s, else an InputError', () => {
    expect(lookupLocationPrices(schedule, 'm1', 1)).toEqual({
      importPriceEurPerKwh: 0.32,
      exportPriceEurPerKwh: 0.08,
    });
    expect(lookupLocationPrices(schedule, 'm9', 1)).toBeNull();
    expect(locationPriceSeries(schedule, 'm1', 'P').importPriceEurPerKwh).toEqual([0.22, 0.32, 0.12, 0.42]);
    expect(locationPriceSeries(schedule, 'm9', 'P').exportPriceEurPerKwh).toEqual([0.05, 0.06, 0.04, 0.07]);
    expect(() => locationPriceSeries(schedule, 'm9')).toThrow(InputError);
  });

  it('charges the pair fee, none for other pairs, and maps unpriced locations to the fallback', () => {
    expect(lookupFeeEurPerKwh(schedule, 'm1', 'm2', 2)).toBe(0.02);
    expect(lookupFeeEurPerKwh(schedule, 'm2', 'm1', 2)).toBe(0);
    const fee = createFeeLookup(schedule, 'P');
    expect(fee('m1', 'm2', 0)).toBe(0.04);
    // m9 has no location: it trades as P, and P → m1 has a fee.
    expect(fee('m9', 'm1', 3)).toBe(0.01);
    expect(createFeeLookup(schedule)('m9', 'm1', 3)).toBe(0);
  });
});

describe('cutting a PriceSchedule', () => {
  it('keeps a platform’s locations and the fees among them', () => {
    const part = restrictScheduleToLocations(schedule, new Set(['P', 'm1']));
    expect(part.locations.map((l) => l.locationId)).toEqual(['P', 'm1']);
    expect(part.fees).toEqual([schedule.fees[1]]);
  });

  it('cuts a span of intervals, and one day out of two', () => {
    const cut = sliceSchedule(schedule, '2024-04-15T00:30:00Z', 2);
    expect(cut.startUtc).toBe('2024-04-15T00:30:00.000Z');
    expect(cut.intervalCount).toBe(2);
    expect(cut.locations[0].importPriceEurPerKwh).toEqual([0.3, 0.1]);
    expect(cut.fees[0].feeEurPerKwh).toEqual([0.04, 0.02]);
    expect(() => sliceSchedule(schedule, '2024-04-15T00:15:00Z', 2)).toThrow(InputError);
    expect(() => sliceSchedule(schedule, '2024-04-15T01:00:00Z', 3)).toThrow(InputError);
    const twoDays = priceScheduleSchema.parse({
      startUtc: '2024-04-15T00:00:00Z',
      intervalMinutes: 60,
      intervalCount: 48,
      locations: [
        {
          locationId: 'P',
          importPriceEurPerKwh: Array.from({ length: 48 }, (_, h) => h / 100),
          exportPriceEurPerKwh: new Array(48).fill(0),
        },
      ],
    });
    const day2 = scheduleForDay(twoDays, '2024-04-16T00:00:00Z');
    expect(day2.intervalCount).toBe(24);
    expect(day2.locations[0].importPriceEurPerKwh[0]).toBe(0.24);
    expect(day2.locations[0].importPriceEurPerKwh[23]).toBe(0.47);
  });
});

describe('resampling a PriceSchedule', () => {
  it('repeats prices onto a finer step; a constant consumer pays the same', () => {
    const fine = resampleSchedule(schedule, 15);
    expect(fine.intervalCount).toBe(8);
    expect(fine.locations[0].importPriceEurPerKwh).toEqual([0.2, 0.2, 0.3, 0.3, 0.1, 0.1, 0.4, 0.4]);
    expect(fine.fees[0].feeEurPerKwh).toEqual([0.04, 0.04, 0.04, 0.04, 0.02, 0.02, 0.02, 0.02]);
    // 2 kW for 2 h at P: 0.5 h · 2 kW · (0.2 + 0.3 + 0.1 + 0.4) = 1.0 EUR on either schedule.
    expect(costEur(schedule, 'P', 2)).toBeCloseTo(1.0, 12);
    expect(costEur(fine, 'P', 2)).toBeCloseTo(1.0, 12);
    expect(priceScheduleSchema.safeParse(fine).success).toBe(true);
  });

  it('averages onto a coarser step by time; refining then coarsening is the identity', () => {
    const hourly = resampleSchedule(schedule, 60);
    expect(hourly.intervalCount).toBe(2);
    // (0.2 + 0.3) / 2 and (0.1 + 0.4) / 2.
    expect(hourly.locations[0].importPriceEurPerKwh[0]).toBeCloseTo(0.25, 12);
    expect(hourly.locations[0].importPriceEurPerKwh[1]).toBeCloseTo(0.25, 12);
    expect(hourly.fees[0].feeEurPerKwh).toEqual([0.04, 0.02]);
    expect(costEur(hourly, 'P', 2)).toBeCloseTo(1.0, 12);
    const back = resampleSchedule(resampleSchedule(schedule, 10), 30);
    expect(back.intervalCount).toBe(4);
    for (const [i, l] of back.locations.entries())
      for (const [k, p] of l.importPriceEurPerKwh.entries())
        expect(p).toBeCloseTo(schedule.locations[i].importPriceEurPerKwh[k], 15);
    expect(resampleSchedule(schedule, 30)).toBe(schedule);
  });

  it('rejects ratios that are not whole, and coarse steps that do not divide the span', () => {
    expect(() => resampleSchedule(schedule, 20)).toThrow(InputError);
    expect(() => resampleSchedule(schedule, 90)).toThrow(InputError);
  });
});
