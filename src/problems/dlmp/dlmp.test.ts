// DLMP tests: finite differences on case33bw-flex, a hand-derived congested feeder, loss factors vs AC power flow.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../grid/create-network.ts';
import { loadCase } from '../../io/case-registry.ts';
import { solvePowerFlow } from '../power-flow/index.ts';
import { createCase33bwFlex } from './case33bw-flex.ts';
import { buildFeederModel, lineariseFeeder } from './linearisation.ts';
import { defaultFixedLoad, solveDlmp } from './solve-dlmp.ts';

describe('solveDlmp on case33bw-flex', async () => {
  const { network, bids } = createCase33bwFlex(loadCase('case33bw'));
  const feeder = buildFeederModel(network);
  const result = await solveDlmp(network, bids, { feeder });

  it('converges the loss-factor iteration with binding voltage and thermal limits', () => {
    expect(result.status).toBe('optimal');
    expect(result.isLossIterationConverged).toBe(true);
    expect(Math.max(...result.buses.map((b) => Math.abs(b.voltagePerMwh)))).toBeGreaterThan(1);
    expect(Math.max(...result.buses.map((b) => Math.abs(b.congestionPerMwh)))).toBeGreaterThan(1);
    expect(Math.min(...result.buses.map((b) => b.vmPu))).toBeCloseTo(0.95, 9);
  });

  it('components sum to the DLMP and energy is the substation price', () => {
    for (const bus of result.buses) {
      const sum = bus.energyPerMwh + bus.lossPerMwh + bus.congestionPerMwh + bus.voltagePerMwh;
      expect(Math.abs(sum - bus.dlmpPerMwh)).toBeLessThan(1e-9 * Math.max(1, Math.abs(bus.dlmpPerMwh)));
      expect(bus.energyPerMwh).toBeCloseTo(40, 6);
      expect(bus.lossPerMwh).toBeCloseTo(bus.energyPerMwh * bus.marginalLossFactor, 9);
    }
  });

  it('each DLMP equals Δcost/Δdemand with loss factors frozen (central difference, 1e-3 relative)', async () => {
    const base = defaultFixedLoad(feeder);
    const h = 1e-4;
    let checked = 0;
    for (let i = 0; i < base.length; i++) {
      const cost = async (delta: number) => {
        const load = Float64Array.from(base);
        load[i] += delta;
        const r = await solveDlmp(network, bids, {
          feeder,
          fixedLoadMw: load,
          linearisation: result.linearisation,
        });
        return r.objectivePerH;
      };
      const slope = ((await cost(h)) - (await cost(-h))) / (2 * h);
      const dlmp = result.buses[i].dlmpPerMwh;
      expect(Math.abs(slope - dlmp) / Math.abs(dlmp)).toBeLessThan(1e-3);
      checked++;
    }
    expect(checked).toBe(33);
  });

  it('optimal bids sit where their marginal cost or utility equals the local DLMP', () => {
    const dlmpAt = (bus: number) => result.buses.find((b) => b.id === bus)!.dlmpPerMwh;
    const dg18 = result.bids.find((b) => b.id === 'dg18')!;
    expect(dg18.pMw).toBeGreaterThan(0);
    expect(dg18.pMw).toBeLessThan(0.6);
    expect(45 + 2 * 40 * dg18.pMw).toBeCloseTo(dlmpAt(18), 6);
    const flex24 = result.bids.find((b) => b.id === 'flex24')!;
    expect(150 - 2 * 50 * flex24.pMw).toBeCloseTo(dlmpAt(24), 6);
  });
});

describe('DLMP identities', () => {
  it('equal the energy price everywhere with no binding limits and zero losses', async () => {
    const { network, bids } = createCase33bwFlex(loadCase('case33bw'));
    const relaxed = createNetwork({
      ...network,
      buses: network.buses.map((b) => ({ ...b, vmMinPu: 0.5, vmMaxPu: 1.5 })),
      branches: network.branches.map((b) => ({ ...b, rateAMva: 0 })),
    });
    const r = await solveDlmp(relaxed, bids, { includeLosses: false });
    expect(r.status).toBe('optimal');
    for (const bus of r.buses) {
      // Equal to the energy price exactly, and to 40 within the QP solver's dual tolerance.
      expect(bus.dlmpPerMwh).toBe(bus.energyPerMwh);
      expect(bus.dlmpPerMwh).toBeCloseTo(40, 5);
      expect(bus.lossPerMwh).toBe(0);
      expect(bus.congestionPerMwh).toBe(0);
      expect(bus.voltagePerMwh).toBe(0);
    }
  });

  it('matches a hand-derived congested two-bus feeder (energy 30, DG 50, line rated 1 MW)', async () => {
    // Lossless: the line carries its 1 MW rating, the DG covers the remaining 0.5 MW of the 1.5 MW load, so the
    // DLMP at bus 2 is the DG's 50 = energy 30 + congestion 20, and the line's shadow price is 20.
    const network = createNetwork({
      baseMva: 1,
      buses: [
        { id: 1, type: 'slack', baseKv: 11, vmMinPu: 0.5, vmMaxPu: 1.5 },
        { id: 2, baseKv: 11, vmMinPu: 0.5, vmMaxPu: 1.5 },
      ],
      loads: [{ id: 'l2', bus: 2, pMw: 1.5 }],
      generators: [{ id: 'grid', bus: 1, pMinMw: -10, pMaxMw: 10 }],
      branches: [{ id: 'line', fromBus: 1, toBus: 2, rPu: 0.01, xPu: 0.01, rateAMva: 1 }],
    });
    const r = await solveDlmp(network, [{ id: 'dg', bus: 2, kind: 'generation', pMaxMw: 2, c1PerMwh: 50 }], {
      energyPricePerMwh: 30,
      includeLosses: false,
    });
    expect(r.status).toBe('optimal');
    expect(r.bids[0].pMw).toBeCloseTo(0.5, 9);
    expect(r.buses[1].dlmpPerMwh).toBeCloseTo(50, 9);
    expect(r.buses[1].congestionPerMwh).toBeCloseTo(20, 9);
    expect(r.branches[0].shadowPricePerMwh).toBeCloseTo(20, 9);
    expect(r.buses[0].dlmpPerMwh).toBeCloseTo(30, 9);
  });

  it('marginal loss factors match a finite difference of AC power flow losses on case33bw', () => {
    const network = loadCase('case33bw');
    const feeder = buildFeederModel(network);
    const load = defaultFixedLoad(feeder);
    const q = Float64Array.from(feeder.net.qLoadMvar);
    const point = lineariseFeeder(feeder, load, q);
    const h = 1e-5;
    for (const bus of [18, 25, 33]) {
      const i = feeder.net.busIndexById.get(bus)!;
      const slack = (delta: number) => {
        const loads = network.loads.map((l) => (l.bus === bus ? { ...l, pMw: l.pMw + delta } : l));
        return solvePowerFlow(createNetwork({ ...network, loads })).totals.generationMw;
      };
      const lf = (slack(h) - slack(-h)) / (2 * h) - 1;
      // The DistFlow-derivative factors neglect the reactive-loss coupling: within 5 % of the AC finite difference.
      expect(Math.abs(point.lossFactor[i] - lf) / lf).toBeLessThan(0.05);
    }
  });
});
