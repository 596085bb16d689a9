// Tests for the IEEE European LV importer and its load profiles: counts, per-unit values by hand, profile mapping.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { bundledIeeeEuropeanLvDir } from '../bundled-data.ts';
import { readIeeeEuropeanLvLoadProfiles } from './load-profiles.ts';
import { readIeeeEuropeanLv } from './read-ieee-european-lv.ts';

const dir = bundledIeeeEuropeanLvDir();

describe('IEEE European LV feeder', () => {
  const network = readIeeeEuropeanLv(dir);

  it('has the 906 feeder buses plus the 11 kV source bus, 905 lines, the transformer and 55 loads', () => {
    expect(network.buses).toHaveLength(907);
    expect(network.buses.filter((b) => b.baseKv === 0.416)).toHaveLength(906);
    expect(network.branches.filter((b) => b.kind === 'line')).toHaveLength(905);
    expect(network.branches.filter((b) => b.kind === 'transformer')).toHaveLength(1);
    expect(network.loads).toHaveLength(55);
    expect(network.buses[0]).toMatchObject({ id: 'SourceBus', type: 'slack', vmPu: 1.05, baseKv: 11 });
    expect(network.generators).toEqual([
      expect.objectContaining({ id: 'source', bus: 'SourceBus', vmSetpointPu: 1.05 }),
    ]);
  });

  it('converts line 1 (4c_70, 1.098 m) with R1/X1 per km on (0.416 kV, 1 MVA)', () => {
    const line = network.branches.find((b) => b.id === 'LINE1')!;
    const zBaseOhm = 0.416 ** 2 / 1;
    expect(line).toMatchObject({ fromBus: '1', toBus: '2', bPu: 0 });
    expect(line.rPu).toBeCloseTo((0.446 * 1.098e-3) / zBaseOhm, 14);
    expect(line.xPu).toBeCloseTo((0.071 * 1.098e-3) / zBaseOhm, 14);
    expect(line.rPu).toBeCloseTo(0.00282977, 8);
  });

  it('converts the 0.8 MVA transformer: x = 4 % · 1/0.8, r = 0.4 % · 1/0.8, Dyn shift 30°', () => {
    expect(network.branches[0]).toMatchObject({
      id: 'TR1',
      fromBus: 'SourceBus',
      toBus: '1',
      shiftDeg: 30,
      rateAMva: 0.8,
    });
    expect(network.branches[0].xPu).toBeCloseTo(0.05, 14);
    expect(network.branches[0].rPu).toBeCloseTo(0.005, 14);
  });

  it('models each single-phase 1 kW, PF 0.95 load as a balanced load', () => {
    expect(network.loads[0]).toMatchObject({ id: 'LOAD1', bus: '34' });
    expect(network.loads[0].pMw).toBeCloseTo(0.001, 15);
    expect(network.loads[0].qMvar).toBeCloseTo(0.001 * Math.tan(Math.acos(0.95)), 15);
    expect(network.loads[0].qMvar).toBeCloseTo(0.000328684, 9);
  });

  it('can put the 3000 A source impedance (X/R 4) in front of the source bus', () => {
    const withSource = readIeeeEuropeanLv(dir, { sourceImpedance: true, baseMva: 0.8 });
    expect(withSource.buses).toHaveLength(908);
    expect(withSource.buses.find((b) => b.type === 'slack')?.id).toBe('Source');
    const z = withSource.branches[0];
    // |Z| = 11 kV / (√3 · 3000 A) = 2.1170 Ω → R = 0.51344 Ω, X = 2.0537 Ω; Z_base = 11² / 0.8 = 151.25 Ω.
    expect(z.rPu * 151.25).toBeCloseTo(0.51344, 5);
    expect(z.xPu * 151.25).toBeCloseTo(2.0537, 4);
    expect(withSource.branches[1].xPu).toBeCloseTo(0.04, 14);
  });

  it('names the file and line of bad data', () => {
    const copy = mkdtempSync(join(tmpdir(), 'ieee-lv-'));
    try {
      cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes('Load_Profiles') });
      writeFileSync(
        join(copy, 'Lines.csv'),
        '# Lines\nName,Bus1,Bus2,Phases,Length,Units,LineCode\nLINE1,1,2,ABC,1,m,NOPE\n',
      );
      expect(() => readIeeeEuropeanLv(copy)).toThrow(InputError);
      try {
        readIeeeEuropeanLv(copy);
      } catch (error) {
        expect((error as InputError).issues[0]).toMatchObject({ path: ['Lines.csv:line 3'] });
      }
      expect(() => readIeeeEuropeanLv(join(copy, 'missing'))).toThrow(/file not found/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('IEEE European LV load profiles', () => {
  const profiles = readIeeeEuropeanLvLoadProfiles(dir);

  it('reads 100 one-minute profiles of 1440 points and maps the 55 loads to their shapes', () => {
    expect(profiles.profiles.size).toBe(100);
    expect([...profiles.profiles.keys()].slice(0, 3)).toEqual([1, 2, 3]);
    expect(profiles.stepMinutes).toBe(1);
    for (const profile of profiles.profiles.values()) expect(profile).toHaveLength(1440);
    expect(profiles.shapes.size).toBe(55);
    expect(profiles.shapeOfLoad.get('LOAD1')).toBe('Shape_1');
    expect(profiles.profileOfLoad.get('LOAD1')).toBe(profiles.profiles.get(1));
    expect(profiles.profileOfLoad.get('LOAD55')).toBe(profiles.profiles.get(55));
    const first = profiles.profiles.get(1)!;
    expect(first[0]).toBe(0.036);
    expect(first[1439]).toBe(0.036);
    expect(first).toBeInstanceOf(Float64Array);
  });
});
