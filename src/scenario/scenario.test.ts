// Tests of the scenario schema, cross-reference validation, generators and atomic writing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { scheduleProsumersInThread } from '../ders/schedule-batch.ts';
import { flatTariff } from '../ders/tariff.ts';
import { generateIeeeLvScenario, generateSyntheticScenario } from './generate-scenario.ts';
import { loadScenario, readScenarioFile, writeScenarioFile } from './load-scenario.ts';
import { validateScenario } from './validate-scenario.ts';

const paths = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error.issues.map((i) => i.path.join('.'));
    throw error;
  }
  return [];
};

describe('scenario validation', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the tests corrupt the document freely
  type Loose = any;
  const good = (): Loose =>
    structuredClone(generateSyntheticScenario({ feeders: 2, households: 4, seed: 3 }));

  it('accepts generated scenarios', () => {
    expect(() => validateScenario(good())).not.toThrow();
    expect(() => validateScenario(generateIeeeLvScenario({ seed: 2 }))).not.toThrow();
  });

  it('names the bad field: wrong types, ranges and version', () => {
    const s = good();
    s.prosumers[1].batteries = [{ id: 'b', energyKwh: -5, chargeKw: 3, dischargeKw: 3 }];
    s.time.stepMin = 'thirty';
    expect(paths(() => validateScenario(s))).toEqual(
      expect.arrayContaining(['time.stepMin', 'prosumers.1.batteries.0.energyKwh']),
    );
    expect(paths(() => validateScenario({ ...good(), formatVersion: 2 }))).toEqual(['formatVersion']);
  });

  it('names broken references: profile, bus, platform member, controller parent and step', () => {
    const s = good();
    s.prosumers[0].loads[0].profile = 'nope';
    s.prosumers[2].bus = 'no-such-bus';
    s.hierarchy.platforms[0].members.push('ghost');
    s.hierarchy.controllers[1].parent = 'missing';
    s.hierarchy.controllers[2].stepMin = 45;
    const found = paths(() => validateScenario(s));
    expect(found).toEqual(
      expect.arrayContaining([
        'prosumers.0.loads.0.profile',
        'prosumers.2.bus',
        'hierarchy.platforms.0.members.4',
        'hierarchy.controllers.1.parent',
        'hierarchy.controllers.2.stepMin',
      ]),
    );
  });

  it('writes atomically and writes nothing on error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridnest-scenario-'));
    const file = join(dir, 'study.json');
    const bad = good();
    bad.prosumers[0].pv = [{ id: 'pv', capacityKwp: 3 }];
    expect(() => writeScenarioFile(file, bad)).toThrow(InputError);
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(file, 'previous');
    expect(() => writeScenarioFile(file, bad)).toThrow(InputError);
    expect(readFileSync(file, 'utf8')).toBe('previous');
    writeScenarioFile(file, good());
    expect(readdirSync(dir)).toEqual(['study.json']);
    expect(readScenarioFile(file).name).toBe('synthetic-2x4');
    expect(existsSync(join(dir, 'missing', 'x.json'))).toBe(false);
    expect(() => writeScenarioFile(join(dir, 'missing', 'x.json'), good())).toThrow(InputError);
  });
});

describe('generators', () => {
  it('the IEEE LV default is reproducible by seed, 55 households on the feeder buses and phases', () => {
    const a = generateIeeeLvScenario({ seed: 7 });
    expect(generateIeeeLvScenario({ seed: 7 })).toEqual(a);
    expect(generateIeeeLvScenario({ seed: 8 })).not.toEqual(a);
    expect(a.prosumers).toHaveLength(55);
    expect(a.prosumers?.[0]).toMatchObject({ id: 'h1', bus: '34', phase: 'a' }); // LOAD1 at bus 34, phase A
    // Adding households never changes earlier ones (one seeded stream per household).
    expect(generateIeeeLvScenario({ seed: 7, households: 10 }).prosumers).toEqual(a.prosumers?.slice(0, 10));
  });

  it('the bundled default scenario file is the seed-1 generator output', () => {
    const file = new URL('../../data/scenarios/ieee-european-lv-55.json', import.meta.url);
    const bundled = JSON.parse(readFileSync(file, 'utf8'));
    expect(bundled).toEqual(
      JSON.parse(JSON.stringify(validateScenario(generateIeeeLvScenario({ seed: 1 })))),
    );
  });

  it('every generated prosumer can be scheduled (feasible DER mix) and loaded networks hold its bus', async () => {
    const loaded = loadScenario(
      validateScenario(generateSyntheticScenario({ feeders: 2, households: 10, seed: 4 })),
    );
    expect(loaded.networks.size).toBe(3);
    const n = loaded.index.length;
    const tariff = flatTariff(n, 0.25, 0.05, { priceEurPerKwh: 0.15, feeEurPerKwh: 0.02 });
    const schedules = await scheduleProsumersInThread(loaded.prosumers.map((model) => ({ model, tariff })));
    expect(schedules.every((s) => s.status === 'optimal')).toBe(true);
  });
});
