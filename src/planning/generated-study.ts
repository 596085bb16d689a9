// Small seeded planning studies on synthetic radial feeders, for the bilevel-versus-enumerate tests and benchmarks.
import { createRandom } from '../numeric/random.ts';
import type { PlanningStudy } from './study-schema.ts';

/**
 * A study on a `busCount`-bus synthetic feeder (createSyntheticRadialFeeder, ~10 MW/busCount per bus) with two
 * branch reinforcements of the trunk, a transformer upgrade and a DSO battery, and two levels per charge (one for
 * export, to keep the enumerated reference quick: 8 upgrade sets × 8 charge combinations).
 */
export function createGeneratedStudy(seed: number, busCount = 6): PlanningStudy {
  const rng = createRandom(seed);
  const draw = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  const totalLoadKw = 10_000 * 0.3;
  const investment = { lifetimeYears: 20, discountRate: 0.05 };
  return {
    version: 1,
    name: `generated-${seed}`,
    network: {
      synthetic: { busCount, seed },
      loadScale: 1,
      vmMinPu: 0.9,
      vmMaxPu: 1.06,
      branchRatingKw: draw(0.6, 0.9) * totalLoadKw,
      branchRatingsKw: {},
      transformerRatingKw: draw(0.7, 1) * totalLoadKw,
    },
    loadGrowth: { annualRate: 0.02, horizonYears: Math.floor(draw(5, 15)) },
    wholesaleEurPerKwh: Array.from({ length: 24 }, (_, h) =>
      h >= 17 && h < 21 ? 0.14 : h < 7 ? 0.06 : 0.09,
    ),
    valueOfLostLoadEurPerKwh: 5,
    existingNetworkCostEurPerYear: draw(50_000, 150_000),
    candidates: [
      {
        id: 'reinforce-1',
        kind: 'reinforce-branch',
        branchId: '1',
        addedRatingKw: 2000,
        capexEur: draw(1e5, 4e5),
        ...investment,
      },
      {
        id: 'transformer',
        kind: 'upgrade-transformer',
        addedRatingKw: 2000,
        capexEur: draw(2e5, 6e5),
        ...investment,
      },
      {
        id: 'dso-battery',
        kind: 'dso-battery',
        busId: String(busCount),
        energyKwh: 1000,
        powerKw: 500,
        efficiency: 0.9,
        capexEur: draw(2e5, 5e5),
        lifetimeYears: 12,
        discountRate: 0.05,
      },
    ],
    charges: {
      energyEurPerKwh: [0.02, 0.06],
      capacityEurPerKwYear: [0, 30],
      exportEurPerKwh: [0],
      p2pFeeEurPerKwh: [0.005, 0.02],
    },
    adoption: {
      pv: {
        capexEurPerKwp: draw(600, 1000),
        maxKwpPerKwLoad: 1.5,
        maxKwpPerKwLoadByBus: {},
        lifetimeYears: 25,
        discountRate: 0.05,
      },
      battery: {
        capexEurPerKwh: draw(250, 450),
        maxKwhPerKwLoad: 2,
        maxKwhPerKwLoadByBus: {},
        powerKwPerKwh: 0.5,
        efficiency: 0.9,
        lifetimeYears: 12,
        discountRate: 0.05,
      },
      heatPump: {
        capexEurPerUnit: 8000,
        gasSavingEurPerUnitYear: draw(400, 900),
        peakElectricKwPerUnit: 3,
        maxUnitsPerKwLoad: 0.1,
        lifetimeYears: 18,
        discountRate: 0.05,
      },
    },
    profiles: { seed, stepsPerDay: 4, representativeDays: 2 },
  };
}
