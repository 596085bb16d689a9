// Offline training of the `rl` policy by a seeded evolution strategy (Salimans et al. 2017, "Evolution strategies as
// a scalable alternative to reinforcement learning", arXiv:1703.03864): antithetic Gaussian perturbations ±σε of the
// parameters θ, fitness-shaped by centred ranks, gradient step θ ← θ + α/(2Nσ)·Σ_i r_i·ε_i. Pure TypeScript, one
// thread; the same seed gives the same policy bit for bit.
import { createRandom, randomNormal } from '../../numeric/random.ts';
import { type Episode, episodeReturn } from './environment.ts';
import { type Policy, parameterCount } from './policy.ts';

export interface TrainOptions {
  readonly seed: number;
  readonly iterations: number;
  /** Antithetic pairs per iteration (population 2N). */
  readonly pairs: number;
  readonly sigma: number;
  readonly learningRate: number;
  readonly hidden: number;
  readonly scaleEurPerMwh: number;
  readonly onIteration?: (iteration: number, rewardEur: number) => void;
}

export const TRAIN_DEFAULTS = {
  iterations: 60,
  pairs: 8,
  sigma: 0.1,
  learningRate: 0.05,
  hidden: 8,
  scaleEurPerMwh: 200,
} as const;

export interface LearningCurvePoint {
  readonly iteration: number;
  readonly rewardEur: number;
  readonly violationShare: number;
}

/** Centred ranks in [−0.5, 0.5] (fitness shaping). */
function centredRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(values.length);
  order.forEach(([, i], rank) => {
    out[i] = values.length > 1 ? rank / (values.length - 1) - 0.5 : 0;
  });
  return out;
}

/** Train a policy on episodes; returns it with the learning curve (reward of θ before each step and at the end). */
export function trainPolicy(
  episodes: readonly Episode[],
  options: TrainOptions,
): { policy: Policy; curve: LearningCurvePoint[] } {
  const rng = createRandom(options.seed);
  const size = parameterCount(options.hidden);
  const theta = Float64Array.from({ length: size }, () => 0.1 * randomNormal(rng));
  const evaluate = (p: ArrayLike<number>) =>
    episodeReturn(episodes, p, options.hidden, options.scaleEurPerMwh);
  const curve: LearningCurvePoint[] = [];
  const trial = new Float64Array(size);
  for (let it = 0; it <= options.iterations; it++) {
    const now = evaluate(theta);
    curve.push({ iteration: it, rewardEur: now.rewardEur, violationShare: now.violationShare });
    options.onIteration?.(it, now.rewardEur);
    if (it === options.iterations) break;
    const noise: Float64Array[] = [];
    const rewards: number[] = [];
    for (let k = 0; k < options.pairs; k++) {
      const eps = Float64Array.from({ length: size }, () => randomNormal(rng));
      for (const sign of [1, -1]) {
        for (let i = 0; i < size; i++) trial[i] = theta[i] + sign * options.sigma * eps[i];
        rewards.push(evaluate(trial).rewardEur);
      }
      noise.push(eps);
    }
    const shaped = centredRanks(rewards);
    for (let k = 0; k < options.pairs; k++) {
      const w = shaped[2 * k] - shaped[2 * k + 1];
      for (let i = 0; i < size; i++)
        theta[i] += (options.learningRate / (2 * options.pairs * options.sigma)) * w * noise[k][i];
    }
  }
  return {
    policy: {
      format: 'gridnest-rl-policy-1',
      hidden: options.hidden,
      scaleEurPerMwh: options.scaleEurPerMwh,
      parameters: Array.from(theta),
    },
    curve,
  };
}
