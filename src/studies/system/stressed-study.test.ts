// The bundled stressed study: it loads and validates, its feeders do not move together (DER mixes, load profile
// draws, PV orientations), and its new fields are validated with their paths.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { BundledProfiles } from '../../io/bundled-profiles.ts';
import { profileOnIndex } from '../../scenario/profile-sources.ts';
import { createTimeIndex } from '../../time/time-index.ts';
import { bundledStudyPath, readJsonFile, readStudy, resolveSystemStudy } from './load-system-study.ts';
import { expandStudyFile } from './study-file.ts';

const pathOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.issues.map((i) => i.path);
    throw error;
  }
  throw new Error('expected an InputError');
};

describe('stressed study', () => {
  const { document, baseDir } = readStudy('stressed');
  const model = resolveSystemStudy(document, baseDir);
  const feeders = model.dsos[0].feeders;
  const byBus = new Map(feeders.map((f) => [String(f.parentBus), f]));

  it('resolves into five 55-household feeders with UK LV limits and derated transformers', () => {
    expect(feeders.map((f) => f.members.length)).toEqual([55, 55, 55, 55, 55]);
    for (const f of feeders) {
      expect(f.network.buses.every((b) => b.vmMinPu === 0.94 && b.vmMaxPu === 1.1)).toBe(true);
      expect(f.transformerLimitKw).toBeLessThan(800 * model.config.activePowerRatingShare);
    }
  });

  it('gives each feeder its own DER mix and load profile draws', () => {
    const count = (f: (typeof feeders)[number], has: (m: (typeof f.members)[number]) => boolean) =>
      f.members.filter(has).length;
    const evs = feeders.map((f) => count(f, (m) => m.evs.length > 0));
    const heatPumps = feeders.map((f) => count(f, (m) => m.heatPumps.length > 0));
    expect(new Set(evs.map((n, i) => `${n}/${heatPumps[i]}`)).size).toBe(5);
    const loadProfiles = feeders.map((f) => f.members.map((m) => m.loads[0].profile).join());
    expect(new Set(loadProfiles).size).toBe(5);
  });

  it('orients PV differently: the east feeder peaks before solar noon, the west one after', () => {
    const index = createTimeIndex({ startUtc: '2024-04-15T00:00:00Z', stepMin: 15, length: 96 });
    const bundled = new BundledProfiles();
    const pvPeakHour = (bus: string) => {
      const profile = byBus.get(bus)!.members.find((m) => m.pv.length > 0)!.pv[0].profile;
      const series = profileOnIndex(model.scenario.profiles[profile], index, bundled);
      return (series.indexOf(Math.max(...series)) + 0.5) / 4;
    };
    // Bus 5: azimuth 90° (east); Bus 1: 270° (west); the horizontal bundled shape peaks near 12:00.
    expect(pvPeakHour('Bus 5')).toBeLessThan(12);
    expect(pvPeakHour('Bus 1')).toBeGreaterThan(12);
  });

  it('names the path of a bad orientation, PV size range or LV limit', () => {
    type Site = {
      mix: Record<string, number>;
      pvOrientation: Record<string, number>;
      lvNetwork: Record<string, number>;
    };
    const file = () => readJsonFile(bundledStudyPath('stressed')) as { dsos: { sites: Site[] }[] };
    const a = file();
    a.dsos[0].sites[1].pvOrientation.azimuthDeg = 400;
    expect(pathOf(() => expandStudyFile(a))).toEqual([
      ['dsos', 0, 'sites', 1, 'pvOrientation', 'azimuthDeg'],
    ]);
    const b = file();
    b.dsos[0].sites[0].mix.pvKwpMin = 9;
    expect(pathOf(() => expandStudyFile(b))).toEqual([['dsos', 0, 'sites', 0, 'mix', 'pvKwpMax']]);
    const c = file();
    c.dsos[0].sites[4].lvNetwork.vmMinPu = 1.2;
    expect(pathOf(() => expandStudyFile(c))).toEqual([['dsos', 0, 'sites', 4, 'lvNetwork', 'vmMinPu']]);
  });
});
