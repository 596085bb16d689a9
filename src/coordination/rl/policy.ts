// The `rl` policy: a small MLP from a platform's local observations to its clearing adjustments.
//
// Observation o_t (per platform interval, all local): [sin, cos of the hour angle, predicted transformer loading
// at ν = 0 (÷ 100 %), predicted min-voltage headroom (v̂min − vMin)/0.05, predicted max-voltage headroom
// (vMax − v̂max)/0.05, flat import price (÷ 0.3 EUR/kWh)] — the predictions from the platform's own model
// (`mpc/platform-model.ts`). Network: one tanh hidden layer of `hidden` units, two tanh outputs scaled by
// `scaleEurPerMwh`: the import shading and the export shading (EUR/MWh added to the flat import / export price).
import { z } from 'zod';
import { parseInput } from '../../core/errors.ts';

export const OBSERVATION_SIZE = 6;
export const ACTION_SIZE = 2;

export const policySchema = z
  .object({
    format: z.literal('gridnest-rl-policy-1'),
    hidden: z.number().int().min(1).max(64),
    scaleEurPerMwh: z.number().positive().max(10_000),
    parameters: z.array(z.number().refine(Number.isFinite, 'must be finite')),
    training: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .strict()
  .refine((p) => p.parameters.length === parameterCount(p.hidden), {
    message: 'parameters must hold (observations + 1)·hidden + (hidden + 1)·actions numbers',
    path: ['parameters'],
  });
export type Policy = z.infer<typeof policySchema>;

export function parameterCount(hidden: number): number {
  return (OBSERVATION_SIZE + 1) * hidden + (hidden + 1) * ACTION_SIZE;
}

/** Validate a policy document (InputError naming the field under `path`). */
export function parsePolicy(value: unknown, path: readonly (string | number)[] = ['policy']): Policy {
  return parseInput(policySchema, value, path);
}

/** The two adders (EUR/MWh) of observation o under parameters θ. */
export function evaluatePolicy(
  parameters: ArrayLike<number>,
  hidden: number,
  scaleEurPerMwh: number,
  o: ArrayLike<number>,
): [number, number] {
  const h = new Float64Array(hidden);
  let p = 0;
  for (let i = 0; i < hidden; i++) {
    let a = parameters[p++];
    for (let j = 0; j < OBSERVATION_SIZE; j++) a += parameters[p++] * o[j];
    h[i] = Math.tanh(a);
  }
  const out: [number, number] = [0, 0];
  for (let k = 0; k < ACTION_SIZE; k++) {
    let a = parameters[p++];
    for (let i = 0; i < hidden; i++) a += parameters[p++] * h[i];
    out[k] = scaleEurPerMwh * Math.tanh(a);
  }
  return out;
}
