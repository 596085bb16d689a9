// Coordination: flat (none) vs per-household DLMP pricing of LV feeders (dso-pricing), and the TSO/DSO mediation rules.
import { describe, expect, it } from 'vitest';
import { priceScheduleSchema } from '../core/price-schedule.ts';
import { loadCase } from '../io/case-registry.ts';
import { createTimeIndex } from '../time/time-index.ts';
import { createCoordination } from './index.ts';
import type { DsoPricingInput } from './mechanism.ts';
import { mediateTsoRequest } from './tso-dso-mediation.ts';

const index = createTimeIndex({ startUtc: '2024-04-15T00:00:00Z', stepMin: 30, length: 2 });
const lv = loadCase('ieee-european-lv');
// Three households at distant buses of the IEEE European LV feeder; interval 1 has a large PV surplus.
const buses = lv.loads.slice(-3).map((l) => l.bus);
const input: DsoPricingInput = {
  dsoId: 'd',
  index,
  wholesalePriceEurPerMwh: Float64Array.from([40, 50]),
  tariff: { retailMarginEurPerKwh: 0.03, networkChargeEurPerKwh: 0.08 },
  locations: [{ locationId: 'p1', replicas: 10 }],
  feeders: [
    {
      platformId: 'p1',
      network: lv,
      members: buses.map((bus, i) => ({
        locationId: `m${i}`,
        bus,
        loadKw: Float64Array.from([1, 0.5]),
        pvKw: Float64Array.from([0, 60]),
        flexibleMaxKw: Float64Array.from([7, 0]),
        flexibleExpectedKw: Float64Array.from([3, 0]),
      })),
    },
  ],
  forecastError: { loadDailySigma: 0.15, loadNoiseSigma: 0.04, pvRegionalSigma: 0.15 },
  seed: 1,
};

describe('coordination mechanisms', () => {
  it('none prices every location flat, without fees', async () => {
    const s = priceScheduleSchema.parse(await createCoordination('none').priceSchedule(input));
    expect(s.locations.map((l) => l.locationId)).toEqual(['p1']);
    expect(s.locations[0].importPriceEurPerKwh).toEqual([0.15, 0.16]);
    expect(s.locations[0].exportPriceEurPerKwh).toEqual([0.01, 0.02]);
    expect(s.fees).toEqual([]);
  });

  it('dso-pricing prices each household by its DLMP and charges ν_buyer − ν_seller on P2P trades', async () => {
    const s = priceScheduleSchema.parse(await createCoordination('dso-pricing').priceSchedule(input));
    expect(s.locations.map((l) => l.locationId)).toEqual(['p1', 'm0', 'm1', 'm2']);
    const flatImport = [0.15, 0.16];
    const flatExport = [0.01, 0.02];
    const nu = (id: string, k: number) =>
      s.locations.find((l) => l.locationId === id)!.importPriceEurPerKwh[k] - flatImport[k];
    for (const l of s.locations.slice(1))
      for (let k = 0; k < 2; k++) {
        // The flat import/export gap is kept at every location.
        expect(l.importPriceEurPerKwh[k] - l.exportPriceEurPerKwh[k]).toBeCloseTo(
          flatImport[k] - flatExport[k],
          8,
        );
      }
    // 180 kW of PV at the feeder end raises the voltage above its limit: consumption there is worth less
    // (negative network component), so exports are priced below the flat export price.
    for (const id of ['m0', 'm1', 'm2']) expect(nu(id, 1)).toBeLessThan(-0.005);
    for (const f of s.fees)
      for (let k = 0; k < 2; k++)
        expect(f.feeEurPerKwh[k]).toBeCloseTo(nu(f.buyerLocationId, k) - nu(f.sellerLocationId, k), 8);
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
