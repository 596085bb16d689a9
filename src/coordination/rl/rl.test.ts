// rl: the MLP and the observations evaluate as written by hand, policies are validated, training starts at the
// zero policy, keeps the best admissible θ and is reproducible with a fixed seed.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { createTimeIndex } from '../../time/time-index.ts';
import { createCoordination } from '../index.ts';
import { emptyPlatformModel } from '../mpc/platform-model.ts';
import type { Episode } from './environment.ts';
import { flatNetPositionKw, observe } from './environment.ts';
import { evaluatePolicy, OBSERVATION_SIZE, parameterCount, parsePolicy } from './policy.ts';
import { type FitnessFunction, startParameters, trainPolicy } from './train.ts';

// One member (EV ê = 6 kW of [0, 10], γ = 20) behind a 3 kW transformer (loading = 100·|x|/3 %), two intervals.
function episode(): Episode {
  const model = emptyPlatformModel({ vmMinLimitPu: 0.9, vmMaxLimitPu: 1.1, loadingLimitPercent: 100 }, 1);
  model.vmMin.theta.set([1, 0, 0]);
  model.vmMax.theta.set([1, 0, 0]);
  model.loadingPercent.theta.set([0, 100 / 3, 100 / 3]);
  const fill = (v: number) => new Float64Array(2).fill(v);
  return {
    model,
    flatImportEurPerKwh: fill(0.25),
    data: {
      platformId: 'p',
      index: createTimeIndex({ startUtc: '2024-04-15T00:00:00.000Z', stepMin: 15, length: 2 }),
      members: [
        {
          baseNetKw: fill(0),
          flexibleExpectedKw: fill(6),
          flexibleMaxKw: fill(10),
          demandSlope: 20,
          pvKw: fill(0),
          curtailSlope: 1,
        },
      ],
      flatExportEurPerMwh: fill(40),
      netLoadScenariosKw: [fill(0)],
      independentSigmaKw: fill(0),
      correlatedSigmaKw: fill(0),
      rho: 1,
      reboundShare: 0,
    },
  };
}

describe('rl (trained policy, no messages)', () => {
  it('evaluates the MLP as written by hand', () => {
    // hidden = 1: h = tanh(0.5 + 1·o₀); outputs a_k = 100·tanh(b_k + w_k·h), b = (0, 0.2), w = (1, −1).
    const p = new Float64Array(parameterCount(1));
    p[0] = 0.5;
    p[1] = 1;
    p.set([0, 1, 0.2, -1], OBSERVATION_SIZE + 1);
    const o = [0.3, 0, 0, 0, 0, 0];
    const h = Math.tanh(0.8);
    const [a, b] = evaluatePolicy(p, 1, 100, o);
    expect(a).toBeCloseTo(100 * Math.tanh(h), 12);
    expect(b).toBeCloseTo(100 * Math.tanh(0.2 - h), 12);
  });

  it('observes the platform as written by hand', () => {
    // x = base 0 + ê 6 kW (export price 40 > 0: no curtailment); loading 100/3·6 = 200 %, |V| = 1 p.u. flat.
    const e = episode();
    expect(flatNetPositionKw(e.data, 0)).toBe(6);
    const o = observe(e, 1);
    const hourAngle = (2 * Math.PI * 0.25) / 24;
    const expected = [Math.sin(hourAngle), Math.cos(hourAngle), 2, 2, 2, 0.25 / 0.3];
    for (const [k, v] of expected.entries()) expect(o[k]).toBeCloseTo(v, 12);
  });

  it('starts training from the zero policy: output layer 0, every adder 0', () => {
    const theta = startParameters(3, 4);
    expect(theta).toHaveLength(parameterCount(3));
    expect(theta.subarray(0, (OBSERVATION_SIZE + 1) * 3).some((v) => v !== 0)).toBe(true);
    expect([...theta.subarray((OBSERVATION_SIZE + 1) * 3)]).toEqual(new Array(8).fill(0));
    expect(evaluatePolicy(theta, 3, 20, [1, -1, 2, 0.5, -3, 0.4])).toEqual([0, 0]);
  });

  // Fitness on one observation: reward = −(a_imp − 8)² − a_exp², admissible only while a_exp ≤ 0.
  const o = [0.5, -0.5, 1, 1, 1, 0.5];
  const fitness: FitnessFunction = async (theta) => {
    const [a, b] = evaluatePolicy(theta, 2, 20, o);
    return { rewardEur: -((a - 8) ** 2) - b * b, admissible: b <= 0 };
  };
  const options = { iterations: 4, pairs: 2, sigma: 0.5, learningRate: 0.2, hidden: 2, scaleEurPerMwh: 20 };

  it('keeps the best admissible θ, never below the zero policy', async () => {
    const seen: { reward: number; admissible: boolean }[] = [];
    const logged: FitnessFunction = async (theta) => {
      const f = await fitness(theta);
      seen.push({ reward: f.rewardEur, admissible: f.admissible });
      return f;
    };
    const r = await trainPolicy(logged, { ...options, seed: 3 });
    // 1 start + 4 iterations × 2 pairs × 2 signs evaluations; the zero policy scores −64.
    expect(seen).toHaveLength(17);
    expect(seen[0].reward).toBe(-64);
    const best = Math.max(-64, ...seen.filter((s) => s.admissible).map((s) => s.reward));
    expect(r.eliteRewardEur).toBe(best);
    expect((await fitness(Float64Array.from(r.policy.parameters))).rewardEur).toBe(best);
    expect(r.curve.map((p) => p.evaluations)).toEqual([1, 5, 9, 13, 17]);
    for (let i = 1; i < r.curve.length; i++)
      expect(r.curve[i].eliteRewardEur).toBeGreaterThanOrEqual(r.curve[i - 1].eliteRewardEur);
  });

  it('trains reproducibly with a fixed seed (and differently with another)', async () => {
    const a = await trainPolicy(fitness, { ...options, seed: 7 });
    const b = await trainPolicy(fitness, { ...options, seed: 7 });
    const c = await trainPolicy(fitness, { ...options, seed: 8 });
    expect(b.policy.parameters).toEqual(a.policy.parameters);
    expect(b.curve).toEqual(a.curve);
    expect(a.curve).toHaveLength(5);
    expect(c.policy.parameters).not.toEqual(a.policy.parameters);
  });

  it('validates policies and defaults to flat prices without one', () => {
    const bad = { format: 'gridnest-rl-policy-1', hidden: 2, scaleEurPerMwh: 100, parameters: [1, 2] };
    expect(() => parsePolicy(bad)).toThrow(InputError);
    expect(() => parsePolicy(bad)).toThrow(/policy\.parameters/);
    expect(() => createCoordination({ name: 'rl', policy: bad as never })).toThrow(/coordination\.policy/);
    expect(createCoordination('rl').config).toEqual({ name: 'rl' });
  });
});
