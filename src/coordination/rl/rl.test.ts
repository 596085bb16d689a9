// rl: the MLP evaluates as written by hand, policies are validated, and seeded training is reproducible.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { createTimeIndex } from '../../time/time-index.ts';
import { createCoordination } from '../index.ts';
import { emptyPlatformModel } from '../mpc/platform-model.ts';
import type { Episode } from './environment.ts';
import { episodeReturn, respond } from './environment.ts';
import { evaluatePolicy, OBSERVATION_SIZE, parameterCount, parsePolicy } from './policy.ts';
import { trainPolicy } from './train.ts';

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

  it('scores members’ welfare loss and violations by hand', () => {
    // ν = 60 EUR/MWh: e = 6 − 3 = 3 kW = the 3 kW limit; loss ½·20·3²/1000 = 0.09 EUR/h, 0.0225 EUR per 15 min.
    const r = respond(episode().data, 0, 60, 0);
    expect(r.xKw).toBeCloseTo(3, 12);
    expect(r.lossEurPerH).toBeCloseTo(0.09, 12);
    // The zero policy leaves x = 6 kW > 3 kW: both intervals break the limit, penalty 5 EUR each.
    const zero = episodeReturn([episode()], new Float64Array(parameterCount(2)), 2, 100);
    expect(zero.rewardEur).toBeCloseTo(-10, 12);
    expect(zero.violationShare).toBe(1);
  });

  it('trains reproducibly with a fixed seed (and differently with another)', () => {
    const options = {
      iterations: 3,
      pairs: 2,
      sigma: 0.1,
      learningRate: 0.05,
      hidden: 2,
      scaleEurPerMwh: 100,
    };
    const a = trainPolicy([episode()], { ...options, seed: 7 });
    const b = trainPolicy([episode()], { ...options, seed: 7 });
    const c = trainPolicy([episode()], { ...options, seed: 8 });
    expect(b.policy.parameters).toEqual(a.policy.parameters);
    expect(b.curve).toEqual(a.curve);
    expect(a.curve).toHaveLength(4);
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
