// Coordination: flat (none) vs per-household DLMP pricing of LV feeders (dso-pricing), the factory and its config,
// and the TSO/DSO mediation rules.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { priceScheduleSchema } from '../core/price-schedule.ts';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../studies/system/index.ts';
import { createTimeIndex } from '../time/time-index.ts';
import {
  type CoordinationConfig,
  createCoordination,
  createDsoPricingCoordination,
  createNoneCoordination,
  DSO_PRICING_DEFAULTS,
  NEGOTIATION_DEFAULTS,
} from './index.ts';
import type { DsoPricingInput } from './mechanism.ts';
import { mediateTsoRequest } from './tso-dso-mediation.ts';

const index = createTimeIndex({ startUtc: '2024-04-15T00:00:00Z', stepMin: 30, length: 2 });
// The IEEE European LV feeder, as the system model resolves it from the bundled study.
const lv = resolveSystemStudy(buildDefaultSystemStudy({ households: 3, seed: 3 })).dsos[0].feeders[0].network;
// Three households at distant buses of the IEEE European LV feeder; interval 1 has a large PV surplus.
const buses = lv.loads.slice(-3).map((l) => l.bus);
const input: DsoPricingInput = {
  dsoId: 'd',
  index,
  wholesaleEurPerMwh: Float64Array.from([40, 50]),
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
    const s = priceScheduleSchema.parse(await createCoordination({ name: 'none' }).priceSchedule(input));
    expect(s.locations.map((l) => l.locationId)).toEqual(['p1']);
    expect(s.locations[0].importPriceEurPerKwh).toEqual([0.15, 0.16]);
    expect(s.locations[0].exportPriceEurPerKwh).toEqual([0.01, 0.02]);
    expect(s.fees).toEqual([]);
  });

  it('rl: the zero policy gives none’s prices; an output bias adds scale·tanh(b) to import', async () => {
    // hidden 1, scale 20 EUR/MWh; output biases (b_imp, b_exp) = (atanh 0.5, 0): import +10 EUR/MWh, export +0.
    const parameters = new Array(7 + 2 * 2).fill(0);
    const zero = { format: 'gridnest-rl-policy-1' as const, hidden: 1, scaleEurPerMwh: 20, parameters };
    const flat = await createCoordination('none').priceSchedule(input);
    const z = await createCoordination({ name: 'rl', policy: zero }).priceSchedule(input);
    expect(z.locations.map((l) => l.locationId)).toEqual(['p1', 'm0', 'm1', 'm2']);
    for (const l of z.locations) {
      expect(l.importPriceEurPerKwh).toEqual(flat.locations[0].importPriceEurPerKwh);
      expect(l.exportPriceEurPerKwh).toEqual(flat.locations[0].exportPriceEurPerKwh);
    }
    expect(z.fees).toEqual([]);
    const biased = parameters.map((_, i) => (i === 7 ? Math.atanh(0.5) : 0));
    const b = await createCoordination({ name: 'rl', policy: { ...zero, parameters: biased } }).priceSchedule(
      input,
    );
    for (const l of b.locations) {
      for (const [k, v] of [0.16, 0.17].entries()) expect(l.importPriceEurPerKwh[k]).toBeCloseTo(v, 12);
      expect(l.exportPriceEurPerKwh).toEqual([0.01, 0.02]);
    }
  });

  it('dso-pricing prices each household by its DLMP and charges ν_buyer − ν_seller on P2P trades', async () => {
    const s = priceScheduleSchema.parse(
      await createCoordination({ name: 'dso-pricing' }).priceSchedule(input),
    );
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
});

