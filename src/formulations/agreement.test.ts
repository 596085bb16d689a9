// Agreement between formulations on shared cases, against published figures (data/README.md): LinDistFlow vs AC
// on case33bw (Baran & Wu), DC vs AC on case9 (MATPOWER printout) and case14 (IEEE CDF solution in the case file).
import { describe, expect, it } from 'vitest';
import { radToDeg } from '../core/units.ts';
import { indexNetwork } from '../grid/indexed-network.ts';
import { loadCase } from '../io/case-registry.ts';
import { preparePowerFlow } from '../problems/power-flow/index.ts';
import { AC_POLAR } from './ac-polar.ts';
import { DC } from './dc.ts';
import { LIN_DIST_FLOW, solveLinDistFlow } from './lin-dist-flow.ts';

/** The AC and DC states of one case, each from its power flow. */
function solveBoth(name: string) {
  const network = loadCase(name);
  const ac = preparePowerFlow(network, { method: 'nr' });
  const dc = preparePowerFlow(network, { method: 'dc' });
  const acArrays = ac.solveArrays();
  const dcArrays = dc.solveArrays();
  expect(acArrays.outcome.converged && dcArrays.outcome.converged).toBe(true);
  const net = ac.indexed;
  const acModel = AC_POLAR.buildModel(net);
  const dcModel = DC.buildModel(net);
  return {
    net,
    dcPrepared: dc,
    ac: { model: acModel, state: AC_POLAR.polarState(acModel, acArrays.vmPu, acArrays.vaRad) },
    dc: { model: dcModel, state: DC.polarState(dcModel, dcArrays.vmPu, dcArrays.vaRad) },
  };
}

describe('LinDistFlow vs AC polar on case33bw', () => {
  const network = loadCase('case33bw');
  const net = indexNetwork(network);
  const lin = LIN_DIST_FLOW.buildModel(net);
  const linear = LIN_DIST_FLOW.busVoltages(lin, solveLinDistFlow(lin));
  const prepared = preparePowerFlow(network, { method: 'nr' });
  const arrays = prepared.solveArrays();
  const acModel = AC_POLAR.buildModel(net);
  const ac = AC_POLAR.polarState(acModel, arrays.vmPu, arrays.vaRad);

  it('voltages above AC by at most the known 0.00284 p.u. (at bus 18, the end of the main feeder)', () => {
    let worst = 0;
    let worstBus = -1;
    for (let i = 0; i < net.busCount; i++) {
      const error = linear.vmPu[i] - ac.vmPu[i];
      // Neglecting losses underestimates every flow, so LinDistFlow never lies below AC.
      expect(error).toBeGreaterThanOrEqual(-1e-12);
      if (error > worst) [worst, worstBus] = [error, i];
    }
    expect(worst.toFixed(5)).toBe('0.00284');
    expect(net.busIds[worstBus]).toBe(18);
  });

  it('the same error against the published voltage profile (buses 16, 17, 18, 33)', () => {
    const published: [number, number][] = [
      [16, 0.91572476],
      [17, 0.913697546],
      [18, 0.913090479],
      [33, 0.916589822],
    ];
    for (const [id, vm] of published) {
      const error = linear.vmPu[net.busIndexById.get(id)!] - vm;
      expect(error).toBeGreaterThan(0);
      expect(Number(error.toFixed(5))).toBeLessThanOrEqual(0.00284);
    }
  });

  // The lossless model misses that an injection also cuts the losses upstream, so its sensitivities are smaller:
  // measured 2–6 % (p) / 2–7 % (q) on the diagonal and up to 15 % / 20 % across laterals (lin-dist-flow.test.ts).
  it('voltage sensitivities below the AC Jacobian ones by at most 7 % (own bus) / 20 % (others)', () => {
    const buses = [17, 24, 32].map((id) => net.busIndexById.get(id)!);
    const exact = AC_POLAR.voltageSensitivities(acModel, ac, buses);
    const approximate = LIN_DIST_FLOW.voltageSensitivities(lin, ac, buses);
    buses.forEach((k, m) => {
      for (const j of buses) {
        const bound = j === k ? 0.07 : 0.2;
        for (const [a, e] of [
          [approximate.dVmDpPuPerMw[m][j], exact.dVmDpPuPerMw[m][j]],
          [approximate.dVmDqPuPerMvar[m][j], exact.dVmDqPuPerMvar[m][j]],
        ]) {
          expect(a / e).toBeGreaterThan(1 - bound);
          expect(a / e).toBeLessThan(1);
        }
      }
    });
  });
});

