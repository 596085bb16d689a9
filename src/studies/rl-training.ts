// The rl training fitness of a study: the full simulator (every market stage, real-time power flows and the TSO's
// real-time dispatch) on the study's training days, scored as the evaluation scores a run (value/README.md).
//
// The reference is the same days under `none`. A candidate θ runs `rl` with that policy; with W the welfare
// (− real-time generation cost, EUR) and V the violation intervals (LV voltage + LV thermal + MV),
//   reward = (W − W_none) − VIOLATION_PENALTY_EUR·(V − V_none)   (EUR, higher is better),
// admissible when W ≥ W_none and V ≤ V_none (no worse than `none` on either criterion).

import { createCoordination } from '../coordination/index.ts';
import type { CoordinationMechanism } from '../coordination/mechanism.ts';
import type { Fitness, FitnessFunction } from '../coordination/rl/train.ts';
import { simulateSystem } from '../hierarchy/engine.ts';
import type { SystemModel } from '../hierarchy/system-model.ts';
import { summariseRun } from '../value/run-summary.ts';

/** EUR per violation interval in the reward (what keeping one feeder or MV interval within limits is worth). */
export const VIOLATION_PENALTY_EUR = 10;

export interface RunScore {
  readonly welfareEur: number;
  readonly violationIntervals: number;
}

async function scoreRun(model: SystemModel, mechanism: CoordinationMechanism): Promise<RunScore> {
  const result = await simulateSystem(model, {
    coordination: mechanism,
    isBaseline: false,
    recordProsumers: false,
  });
  const { summary } = summariseRun(model, mechanism.name, result);
  return { welfareEur: summary.welfareEur, violationIntervals: summary.violationIntervals };
}

/** Reward and admissibility of a run against the `none` reference (module comment). */
export function scoreAgainst(reference: RunScore, run: RunScore): Fitness {
  return {
    rewardEur:
      run.welfareEur -
      reference.welfareEur -
      VIOLATION_PENALTY_EUR * (run.violationIntervals - reference.violationIntervals),
    admissible:
      run.welfareEur >= reference.welfareEur && run.violationIntervals <= reference.violationIntervals,
  };
}

/** The simulator fitness of a resolved study (its days are the training days) and the `none` reference score. */
export async function simulatorFitness(
  model: SystemModel,
  hidden: number,
  scaleEurPerMwh: number,
): Promise<{ fitness: FitnessFunction; reference: RunScore }> {
  const reference = await scoreRun(model, createCoordination('none'));
  const fitness: FitnessFunction = async (parameters) => {
    const policy = {
      format: 'gridnest-rl-policy-1' as const,
      hidden,
      scaleEurPerMwh,
      parameters: Array.from(parameters),
    };
    return scoreAgainst(reference, await scoreRun(model, createCoordination({ name: 'rl', policy })));
  };
  return { fitness, reference };
}
