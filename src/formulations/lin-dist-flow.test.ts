// LinDistFlow checked against the AC power flow (a second formulation) and against finite differences.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../grid/create-network.ts';
import { indexNetwork } from '../grid/indexed-network.ts';
import { readMatpowerCase } from '../io/matpower/parse-matpower.ts';
import { preparePowerFlow, solvePowerFlow } from '../problems/power-flow/index.ts';
import {
  buildLinDistFlow,
  computeVoltageSensitivities,
  defaultNetLoad,
  isDownstream,
  solveLinDistFlow,
} from './lin-dist-flow.ts';

const case33bw = readMatpowerCase(fileURLToPath(new URL('../../data/matpower/case33bw.m', import.meta.url)));

describe('LinDistFlow on case33bw vs AC power flow', () => {
  const net = indexNetwork(case33bw);
  const model = buildLinDistFlow(net);
  const linear = solveLinDistFlow(model);
  const ac = solvePowerFlow(case33bw, { method: 'nr' });

  it('voltages within 0.003 p.u. of AC (measured max error 0.00284 p.u. at bus 18, LinDistFlow above AC)', () => {
    let worst = 0;
    for (let i = 0; i < net.busCount; i++) {
      const error = linear.vmPu[i] - ac.buses[i].vmPu;
      // Neglecting losses underestimates the flows, so the linear voltages are never below the AC ones.
      expect(error).toBeGreaterThanOrEqual(-1e-12);
      worst = Math.max(worst, error);
    }
    expect(worst).toBeGreaterThan(0.0028);
    expect(worst).toBeLessThan(0.003);
  });

  it('is lossless: the slack supplies exactly the load (3.715 MW / 2.3 MVAr)', () => {
    expect(linear.pSlackMw).toBeCloseTo(3.715, 12);
    expect(linear.qSlackMvar).toBeCloseTo(2.3, 12);
  });

  // Measured on case33bw at peak load (∂|V_j|/∂p_k, buses 17, 24, 32): LinDistFlow underestimates the AC
  // sensitivities by 2–6 % (p) and 2–7 % (q) on the diagonal and 4–15 % (p) and 5–20 % (q) across laterals, because the lossless model misses that an
  // injection also cuts the losses on the shared upstream path.
  it('voltage sensitivities: right sign, below the AC finite differences by at most 7 % (own bus) / 20 % (others)', () => {
    const prepared = preparePowerFlow(case33bw, { method: 'nr' });
    const base = prepared.solveArrays();
    const buses = [17, 24, 32].map((id) => net.busIndexById.get(id)!);
    const { dVmDpPuPerMw, dVmDqPuPerMvar } = computeVoltageSensitivities(model, buses, base.vmPu);
    const deltaMw = 0.001;
    buses.forEach((k, m) => {
      const pLoad = Float64Array.from(net.pLoadMw);
      pLoad[k] -= deltaMw; // an injection increase is a load decrease
      const perturbedP = prepared.solveArrays({ pLoadMw: pLoad });
      const qLoad = Float64Array.from(net.qLoadMvar);
      qLoad[k] -= deltaMw;
      const perturbedQ = prepared.solveArrays({ qLoadMvar: qLoad });
      for (const j of buses) {
        const bound = j === k ? 0.07 : 0.2;
        const ratioP = dVmDpPuPerMw[m][j] / ((perturbedP.vmPu[j] - base.vmPu[j]) / deltaMw);
        const ratioQ = dVmDqPuPerMvar[m][j] / ((perturbedQ.vmPu[j] - base.vmPu[j]) / deltaMw);
        for (const ratio of [ratioP, ratioQ]) {
          expect(ratio).toBeGreaterThan(1 - bound);
          expect(ratio).toBeLessThan(1);
        }
      }
    });
  });

  it('branch-flow sensitivities: an injection relieves exactly the branches on its path', () => {
    const k = net.busIndexById.get(18)!;
    const onPath = new Set<number>();
    for (let u = k; u !== model.tree.order[0]; u = model.tree.parentBus[u]) onPath.add(u);
    for (let c = 0; c < net.busCount; c++) {
      if (c === model.tree.order[0]) continue;
      expect(isDownstream(model, c, k)).toBe(onPath.has(c));
    }
    const load = defaultNetLoad(net);
    load.pMw[k] -= 0.1;
    const shifted = solveLinDistFlow(model, load.pMw, load.qMvar);
    for (let c = 0; c < net.busCount; c++) {
      const expected = linear.pParentBranchMw[c] - (onPath.has(c) ? 0.1 : 0);
      expect(shifted.pParentBranchMw[c]).toBeCloseTo(expected, 12);
    }
  });
});

describe('LinDistFlow with an off-nominal transformer', () => {
  it('scales v by 1/τ² across the tap and matches the exact two-bus voltage to first order', () => {
    const network = createNetwork({
      buses: [
        { id: 'hv', type: 'slack', baseKv: 20 },
        { id: 'lv', baseKv: 0.4 },
      ],
      loads: [{ id: 'l', bus: 'lv', pMw: 0.5, qMvar: 0.1 }],
      branches: [
        { id: 't', kind: 'transformer', fromBus: 'hv', toBus: 'lv', rPu: 0.01, xPu: 0.04, tapRatio: 1.025 },
      ],
    });
    const model = buildLinDistFlow(indexNetwork(network));
    const solution = solveLinDistFlow(model);
    // v_lv = 1/τ² − 2(r·P + x·Q)/base, base 100 MVA.
    expect(solution.vSquaredPu[1]).toBeCloseTo(1 / 1.025 ** 2 - (2 * (0.01 * 0.5 + 0.04 * 0.1)) / 100, 14);
    const ac = solvePowerFlow(network);
    expect(Math.abs(solution.vmPu[1] - ac.buses[1].vmPu)).toBeLessThan(1e-5);
  });
});
