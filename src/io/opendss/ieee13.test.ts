// Validation: the bundled IEEE 13-node feeder (OpenDSS script) against the published IEEE PES test-feeder voltages.
import { describe, expect, it } from 'vitest';
import { threePhaseBusResults } from '../../three-phase/bus-results.ts';
import type { ThreePhaseNetwork } from '../../three-phase/model.ts';
import { solveThreePhasePowerFlow } from '../../three-phase/solve-three-phase-power-flow.ts';
import { bundledDataPath } from '../bundled-data.ts';
import { readOpenDss } from './read-opendss.ts';

/**
 * IEEE 13 Node Test Feeder, "Power-Flow Results" voltage profile (IEEE PES Distribution System Analysis
 * Subcommittee, radial test feeders), |V| in p.u. per phase a, b, c (null: phase absent). The published solution
 * has the regulators on taps 10, 8 and 11 (1.0625, 1.0500, 1.06875).
 */
const PUBLISHED: Record<string, [number | null, number | null, number | null]> = {
  '650': [1.0, 1.0, 1.0],
  rg60: [1.0625, 1.05, 1.0687],
  '632': [1.021, 1.042, 1.0174],
  '633': [1.018, 1.0401, 1.0148],
  '634': [0.994, 1.0218, 0.996],
  '645': [null, 1.0329, 1.0155],
  '646': [null, 1.0311, 1.0134],
  '671': [0.99, 1.0529, 0.9778],
  '680': [0.99, 1.0529, 0.9777],
  '675': [0.9835, 1.0553, 0.9758],
  '692': [0.99, 1.0529, 0.9778],
  '684': [0.9881, null, 0.9758],
  '611': [null, null, 0.9738],
  '652': [0.9825, null, null],
};
const PUBLISHED_TAPS = [10, 8, 11];
const STEP_PU = 0.2 / 32;

const feeder = readOpenDss(bundledDataPath('opendss/ieee13/IEEE13Nodeckt.dss'));

/** The script's own "alternate solution": taps set to the published positions and control off. */
function withPublishedTaps(network: ThreePhaseNetwork): ThreePhaseNetwork {
  return {
    ...network,
    regulators: [],
    transformers: network.transformers.map((t) => {
      const k = ['reg1', 'reg2', 'reg3'].indexOf(t.id);
      if (k < 0) return t;
      const tapPu = 1 + PUBLISHED_TAPS[k] * STEP_PU;
      return { ...t, windings: [t.windings[0], { ...t.windings[1], tapPu }] };
    }),
  };
}

function maxDeviationPct(network: ThreePhaseNetwork): number {
  const buses = threePhaseBusResults(network, solveThreePhasePowerFlow(network));
  let worst = 0;
  for (const [id, published] of Object.entries(PUBLISHED)) {
    const bus = buses.find((b) => b.id === id);
    expect(bus, id).toBeDefined();
    const phases = [bus?.phases.a, bus?.phases.b, bus?.phases.c];
    published.forEach((vm, k) => {
      if (vm === null) {
        expect(phases[k], `${id} phase ${k}`).toBeUndefined();
        return;
      }
      worst = Math.max(worst, (100 * Math.abs((phases[k]?.vmPu ?? 0) - vm)) / vm);
    });
  }
  return worst;
}

describe('IEEE 13-node feeder from its OpenDSS script', () => {
  it('reads the circuit: 16 buses, delta/wye/Z/I loads, two capacitors, three regulators', () => {
    const { network } = feeder;
    expect(network.buses.length).toBe(16);
    expect(network.loads.length).toBe(15);
    expect(network.capacitors.length).toBe(2);
    expect(network.regulators.length).toBe(3);
    expect(network.frequencyHz).toBe(60);
    const load671 = network.loads.find((l) => l.id === '671');
    expect(load671).toMatchObject({ connection: 'delta', pKw: 1155, qKvar: 660, model: 'constant-power' });
    expect(network.loads.find((l) => l.id === '692')?.nodes).toEqual([3, 1]);
    // Line 650632 (mtx601, 2000 ft): Z_aa = 0.3465 Ω/mi · 2000/5280 mi.
    const line = network.lines.find((l) => l.id === '650632');
    expect(line?.zOhm.re[0]).toBeCloseTo((0.3465 * 2000) / 5280, 12);
    // 634 sits behind the 4.16/0.48 kV XFM1.
    expect(network.buses.find((b) => b.id === '634')?.baseKvLl).toBe(0.48);
  });

  it('with the published taps every node voltage is within 0.5 % of the published solution', () => {
    expect(maxDeviationPct(withPublishedTaps(feeder.network))).toBeLessThan(0.5);
  });

  it('regulator control ends inside the band, each tap at most one step from the published one', () => {
    const result = solveThreePhasePowerFlow(feeder.network);
    expect(result.status).toBe('converged');
    result.regulatorTapsPu.forEach((tap, k) => {
      expect(Math.abs((tap - 1) / STEP_PU - PUBLISHED_TAPS[k])).toBeLessThanOrEqual(1 + 1e-9);
    });
    // Power balance: source = loads + losses, losses positive and a few percent of the load.
    expect(result.lossesW).toBeGreaterThan(0);
    expect(result.lossesW / result.loadPW).toBeLessThan(0.05);
  });
});
