// mpc: RLS identifies an affine model exactly; with the exact model of one platform behind one transformer the
// platform's own adder is the centralised optimum's price (hand-derived KKT values).
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { createTimeIndex } from '../../time/time-index.ts';
import { createCoordination } from '../index.ts';
import type { NegotiationPlatformData } from '../negotiation/platform-agent.ts';
import { emptyPlatformModel, observePlatform, type PlatformModel } from './platform-model.ts';
import { solveDayAdders, solveIntervalAdder } from './receding-horizon.ts';
import { createRls, predictRls, updateRls } from './recursive-least-squares.ts';

const settings = { marginSigmas: 0, priceCapEurPerMwh: 500 };

// One member: EV ê = 6 kW (t = 0) / 0 kW (t = 1), range [0, 10] kW, γ = 20 EUR/MWh per kW; at t = 1 a PV surplus of
// 10 kW with curtailment slope κ = 2 EUR/MWh per kW; flat export price 40 EUR/MWh.
const data: NegotiationPlatformData = {
  platformId: 'p',
  index: createTimeIndex({ startUtc: '2024-04-15T00:00:00.000Z', stepMin: 15, length: 2 }),
  members: [
    {
      baseNetKw: Float64Array.from([0, -10]),
      flexibleExpectedKw: Float64Array.from([6, 0]),
      flexibleMaxKw: Float64Array.from([10, 10]),
      demandSlope: 20,
      pvKw: Float64Array.from([0, 10]),
      curtailSlope: 2,
    },
  ],
  flatExportEurPerMwh: Float64Array.from([40, 40]),
  netLoadScenariosKw: [new Float64Array(2)],
  independentSigmaKw: new Float64Array(2),
  correlatedSigmaKw: new Float64Array(2),
  rho: 1,
  reboundShare: 0,
};

/** The exact model of a lossless transformer of 3 kW (unity power factor): loading = 100·|x|/3 %, flat voltage. */
function exactModel(): PlatformModel {
  const model = emptyPlatformModel({ vmMinLimitPu: 0.9, vmMaxLimitPu: 1.1, loadingLimitPercent: 100 }, 1);
  model.vmMin.theta.set([1, 0, 0]);
  model.vmMax.theta.set([1, 0, 0]);
  // Features are [1, x⁺, x⁻] in kW: 100 %/3 kW.
  model.loadingPercent.theta.set([0, 100 / 3, 100 / 3]);
  return model;
}

describe('mpc (predictive coordination without messages)', () => {
  it('RLS recovers an affine model from noiseless measurements', () => {
    const s = createRls([0, 0], 1e6, 1);
    for (const x of [-2, -1, 0, 1, 2, 3]) updateRls(s, [1, x], 2 + 3 * x);
    expect(s.theta[0]).toBeCloseTo(2, 4);
    expect(s.theta[1]).toBeCloseTo(3, 4);
    expect(predictRls(s, [1, 10])).toBeCloseTo(32, 3);
  });

  it('with the exact model equals the centralised optimum of one platform behind one transformer', () => {
    // max W(x) s.t. |x| ≤ 3 kW. t = 0: X(0) = 6 > 3, so x* = 3 and ν = γ(ê − x*) = 20·3 = 60 EUR/MWh.
    // t = 1: X(0) = −10 < −3, so x* = −3: e + u = 7 with e = −ν/20, u = −(40 + ν)/2 (ν < −40)
    // ⇒ −0.55ν − 20 = 7 ⇒ ν = −27/0.55 = −49.0909 EUR/MWh.
    const adders = solveDayAdders(data, exactModel(), settings);
    expect(adders[0]).toBeCloseTo(60, 3);
    expect(adders[1]).toBeCloseTo(-27 / 0.55, 3);
  });

  it('leaves prices flat when the model predicts no limit binds, and stops at the price cap', () => {
    const loose = exactModel();
    loose.loadingPercent.theta.set([0, 100 / 20, 100 / 20]); // 20 kW transformer
    expect(solveIntervalAdder(data, loose, 0, settings)).toBe(0);
    const tiny = exactModel();
    tiny.vmMin.theta.set([0.5, 0, 0]); // predicted 0.5 p.u. whatever the position: never feasible
    expect(solveIntervalAdder(data, tiny, 0, { ...settings, priceCapEurPerMwh: 80 })).toBe(80);
  });

  it('learns the transformer online from metered intervals and then prices like the exact model', () => {
    // Prior: voltages right, transformer unknown (loading predicted 0 %), so prices stay flat at first.
    const model = exactModel();
    model.loadingPercent.theta.set([0, 0, 0]);
    expect(solveIntervalAdder(data, model, 0, settings)).toBe(0);
    for (const x of [-8, -5, -2, 1, 4, 7])
      observePlatform(model, {
        netPositionKw: x,
        vmMinPu: 1,
        vmMaxPu: 1,
        transformerLoadingPercent: (100 * Math.abs(x)) / 3,
      });
    expect(solveIntervalAdder(data, model, 0, settings)).toBeCloseTo(60, 2);
  });

  it('is configured through createCoordination, rejects bad options and sends no messages', () => {
    const mpc = createCoordination({ name: 'mpc', marginSigmas: 0 });
    expect(mpc.config).toEqual({
      name: 'mpc',
      marginSigmas: 0,
      priceCapEurPerMwh: 500,
      forgetting: 0.995,
      reboundShare: 1,
    });
    expect(mpc.negotiationStats?.()).toEqual({ rounds: 0, messages: 0, bytes: 0 });
    expect(() => createCoordination({ name: 'mpc', forgetting: 2 })).toThrow(InputError);
    expect(() => createCoordination({ name: 'mpc', forgetting: 2 })).toThrow(/coordination\.forgetting/);
  });
});
