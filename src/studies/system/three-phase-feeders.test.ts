// A system study resolved with `lvModel: 'three-phase'`: its LV feeders carry the phase-domain model and the feeder
// grid solves them unbalanced, keeping head = consumption + losses and reporting VUF.
import { describe, expect, it } from 'vitest';
import { FeederGrid } from '../../hierarchy/feeder-grid.ts';
import { buildDefaultSystemStudy } from './build-system-study.ts';
import { resolveSystemStudy } from './load-system-study.ts';

describe('three-phase LV feeders in a system study', () => {
  const study = buildDefaultSystemStudy({ households: 5 });
  const threePhase = resolveSystemStudy(study, '.', { lvModel: 'three-phase' });
  const balanced = resolveSystemStudy(study, '.');
  const feeder = threePhase.dsos[0].feeders[0];

  it('attaches the European LV phase model to every feeder only when asked', () => {
    expect(feeder.threePhase?.lines.length).toBe(905);
    expect(balanced.dsos[0].feeders[0].threePhase).toBeUndefined();
  });

  it('solves an interval unbalanced: energy balance holds, VUF is positive, a balanced model reports none', () => {
    // Every member imports 3 kW.
    const meters = feeder.members.map((m) => ({ id: m.id, netInjectionKw: [-3] }));
    const s = new FeederGrid(feeder).solve(meters, 0);
    expect(s.consumptionKw).toBeCloseTo(3 * feeder.members.length, 9);
    expect(s.headKw).toBeCloseTo(s.consumptionKw + s.lossesKw, 6);
    expect(s.lossesKw).toBeGreaterThan(0);
    expect(s.vufMaxPct).toBeGreaterThan(0);
    expect(s.vmMinPu).toBeLessThan(s.vmMaxPu);
    expect(new FeederGrid(balanced.dsos[0].feeders[0]).solve(meters, 0).vufMaxPct).toBeNaN();
  });
});
