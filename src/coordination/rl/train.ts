// Offline training of the `rl` policy by a seeded evolution strategy (Salimans et al. 2017, "Evolution strategies as
// a scalable alternative to reinforcement learning", arXiv:1703.03864): antithetic Gaussian perturbations ±σε of the
// parameters θ, fitness-shaped by centred ranks, gradient step θ ← θ + α/(2Nσ)·Σ_i r_i·ε_i.
//
// Start: the hidden layer is drawn N(0, 1) and the output layer is zero, so the first policy's adders are 0 — the
// flat prices of `none`. Elitism: the best admissible θ evaluated so far (the fitness says which are admissible,
// e.g. no worse than `none` on any criterion) is what training returns, and when an iteration finds a better one the
// search restarts from it; so the trained policy never scores below the start on the training data. The fitness is
// supplied by the caller (studies/rl-training.ts runs the full simulator); pure TypeScript, one thread, and the same
// seed gives the same policy bit for bit when the fitness is deterministic.
import { createRandom, randomNormal } from '../../numeric/random.ts';
import { ACTION_SIZE, type Policy, parameterCount } from './policy.ts';

/** A candidate's score (EUR, higher is better) and whether it may be returned. */
export interface Fitness {
  readonly rewardEur: number;
  readonly admissible: boolean;
}

export type FitnessFunction = (parameters: Float64Array) => Promise<Fitness>;

export interface TrainOptions {
  readonly seed: number;
  readonly iterations: number;
  /** Antithetic pairs per iteration (population 2N). */
  readonly pairs: number;
  readonly sigma: number;
  readonly learningRate: number;
  readonly hidden: number;
  readonly scaleEurPerMwh: number;
  /** After each iteration (0: the start policy): the elite's reward and the iteration's best sample. */
  readonly onIteration?: (point: LearningCurvePoint) => void;
}

export const TRAIN_DEFAULTS = {
  iterations: 8,
  pairs: 3,
  sigma: 0.2,
  learningRate: 0.1,
  hidden: 4,
  scaleEurPerMwh: 20,
} as const;

export interface LearningCurvePoint {
  readonly iteration: number;
  /** Reward of the elite (the policy training would return now). */
  readonly eliteRewardEur: number;
  /** Best reward among this iteration's samples (the start policy's at iteration 0). */
  readonly sampleBestRewardEur: number;
  readonly evaluations: number;
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

/** The start θ: hidden layer N(0, 1) from `rng`, output layer 0 (every adder 0). */
export function startParameters(hidden: number, seed: number): Float64Array {
  const rng = createRandom(seed);
  const theta = new Float64Array(parameterCount(hidden));
  const outputStart = theta.length - (hidden + 1) * ACTION_SIZE;
  for (let i = 0; i < outputStart; i++) theta[i] = randomNormal(rng);
  return theta;
}

/** Train a policy against a fitness; returns the elite with the learning curve. */
export async function trainPolicy(
  fitness: FitnessFunction,
  options: TrainOptions,
): Promise<{ policy: Policy; curve: LearningCurvePoint[]; eliteRewardEur: number }> {
  const rng = createRandom(options.seed + 1);
  const theta = startParameters(options.hidden, options.seed);
  const size = theta.length;
  let elite = Float64Array.from(theta);
  let eliteReward = (await fitness(theta)).rewardEur;
  let evaluations = 1;
  const curve: LearningCurvePoint[] = [];
  const record = (iteration: number, sampleBest: number) => {
    const point = { iteration, eliteRewardEur: eliteReward, sampleBestRewardEur: sampleBest, evaluations };
    curve.push(point);
    options.onIteration?.(point);
  };
  record(0, eliteReward);
  for (let it = 1; it <= options.iterations; it++) {
    const noise: Float64Array[] = [];
    const rewards: number[] = [];
    let improved = false;
    for (let k = 0; k < options.pairs; k++) {
      const eps = Float64Array.from({ length: size }, () => randomNormal(rng));
      for (const sign of [1, -1]) {
        const trial = Float64Array.from(theta, (v, i) => v + sign * options.sigma * eps[i]);
        const f = await fitness(trial);
        evaluations++;
        rewards.push(f.rewardEur);
        if (f.admissible && f.rewardEur > eliteReward) {
          elite = trial;
          eliteReward = f.rewardEur;
          improved = true;
        }
      }
      noise.push(eps);
    }
    if (improved) theta.set(elite);
    else {
      const shaped = centredRanks(rewards);
      for (let k = 0; k < options.pairs; k++) {
        const w = shaped[2 * k] - shaped[2 * k + 1];
        for (let i = 0; i < size; i++)
          theta[i] += (options.learningRate / (2 * options.pairs * options.sigma)) * w * noise[k][i];
      }
    }
    record(it, Math.max(...rewards));
  }
  return {
    policy: {
      format: 'gridnest-rl-policy-1',
      hidden: options.hidden,
      scaleEurPerMwh: options.scaleEurPerMwh,
      parameters: Array.from(elite),
    },
    curve,
    eliteRewardEur: eliteReward,
  };
}
