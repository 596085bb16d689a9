// The large published MATPOWER cases (Polish case2383wp, PEGASE case9241pegase) against MATPOWER's own runpf.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../grid/create-network.ts';
import { findNetworkWarnings } from '../../grid/network-warnings.ts';
import { readMatpowerCase } from '../../io/matpower/parse-matpower.ts';
import { type PowerFlowResult, solvePowerFlow } from './index.ts';

const dataPath = (relative: string) =>
  fileURLToPath(new URL(`../../../data/matpower/${relative}`, import.meta.url));

/** MATPOWER's runpf solution `data/matpower/solutions/FILE.csv` (bench/reference/matpower_runpf.m): bus → [vmPu, vaDeg]. */
function readRunpfSolution(file: string): Map<number, [number, number]> {
  const rows = readFileSync(dataPath(`solutions/${file}.csv`), 'utf8')
    .split('\n')
    .filter((line) => /^\d/.test(line));
  return new Map(rows.map((line) => line.split(',').map(Number)).map(([bus, vm, va]) => [bus, [vm, va]]));
}

/** Every bus's |V| and angle against MATPOWER's. */
function expectMatpowerVoltages(result: PowerFlowResult, file: string, buses: number): void {
  const reference = readRunpfSolution(file);
  expect(reference.size).toBe(buses);
  let worstVmPu = 0;
  let worstVaDeg = 0;
  for (const bus of result.buses) {
    const [vmPu, vaDeg] = reference.get(bus.id as number) ?? [Number.NaN, Number.NaN];
    worstVmPu = Math.max(worstVmPu, Math.abs(bus.vmPu - vmPu));
    worstVaDeg = Math.max(worstVaDeg, Math.abs(bus.vaDeg - vaDeg));
  }
  expect(worstVmPu).toBeLessThan(1e-8);
  expect(worstVaDeg).toBeLessThan(1e-7);
}

// Our Newton stops at ‖mismatch‖∞ < 1e-8 p.u., MATPOWER's reference at 1e-10: the voltages then agree to about
// 1e-10 (measured 2e-11 p.u. / 4e-10°); 1e-8 p.u. and 1e-7° leave room for the looser stop only.
// Sizes from the files' headers ("9,241 buses, 1,445 generators, and 16,049 branches") and tables; negative r and x
// counted in the branch tables with awk: PEGASE's network equivalents.
const cases = [
  { name: 'case2383wp', buses: 2383, generators: 327, branches: 2896, negativeR: 0, negativeX: 0 },
  { name: 'case9241pegase', buses: 9241, generators: 1445, branches: 16049, negativeR: 75, negativeX: 16 },
];

describe('large published MATPOWER cases', () => {
  for (const { name, buses, generators, branches, negativeR, negativeX } of cases) {
    it(`${name}: Newton–Raphson reproduces MATPOWER's runpf voltages at every bus`, () => {
      const network = readMatpowerCase(dataPath(`${name}.m`));
      expect([network.buses.length, network.generators.length, network.branches.length]).toEqual([
        buses,
        generators,
        branches,
      ]);
      const warnings = new Map(findNetworkWarnings(network).map((w) => [w.code, w.count]));
      expect(warnings.get('negative_resistance') ?? 0).toBe(negativeR);
      expect(warnings.get('negative_reactance') ?? 0).toBe(negativeX);

      const result = solvePowerFlow(network);
      expect(result.status).toBe('converged');
      expect(result.buses).toHaveLength(buses);
      expectMatpowerVoltages(result, `${name}-runpf`, buses);
      // Conservation: generation = load + shunt consumption + series losses.
      const { generationMw, loadMw, shuntMw } = result.totals;
      expect(Math.abs(generationMw - loadMw - shuntMw - result.lossesMw)).toBeLessThan(1e-6);
    });
  }

  it('case2383wp with PV→PQ switching at reactive limits reproduces runpf with pf.enforce_q_lims = 1', () => {
    const result = solvePowerFlow(readMatpowerCase(dataPath('case2383wp.m')), { enforceQLimits: true });
    expect(result.status).toBe('converged');
    expectMatpowerVoltages(result, 'case2383wp-runpf-qlim', 2383);
  });

  it("case2383wp's stored bus table is the solution for setpoints equal to its stored |V| (flat start)", () => {
    // The file's Vm/Va are not runpf's answer (its generators' Vg are all 1.0 while the stored |V| at their buses
    // reach 1.108), but they solve the same equations with Vg = stored Vm: a second, independent reference.
    const network = readMatpowerCase(dataPath('case2383wp.m'));
    const stored = new Map(network.buses.map((b) => [b.id, b]));
    const result = solvePowerFlow(
      createNetwork({
        ...network,
        buses: network.buses.map((b) => ({ ...b, vmPu: 1, vaDeg: 0 })),
        generators: network.generators.map((g) => ({ ...g, vmSetpointPu: stored.get(g.bus)?.vmPu ?? 1 })),
      }),
    );
    expect(result.status).toBe('converged');
    // Stored with 8 significant digits: |V| to ~5e-8, angles (up to −60°) to ~5e-7°, amplified through the network.
    for (const bus of result.buses) {
      const expected = stored.get(bus.id);
      expect(Math.abs(bus.vmPu - (expected?.vmPu ?? Number.NaN))).toBeLessThan(1e-6);
      expect(Math.abs(bus.vaDeg - (expected?.vaDeg ?? Number.NaN))).toBeLessThan(1e-4);
    }
  });
});
