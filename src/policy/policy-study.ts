// The policy study format (version 1, zod): a system study to simulate and the terms of a capacity market and a CfD.
import { z } from 'zod';
import { COORDINATION_NAMES } from '../coordination/config.ts';
import { parseInput } from '../core/errors.ts';

const finite = () => z.number().finite();

export const policyStudySchema = z
  .object({
    policyStudyVersion: z.literal(1),
    name: z.string().min(1),
    description: z.string().optional(),
    /** A bundled system study name (`default`, `stressed`) or a path relative to this file. */
    systemStudy: z.string().min(1),
    days: z.number().int().min(1).max(31).default(1),
    /** The P2P coordination whose platforms take part (compared against the no-P2P baseline run). */
    coordination: z.enum(COORDINATION_NAMES).default('none'),
    capacityMarket: z
      .object({
        targetMw: finite().positive(),
        priceCapEurPerMwYr: finite().positive(),
        penaltyEurPerMwh: finite().nonnegative(),
        penaltyCapShareOfPayment: finite().nonnegative().default(1),
        /** Stress intervals: the hours of highest system load of each simulated baseline. */
        stressHours: z.number().int().min(1).max(744),
        /** Seeds simulated to derate the platforms' offers. */
        deratingSeeds: z.array(z.number().int().nonnegative()).min(1),
        /** The seed of the delivery year whose stress hours settle the obligations. */
        deliverySeed: z.number().int().nonnegative(),
        platformBids: z
          .array(
            z.object({
              platform: z.string().min(1),
              offeredMw: finite().positive(),
              priceEurPerMwYr: finite().nonnegative(),
            }),
          )
          .min(1),
        /** Non-platform capacity (e.g. peaking plant) with a given derating; not simulated, never penalised. */
        otherBids: z
          .array(
            z.object({
              id: z.string().min(1),
              offeredMw: finite().positive(),
              priceEurPerMwYr: finite().nonnegative(),
              deratingFactor: z.number().min(0).max(1),
            }),
          )
          .default([]),
      })
      .strict()
      .optional(),
    cfd: z
      .object({
        platform: z.string().min(1),
        strikeEurPerMwh: finite(),
        /** The reference price: the day-ahead (default) or real-time LMP at the platform's DSO bus. */
        reference: z.enum(['day-ahead', 'real-time']).default('day-ahead'),
        seed: z.number().int().nonnegative().optional(),
        counterpartyAccountId: z.string().min(1).default('cfd-counterparty'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type PolicyStudy = z.infer<typeof policyStudySchema>;

/** Validate a parsed policy study; InputError names the field path under `prefix`. */
export function parsePolicyStudy(value: unknown, prefix: readonly (string | number)[] = []): PolicyStudy {
  return parseInput(policyStudySchema, value, prefix);
}
