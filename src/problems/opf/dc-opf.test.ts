// DC OPF tests on small systems whose optimum and prices follow by hand from marginal-cost reasoning.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { createNetwork } from '../../grid/create-network.ts';
import type { GeneratorCost, NetworkInput } from '../../grid/schema.ts';
import { solveDcOpf } from './dc-opf.ts';

function twoArea(cost1: GeneratorCost, cost2: GeneratorCost, rateAMva = 0, loadMw = 100): NetworkInput {
  return {
    baseMva: 100,
    buses: [
      { id: 1, type: 'slack', baseKv: 230 },
      { id: 2, type: 'pq', baseKv: 230 },
    ],
    generators: [
      { id: 1, bus: 1, pMinMw: 0, pMaxMw: 200, cost: cost1 },
      { id: 2, bus: 2, pMinMw: 0, pMaxMw: 200, cost: cost2 },
    ],
    loads: [{ id: 1, bus: 2, pMw: loadMw }],
    branches: [{ id: 1, fromBus: 1, toBus: 2, rPu: 0, xPu: 0.1, rateAMva }],
  };
}

const linear = (c1PerMwh: number): GeneratorCost => ({
  kind: 'polynomial',
  c2PerMw2H: 0,
  c1PerMwh,
  c0PerH: 0,
});

describe('solveDcOpf', () => {
  it('uncongested linear costs: cheapest unit serves all, uniform LMP at its marginal cost', async () => {
    const r = await solveDcOpf(createNetwork(twoArea(linear(10), linear(30))));
    expect(r.status).toBe('optimal');
    expect(r.objectivePerH).toBeCloseTo(1000, 6);
    expect(r.generators[0].pMw).toBeCloseTo(100, 6);
    for (const bus of r.buses) expect(bus.lmpPerMwh).toBeCloseTo(10, 6);
  });

  it('a binding line separates prices: LMPs equal each side’s marginal unit', async () => {
    const r = await solveDcOpf(createNetwork(twoArea(linear(10), linear(30), 60)));
    expect(r.status).toBe('optimal');
    expect(r.generators[0].pMw).toBeCloseTo(60, 6);
    expect(r.generators[1].pMw).toBeCloseTo(40, 6);
    expect(r.objectivePerH).toBeCloseTo(60 * 10 + 40 * 30, 5);
    expect(r.buses[0].lmpPerMwh).toBeCloseTo(10, 6);
    expect(r.buses[1].lmpPerMwh).toBeCloseTo(30, 6);
    expect(r.branches[0].loadingPercent).toBeCloseTo(100, 6);
    expect(r.branches[0].limitShadowPricePerMwh).toBeCloseTo(20, 6);
  });

  it('quadratic costs equalise marginal costs: 0.2·P1 + 10 = 0.2·P2 + 20', async () => {
    const q = (c1PerMwh: number): GeneratorCost => ({
      kind: 'polynomial',
      c2PerMw2H: 0.1,
      c1PerMwh,
      c0PerH: 5,
    });
    const r = await solveDcOpf(createNetwork(twoArea(q(10), q(20))));
    // HiGHS' QP solver stops at ~1e-7 relative optimality; dispatch to 5e-5 MW is well inside 1e-4 relative.
    expect(r.generators[0].pMw).toBeCloseTo(75, 4);
    expect(r.generators[1].pMw).toBeCloseTo(25, 4);
    expect(r.buses[1].lmpPerMwh).toBeCloseTo(25, 4);
    expect(r.objectivePerH).toBeCloseTo(0.1 * 75 ** 2 + 750 + 0.1 * 25 ** 2 + 500 + 10, 4);
  });

  it('piecewise-linear costs: the second segment sets the price', async () => {
    const pwl: GeneratorCost = {
      kind: 'piecewise-linear',
      points: [
        { pMw: 0, costPerH: 0 },
        { pMw: 50, costPerH: 500 },
        { pMw: 200, costPerH: 3500 },
      ],
    };
    // Unit 1: 10 $/MWh up to 50 MW then 20 $/MWh; unit 2 at 25 $/MWh → unit 1 serves all 100 MW at 20 $/MWh.
    const r = await solveDcOpf(createNetwork(twoArea(pwl, linear(25))));
    expect(r.generators[0].pMw).toBeCloseTo(100, 5);
    expect(r.objectivePerH).toBeCloseTo(500 + 50 * 20, 4);
    expect(r.buses[0].lmpPerMwh).toBeCloseTo(20, 5);
  });

  it('returns status infeasible with the reason when demand exceeds capacity', async () => {
    const r = await solveDcOpf(createNetwork(twoArea(linear(10), linear(30), 0, 500)));
    expect(r.status).toBe('infeasible');
    expect(r.message).toMatch(/capacity 400\.000 MW is below demand 500\.000 MW/);
  });

  it('counts a dispatchable load (pMax < 0) as demand, not negative capacity, in the reason', async () => {
    const input = twoArea(linear(10), linear(30), 0, 300);
    input.generators!.push({ id: 3, bus: 2, pMinMw: -150, pMaxMw: -120, cost: linear(-50) });
    const r = await solveDcOpf(createNetwork(input));
    expect(r.status).toBe('infeasible');
    expect(r.message).toMatch(/capacity 400\.000 MW is below demand 420\.000 MW/);
  });

  it('returns status infeasible when line limits cannot be met', async () => {
    const input = twoArea(linear(10), linear(30), 10);
    input.generators![1] = { ...input.generators![1], pMaxMw: 50 };
    const r = await solveDcOpf(createNetwork(input));
    expect(r.status).toBe('infeasible');
    expect(r.message).toMatch(/branch flow limits/);
  });

  it('rejects generators without cost', async () => {
    const input = twoArea(linear(10), linear(30));
    input.generators![1] = { id: 2, bus: 2, pMaxMw: 100 };
    await expect(solveDcOpf(createNetwork(input))).rejects.toThrow(InputError);
  });
});
