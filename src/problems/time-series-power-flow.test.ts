// Tests of the time-series power flow on a two-bus feeder with closed-form voltages, losses and violations.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../grid/create-network.ts';
import { createTimeIndex } from '../time/time-index.ts';
import { solveTimeSeriesPowerFlow } from './time-series-power-flow.ts';

// Slack at 1 p.u., one resistive line r = 0.01 p.u. on 1 MVA, rated 0.09 MVA. With x = 0 and q = 0 the receiving
// voltage solves V² − V + r·P = 0 (P consumption in p.u.): V = (1 + √(1 − 4rP))/2, losses r·(P/V)².
const network = createNetwork({
  baseMva: 1,
  buses: [
    { id: 'src', baseKv: 0.4, type: 'slack' },
    { id: 'home', baseKv: 0.4, vmMaxPu: 1.0005 },
  ],
  generators: [{ id: 'g', bus: 'src' }],
  branches: [{ id: 'cable', fromBus: 'src', toBus: 'home', rPu: 0.01, xPu: 0, rateAMva: 0.09 }],
});
const index = createTimeIndex({ startUtc: '2024-06-01T12:00:00Z', stepMin: 1, length: 3 });

describe('time-series power flow', () => {
  for (const method of ['bfs', 'nr'] as const) {
    it(`${method}: matches the closed form per step and reports violations per step`, () => {
      const r = solveTimeSeriesPowerFlow(
        network,
        index,
        [{ bus: 'home', pKw: [100, -100, 10], qKvar: [0, 0, 0] }],
        {
          method,
        },
      );
      expect(r.status).toBe('converged');
      const v = (p: number) => (1 + Math.sqrt(1 - 4 * 0.01 * p)) / 2;
      expect(r.vmMinPu[0]).toBeCloseTo(v(0.1), 9);
      expect(r.vmMaxPu[1]).toBeCloseTo(v(-0.1), 9);
      expect(r.lossesKw[0]).toBeCloseTo(1000 * 0.01 * (0.1 / v(0.1)) ** 2, 6);
      expect(r.slackKw[0]).toBeCloseTo(100 + r.lossesKw[0], 6);
      // Step 0: 0.1/0.999 MVA on 0.09 → 111 % thermal; step 1: also 1.000998 p.u. > 1.0005 overvoltage; step 2 clean.
      expect(Array.from(r.violationCount)).toEqual([1, 2, 0]);
      expect(r.violations.map((x) => `${x.step}:${x.kind}:${x.element}`)).toEqual([
        '0:thermal:cable',
        '1:overvoltage:home',
        '1:thermal:cable',
      ]);
      // The sending end carries the load plus the losses: |S_from| = 0.1 MW + losses.
      expect(r.maxLoadingPercent[0]).toBeCloseTo((100 * (0.1 + 0.01 * (0.1 / v(0.1)) ** 2)) / 0.09, 6);
    });
  }

  it('rejects series on an unknown bus or of the wrong length, naming the field', () => {
    expect(() =>
      solveTimeSeriesPowerFlow(network, index, [{ bus: 'x', pKw: [1, 1, 1], qKvar: [0, 0, 0] }]),
    ).toThrow(/loads\[0\]\.bus/);
    expect(() => solveTimeSeriesPowerFlow(network, index, [{ bus: 'home', pKw: [1], qKvar: [0] }])).toThrow(
      /loads\[0\]/,
    );
  });
});
