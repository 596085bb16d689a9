// Validation: the IEEE European LV feeder (bundled OpenDSS script) at minute 566 against an independent NumPy
// backward/forward sweep on the CSV package (bench/reference/european_lv_sweep.py → european_lv_minute566.json).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { threePhaseBusResults } from '../../three-phase/bus-results.ts';
import { prepareThreePhasePowerFlow } from '../../three-phase/solve-three-phase-power-flow.ts';
import { bundledDataPath } from '../bundled-data.ts';
import { readIeeeEuropeanLvLoadProfiles } from '../ieee-european-lv/load-profiles.ts';
import { loadProfilesOfFeeder, loadScalesAt } from './load-shapes.ts';
import { readOpenDss } from './read-opendss.ts';

interface Reference {
  minute: number;
  loadKw: number;
  lvLossesKw: number;
  buses: Record<string, { vLnV: number[]; vaDeg: number[] }>;
}

const reference: Reference = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../bench/reference/european_lv_minute566.json', import.meta.url)),
    'utf8',
  ),
);

describe('IEEE European LV feeder, three-phase, minute 566', () => {
  const feeder = readOpenDss(bundledDataPath('opendss/european-lv/Master.dss'));
  const profiles = loadProfilesOfFeeder(feeder, readIeeeEuropeanLvLoadProfiles().shapes);

  it('reads 906 buses, 905 lines, 55 single-phase loads on their phases and the Dyn transformer', () => {
    const { network } = feeder;
    expect(network.buses.length).toBe(907); // 906 LV buses + the 11 kV source bus
    expect(network.lines.length).toBe(905);
    expect(network.loads.length).toBe(55);
    expect(network.loads[0]).toMatchObject({ bus: '34', nodes: [1], kv: 0.23, pKw: 1 });
    expect(network.loads[1].nodes).toEqual([2]);
    expect(network.frequencyHz).toBe(50);
    expect(network.transformers[0].windings.map((w) => w.connection)).toEqual(['delta', 'wye']);
  });

  it('every phase voltage agrees with the independent sweep within 1e-4 % and 1e-4°', () => {
    const result = prepareThreePhasePowerFlow(feeder.network).solve(
      loadScalesAt(profiles, reference.minute - 1),
    );
    expect(result.status).toBe('converged');
    const buses = threePhaseBusResults(feeder.network, result);
    let worstPct = 0;
    let worstDeg = 0;
    let compared = 0;
    for (const bus of buses) {
      const ref = reference.buses[bus.id];
      if (!ref) continue;
      [bus.phases.a, bus.phases.b, bus.phases.c].forEach((phase, k) => {
        worstPct = Math.max(worstPct, (100 * Math.abs((phase?.vLnV ?? 0) - ref.vLnV[k])) / ref.vLnV[k]);
        worstDeg = Math.max(worstDeg, Math.abs((phase?.vaDeg ?? 0) - ref.vaDeg[k]));
        compared++;
      });
    }
    expect(compared).toBe(906 * 3);
    expect(worstPct).toBeLessThan(1e-4);
    expect(worstDeg).toBeLessThan(1e-4);
    expect(result.loadPW / 1000).toBeCloseTo(reference.loadKw, 3);
  });
});