// DC vs AC. The DC model drops the series losses L that the AC slack supplies (besides |V| = 1 and r = 0). To first
// order the AC state is the DC state with the losses consumed at the buses, ΔP ≥ 0 with Σ ΔP = L, so
//   angles: |Δθ_i| = |Σ_j X_ij·ΔP_j| ≤ max_i X_ii · L / baseMva, X = (reduced Bbus)⁻¹ (entrywise non-negative, its
//           largest entries on the diagonal, X_ii = ∂θ_i/∂p_i·baseMva from the DC power flow itself);
//   flows:  |ΔP_b| = |Σ_j PTDF_bj·ΔP_j| ≤ L, since |PTDF| ≤ 1.
// L is the published figure; angles are compared with the published ones (plus half their last printed digit).
describe('DC vs AC polar against published figures', () => {
  const cases = [
    {
      name: 'case9',
      // MATPOWER printout: series losses 4.64 MW; angles at every bus to 0.001°.
      lossesMw: 4.64 + 0.005,
      anglesDeg: [0, 9.28, 4.665, -2.217, -3.687, 1.967, 0.728, 3.72, -3.989],
      angleDigitDeg: 0.0005,
    },
    {
      name: 'case14',
      // MATPOWER 7.1: slack 232.3932723532577 MW + 40 MW at bus 2 − 259 MW load; angles from the IEEE CDF solution.
      lossesMw: 232.3932723532577 + 40 - 259,
      anglesDeg: [
        0, -4.98, -12.72, -10.33, -8.78, -14.22, -13.37, -13.36, -14.94, -15.1, -14.79, -15.07, -15.16,
        -16.04,
      ],
      angleDigitDeg: 0.005,
    },
  ];
  for (const { name, lossesMw, anglesDeg, angleDigitDeg } of cases) {
    const { net, dcPrepared, ac, dc } = solveBoth(name);
    const base = dcPrepared.solveArrays();
    // X_ii from the DC power flow: the angle change at i per MW injected at i (× baseMva).
    let maxSelfReactancePu = 0;
    for (let i = 0; i < net.busCount; i++) {
      const pLoadMw = Float64Array.from(net.pLoadMw);
      pLoadMw[i] -= 1;
      const dTheta = dcPrepared.solveArrays({ pLoadMw }).vaRad[i] - base.vaRad[i];
      maxSelfReactancePu = Math.max(maxSelfReactancePu, dTheta * net.baseMva);
    }
    const angleBoundDeg = radToDeg((maxSelfReactancePu * lossesMw) / net.baseMva) + angleDigitDeg;

    it(`${name}: DC angles within max X_ii·L = ${angleBoundDeg.toFixed(3)}° of the published AC angles`, () => {
      const dcAngles = DC.busVoltages(dc.model, dc.state).vaRad;
      anglesDeg.forEach((published, i) => {
        expect(Math.abs(radToDeg(dcAngles[i]) - published)).toBeLessThanOrEqual(angleBoundDeg);
      });
    });

    it(`${name}: DC branch flows within the published losses L = ${lossesMw.toFixed(3)} MW of AC`, () => {
      const dcFlows = DC.branchFlows(dc.model, dc.state);
      const acFlows = AC_POLAR.branchFlows(ac.model, ac.state);
      for (let k = 0; k < net.branchCount; k++) {
        expect(Math.abs(dcFlows.pFromMw[k] - acFlows.pFromMw[k])).toBeLessThanOrEqual(lossesMw);
      }
    });
  }
});