/** The InputError a call throws (fails the test when it does not throw one). */
function inputErrorOf(call: () => unknown): InputError {
  try {
    call();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('coordination factory and config', () => {
  it('builds every mechanism from its config, with the defaults merged at the entry', () => {
    expect(createCoordination({ name: 'none' }).config).toEqual({ name: 'none' });
    expect(createCoordination('none').config).toEqual(createNoneCoordination().config);
    expect(createCoordination({ name: 'dso-pricing' }).config).toEqual({
      name: 'dso-pricing',
      riskLevel: 0.05,
      scenarioCount: 24,
    });
    expect(DSO_PRICING_DEFAULTS).toEqual({ riskLevel: 0.05, scenarioCount: 24 });
    expect(createCoordination({ name: 'dso-pricing', riskLevel: 0.2 }).config).toEqual({
      name: 'dso-pricing',
      riskLevel: 0.2,
      scenarioCount: 24,
    });
    expect(createDsoPricingCoordination({ scenarioCount: 8 }).config).toEqual({
      name: 'dso-pricing',
      riskLevel: 0.05,
      scenarioCount: 8,
    });
    const dso = createCoordination({ name: 'dso-pricing' });
    expect([dso.clipsBidsToDistributionLimits, dso.pricesHouseholds]).toEqual([true, true]);
    const none = createCoordination({ name: 'none' });
    expect([none.clipsBidsToDistributionLimits, none.pricesHouseholds]).toEqual([false, false]);
  });

  it('names the field path of a bad option', () => {
    const bad = inputErrorOf(() => createCoordination({ name: 'dso-pricing', riskLevel: 1.5 }));
    expect(bad.issues[0].path).toEqual(['coordination', 'riskLevel']);
    expect(bad.message).toBe('coordination.riskLevel: must lie in (0, 1) (got 1.5)');
    const inStudy = inputErrorOf(() =>
      createCoordination({ name: 'dso-pricing', riskLevel: 1.5 }, ['simulation', 'coordination']),
    );
    expect(inStudy.message).toMatch(/^simulation\.coordination\.riskLevel: /);
    for (const scenarioCount of [0, 2.5])
      expect(inputErrorOf(() => createDsoPricingCoordination({ scenarioCount })).issues[0].path).toEqual([
        'coordination',
        'scenarioCount',
      ]);
    const unknown = inputErrorOf(() =>
      createCoordination({ name: 'predictive' } as unknown as CoordinationConfig),
    );
    expect(unknown.issues[0].path).toEqual(['coordination', 'name']);
    expect(unknown.message).toMatch(
      /unknown coordination "predictive"; expected one of none, dso-pricing, negotiation, centralised/,
    );
    const loss = inputErrorOf(() => createCoordination({ name: 'negotiation', lossProbability: 1 }));
    expect(loss.issues[0].path).toEqual(['coordination', 'lossProbability']);
    expect(createCoordination({ name: 'negotiation', maxDelayRounds: 2 }).config).toEqual({
      name: 'negotiation',
      ...NEGOTIATION_DEFAULTS,
      maxDelayRounds: 2,
    });
    // `none` has no options: a stray one is an error, not silently ignored.
    const stray = inputErrorOf(() =>
      createCoordination({ name: 'none', riskLevel: 0.1 } as unknown as CoordinationConfig),
    );
    expect(stray.issues[0].code).toBe('unrecognized_keys');
  });

  it('reaches the study file: simulation.coordination is validated with its path and kept for the run', () => {
    const doc = buildDefaultSystemStudy({ households: 3, seed: 3 });
    const withOptions = (coordination: unknown) => ({
      ...doc,
      simulation: { ...doc.simulation, coordination },
    });
    const model = resolveSystemStudy(withOptions({ riskLevel: 0.2, scenarioCount: 8 }));
    expect(model.config.coordination).toEqual({ riskLevel: 0.2, scenarioCount: 8 });
    expect(resolveSystemStudy(doc).config.coordination).toEqual({});
    const bad = inputErrorOf(() => resolveSystemStudy(withOptions({ riskLevel: 1.5 })));
    expect(bad.issues[0].path).toEqual(['simulation', 'coordination', 'riskLevel']);
    const negotiation = { toleranceKw: 0.1, maxRounds: 40, lossProbability: 0.1, maxDelayRounds: 2 };
    expect(resolveSystemStudy(withOptions({ negotiation })).config.coordination).toEqual({ negotiation });
    const badLoss = inputErrorOf(() =>
      resolveSystemStudy(withOptions({ negotiation: { lossProbability: 1 } })),
    );
    expect(badLoss.issues[0].path).toEqual(['simulation', 'coordination', 'negotiation', 'lossProbability']);
    const stray = inputErrorOf(() => resolveSystemStudy(withOptions({ negotiation: { rounds: 3 } })));
    expect(stray.issues[0].path).toEqual(['simulation', 'coordination', 'negotiation']);
  });

  it('uses its options: the risk level and scenario count change the DSO price schedule', async () => {
    const prices = async (config: CoordinationConfig) =>
      JSON.stringify((await createCoordination(config).priceSchedule(input)).locations);
    const base = await prices({ name: 'dso-pricing' });
    expect(base).toBe(await prices({ name: 'dso-pricing', riskLevel: 0.05, scenarioCount: 24 }));
    expect(await prices({ name: 'dso-pricing', scenarioCount: 4 })).not.toBe(base);
    expect(await prices({ name: 'dso-pricing', riskLevel: 0.5 })).not.toBe(base);
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
