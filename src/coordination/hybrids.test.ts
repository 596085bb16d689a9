// Hybrids: late DSO prices are held between updates, MPC takes an interval only where it is more restrictive;
// negotiation+mpc's fill acts only for platforms the gate committed no range to.
import { describe, expect, it } from 'vitest';
import type { PriceSchedule } from '../core/price-schedule.ts';
import { createTimeIndex } from '../time/time-index.ts';
import { fillAdders, latePrices } from './hybrids.ts';
import { createCoordination } from './index.ts';
import type { AgreedRange, DsoPricingInput } from './mechanism.ts';

// Four 1-h intervals, DSO prices every 2 h; flat import = 50 EUR/MWh + 0.05 + 0.05 = 0.15 EUR/kWh.
const input = {
  dsoId: 'd',
  index: createTimeIndex({ startUtc: '2024-04-15T00:00:00.000Z', stepMin: 60, length: 4 }),
  wholesaleEurPerMwh: new Float64Array(4).fill(50),
  tariff: { retailMarginEurPerKwh: 0.05, networkChargeEurPerKwh: 0.05 },
  locations: [{ locationId: 'p', replicas: 1 }],
  feeders: [{ platformId: 'p', network: {} as never, members: [{ locationId: 'm' } as never] }],
  forecastError: { loadDailySigma: 0, loadNoiseSigma: 0, pvRegionalSigma: 0 },
  seed: 1,
} as unknown as DsoPricingInput;
const schedule = (importP: number[], exportP: number[], fee: number[]): PriceSchedule => ({
  currency: 'EUR',
  startUtc: input.index.startUtc,
  intervalMinutes: 60,
  intervalCount: 4,
  locations: ['p', 'm'].map((locationId) => ({
    locationId,
    importPriceEurPerKwh: importP,
    exportPriceEurPerKwh: exportP,
  })),
  fees: [{ buyerLocationId: 'm', sellerLocationId: 'm2', feeEurPerKwh: fee }],
});
const dso = schedule([0.2, 0.3, 0.16, 0.17], [0.1, 0.2, 0.06, 0.07], [0.01, 0.02, 0.03, 0.04]);

describe('hybrids: dso-pricing+mpc late prices, negotiation+mpc fill', () => {
  it('holds the last DSO price and fee between updates (dso-pricing alone with late prices)', () => {
    const late = latePrices(input, dso, 2);
    expect(late.locations[1].importPriceEurPerKwh).toEqual([0.2, 0.2, 0.16, 0.16]);
    expect(late.locations[1].exportPriceEurPerKwh).toEqual([0.1, 0.1, 0.06, 0.06]);
    expect(late.fees[0].feeEurPerKwh).toEqual([0.01, 0.01, 0.03, 0.03]);
  });

  it('lets MPC price a gap only where it is more restrictive, import and export together, fee lapsing', () => {
    // Held adders over flat 0.15: t = 1 → +0.05, t = 3 → +0.01. MPC: t = 1 +0.02 (less), t = 3 +0.09 (more).
    const mpc = schedule([0.15, 0.17, 0.15, 0.24], [0.05, 0.07, 0.05, 0.14], [0, 0, 0, 0]);
    const late = latePrices(input, dso, 2, mpc);
    for (const l of late.locations) {
      expect(l.importPriceEurPerKwh).toEqual([0.2, 0.2, 0.16, 0.24]);
      expect(l.exportPriceEurPerKwh).toEqual([0.1, 0.1, 0.06, 0.14]);
    }
    expect(late.fees[0].feeEurPerKwh).toEqual([0.01, 0.01, 0.03, 0]);
  });

  it('lets MPC price an update interval too where it is more restrictive than the fresh DSO price', () => {
    // t = 0: DSO +0.05, MPC +0.08 (more) → MPC; t = 2: DSO +0.01, MPC −0.03 (other side) → DSO.
    const mpc = schedule([0.23, 0.15, 0.12, 0.15], [0.13, 0.05, 0.02, 0.05], [0, 0, 0, 0]);
    const late = latePrices(input, dso, 2, mpc);
    expect(late.locations[0].importPriceEurPerKwh).toEqual([0.23, 0.2, 0.16, 0.16]);
    expect(late.locations[1].exportPriceEurPerKwh).toEqual([0.13, 0.1, 0.06, 0.06]);
    expect(late.fees[0].feeEurPerKwh).toEqual([0, 0.01, 0.03, 0.03]);
  });

  it('negotiation+mpc: a platform with a committed range keeps λ, one without takes the more restrictive', () => {
    // Negotiated import 0.16, 0.15, 0.15, 0.20 EUR/kWh over flat 0.15: λ = 10, 0, 0, 50 EUR/MWh; MPC ν = 30, 20,
    // −10, 20. Without a range: t0 |30| > |10| same side → 30; t1, t2 λ = 0 → ν; t3 |20| < |50| → λ.
    const negotiated = schedule([0.16, 0.15, 0.15, 0.2], [0.06, 0.05, 0.05, 0.1], [0, 0, 0, 0]);
    const mpc = new Map([['p', Float64Array.from([30, 20, -10, 20])]]);
    const expectClose = (got: Float64Array | undefined, want: number[]) => {
      for (const [t, v] of want.entries()) expect(got?.[t]).toBeCloseTo(v, 9);
    };
    expectClose(fillAdders(input, negotiated, mpc, new Map()).get('p'), [30, 20, -10, 50]);
    const range: AgreedRange = {
      startUtc: input.index.startUtc,
      stepMin: 60,
      minKw: new Float64Array(4).fill(-5),
      maxKw: new Float64Array(4).fill(5),
    };
    expectClose(fillAdders(input, negotiated, mpc, new Map([['p', range]])).get('p'), [10, 0, 0, 50]);
  });

  it('validates the hybrids’ options', () => {
    expect(() => createCoordination({ name: 'dso-pricing+mpc', priceUpdateHours: 0 })).toThrow(
      /coordination\.priceUpdateHours/,
    );
    expect(createCoordination({ name: 'negotiation+mpc', lossProbability: 0.2 }).config).toMatchObject({
      name: 'negotiation+mpc',
      lossProbability: 0.2,
      marginSigmas: 1.64,
      // The negotiation's envelopes and the MPC fill keep their own rebound shares (0 and 1 by default).
      reboundShare: 0,
      mpcReboundShare: 1,
    });
    expect(() => createCoordination({ name: 'negotiation+mpc', mpcReboundShare: 2 })).toThrow(
      /coordination\.mpcReboundShare/,
    );
  });
});
