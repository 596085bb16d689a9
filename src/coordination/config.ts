// Configuration of the coordination mechanisms: one zod schema per mechanism's options, one discriminated config.
//
// A mechanism is built from its configuration (`createCoordination(config)` in index.ts). Options are optional in
// the schemas; their defaults live here, once, and are merged by `resolveCoordinationConfig` at the entry, so the
// study file (`simulation.coordination`), the CLI (`gridnest simulate --risk --scenarios`) and library callers
// all get the same defaults and the same validation (an InputError naming the field path).
import { z } from 'zod';
import { parseInput } from '../core/errors.ts';
import { type Policy, policySchema } from './rl/policy.ts';

/** Coordination names (DESIGN.md). */
export const COORDINATION_NAMES = [
  'none',
  'dso-pricing',
  'negotiation',
  'centralised',
  'mpc',
  'rl',
  'negotiation+mpc',
  'dso-pricing+mpc',
] as const;
export type CoordinationName = (typeof COORDINATION_NAMES)[number];

/** Defaults of the `dso-pricing` options. */
export const DSO_PRICING_DEFAULTS = {
  /** Allowed probability ε that an interval breaks any limit of a feeder. */
  riskLevel: 0.05,
  /** Net-load scenarios per feeder-day (the issue-6 study uses 100; 24 keep a feeder-day near one second). */
  scenarioCount: 24,
} as const;

const finite = () =>
  z.number({ error: 'must be a number' }).refine(Number.isFinite, 'must be a finite number');

/** Field schemas of the `dso-pricing` options (also used by the CLI to check option values). */
export const dsoPricingFieldSchemas = {
  riskLevel: finite().refine((v) => v > 0 && v < 1, 'must lie in (0, 1)'),
  scenarioCount: z.number({ error: 'must be a number' }).int('must be a whole number').min(1).max(10_000),
} as const;

/** Options of the `dso-pricing` mechanism; each is optional (DSO_PRICING_DEFAULTS). */
export const dsoPricingOptionsSchema = z
  .object({
    riskLevel: dsoPricingFieldSchemas.riskLevel.optional(),
    scenarioCount: dsoPricingFieldSchemas.scenarioCount.optional(),
  })
  .strict();
export type DsoPricingOptions = z.infer<typeof dsoPricingOptionsSchema>;

/** Defaults of the `negotiation` options (coordination/negotiation/README.md). */
export const NEGOTIATION_DEFAULTS = {
  /** Round cap of one gate. */
  maxRounds: 200,
  /** Simulated duration of one round (s) and the gate deadline (min): at most deadline / round rounds. */
  roundSeconds: 10,
  gateDeadlineMinutes: 30,
  /** Primal (kW per feeder replica) and dual (EUR/MWh) residual tolerances of the stopping rule. */
  toleranceKw: 0.05,
  toleranceEurPerMwh: 0.5,
  /** Bounded delay: the DSO updates only with offers answering a counter-offer at most this many rounds old. */
  maxStaleRounds: 2,
  /** A controller repeats its last message when it heard nothing new for this many rounds. */
  resendAfterRounds: 2,
  /** Seeded message loss probability and largest delay (rounds) of the negotiation transport. */
  lossProbability: 0,
  maxDelayRounds: 0,
  /** Share of members' remaining flexible power the platforms add to their envelopes' upper quantile (rebound). */
  reboundShare: 0,
  /** Cap on the negotiated price adder |λ| (EUR/MWh). */
  priceCapEurPerMwh: 500,
} as const;

const positive = () => finite().refine((v) => v > 0, 'must be positive');
const count = () => z.number({ error: 'must be a number' }).int('must be a whole number').min(0).max(100_000);

/** Options of the `negotiation` mechanism; each is optional (NEGOTIATION_DEFAULTS). */
export const negotiationOptionsSchema = z
  .object({
    maxRounds: count()
      .refine((v) => v >= 1, 'must be at least 1')
      .optional(),
    roundSeconds: positive().optional(),
    gateDeadlineMinutes: positive().optional(),
    toleranceKw: positive().optional(),
    toleranceEurPerMwh: positive().optional(),
    maxStaleRounds: count().optional(),
    resendAfterRounds: count()
      .refine((v) => v >= 1, 'must be at least 1')
      .optional(),
    lossProbability: finite()
      .refine((v) => v >= 0 && v < 1, 'must lie in [0, 1)')
      .optional(),
    maxDelayRounds: count().optional(),
    priceCapEurPerMwh: positive().optional(),
    reboundShare: finite()
      .refine((v) => v >= 0 && v <= 1, 'must lie in [0, 1]')
      .optional(),
  })
  .strict();
export type NegotiationOptions = z.infer<typeof negotiationOptionsSchema>;
/**
 * The study's `simulation.coordination` section: the `dso-pricing` options at its top level (they apply to that
 * run) and `negotiation: { toleranceKw?, maxRounds?, lossProbability?, maxDelayRounds?, … }` (NEGOTIATION_DEFAULTS),
 * applied to the negotiation runs; `simulate --message-loss / --max-delay-rounds` override the study.
 */
export const coordinationOptionsSchema = dsoPricingOptionsSchema
  .extend({ negotiation: negotiationOptionsSchema.optional() })
  .strict();
export type CoordinationOptions = z.infer<typeof coordinationOptionsSchema>;
export type ResolvedNegotiationOptions = { readonly [K in keyof typeof NEGOTIATION_DEFAULTS]: number };

/** Defaults of the `mpc` options (coordination/mpc/README.md). */
export const MPC_DEFAULTS = {
  /** Safety margin of the predicted limits in residual standard deviations of the platform's models. */
  marginSigmas: 1.64,
  /** Cap on a platform's own price adder |ν| (EUR/MWh). */
  priceCapEurPerMwh: 500,
  /** RLS forgetting factor per measurement (1 = never forget). */
  forgetting: 0.995,
  /** Share of members' unused flexible power counted on the import side (the HEMS rebound). */
  reboundShare: 1,
} as const;

/** Options of the `mpc` mechanism; each is optional (MPC_DEFAULTS). */
export const mpcOptionsSchema = z
  .object({
    marginSigmas: finite()
      .refine((v) => v >= 0 && v <= 10, 'must lie in [0, 10]')
      .optional(),
    priceCapEurPerMwh: positive().optional(),
    forgetting: finite()
      .refine((v) => v > 0 && v <= 1, 'must lie in (0, 1]')
      .optional(),
    reboundShare: finite()
      .refine((v) => v >= 0 && v <= 1, 'must lie in [0, 1]')
      .optional(),
  })
  .strict();
export type MpcOptions = z.infer<typeof mpcOptionsSchema>;
export type ResolvedMpcOptions = { readonly [K in keyof typeof MPC_DEFAULTS]: number };

/** Defaults of the hybrids' own options (coordination/hybrids.ts). */
export const HYBRID_DEFAULTS = {
  /** dso-pricing+mpc: hours between the DSO's price updates (K). */
  priceUpdateHours: 4,
  /** dso-pricing+mpc: 'mpc' — a platform's MPC prices an interval where more restrictive than the latest DSO price;
   *  'hold' — the latest DSO price alone (dso-pricing with late prices). */
  betweenUpdates: 'mpc' as 'mpc' | 'hold',
};

/** The defaults of `negotiation+mpc`: the MPC's and the negotiation's, the MPC's rebound share as `mpcReboundShare`. */
export function negotiationPlusMpcDefaults() {
  const { reboundShare, ...mpc } = MPC_DEFAULTS;
  return { ...mpc, ...NEGOTIATION_DEFAULTS, mpcReboundShare: reboundShare };
}

/**
 * Options of `negotiation+mpc`: the negotiation's and the MPC's (shared priceCapEurPerMwh). Both have a rebound
 * share with different defaults (negotiation's envelopes 0, MPC's prediction 1): `reboundShare` is the
 * negotiation's, `mpcReboundShare` the MPC fill's.
 */
export const negotiationPlusMpcOptionsSchema = negotiationOptionsSchema
  .extend(mpcOptionsSchema.omit({ reboundShare: true }).shape)
  .extend({ mpcReboundShare: mpcOptionsSchema.shape.reboundShare })
  .strict();
export type NegotiationPlusMpcOptions = z.infer<typeof negotiationPlusMpcOptionsSchema>;

/** Options of `dso-pricing+mpc`: dso-pricing's, the MPC's and the update period K. */
export const dsoPricingPlusMpcOptionsSchema = dsoPricingOptionsSchema
  .extend(mpcOptionsSchema.shape)
  .extend({
    priceUpdateHours: finite()
      .refine((v) => v > 0 && v <= 24, 'must lie in (0, 24]')
      .optional(),
    betweenUpdates: z.enum(['mpc', 'hold']).optional(),
  })
  .strict();
export type DsoPricingPlusMpcOptions = z.infer<typeof dsoPricingPlusMpcOptionsSchema>;

/** Options of `rl`: the trained policy (rl/policy.ts); without one the adjustments are zero. */
export const rlOptionsSchema = z.object({ policy: policySchema.optional() }).strict();
export type RlOptions = z.infer<typeof rlOptionsSchema>;
export interface ResolvedRlOptions {
  readonly policy?: Policy;
}

/** Validate `rl` options (InputError under `path`). */
export function resolveRlOptions(
  options: unknown = {},
  path: readonly (string | number)[] = ['coordination'],
): ResolvedRlOptions {
  return parseInput(rlOptionsSchema, options ?? {}, path);
}

/** `{ name: 'none' } | { name: 'dso-pricing', riskLevel?, scenarioCount? } | { name: 'negotiation', … } | { name: 'centralised' }`. */
export const coordinationConfigSchema = z.discriminatedUnion(
  'name',
  [
    z.object({ name: z.literal('none') }).strict(),
    dsoPricingOptionsSchema.extend({ name: z.literal('dso-pricing') }).strict(),
    negotiationOptionsSchema.extend({ name: z.literal('negotiation') }).strict(),
    z.object({ name: z.literal('centralised') }).strict(),
    mpcOptionsSchema.extend({ name: z.literal('mpc') }).strict(),
    negotiationPlusMpcOptionsSchema.extend({ name: z.literal('negotiation+mpc') }).strict(),
    dsoPricingPlusMpcOptionsSchema.extend({ name: z.literal('dso-pricing+mpc') }).strict(),
    rlOptionsSchema.extend({ name: z.literal('rl') }).strict(),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `unknown coordination ${JSON.stringify((issue.input as { name?: unknown } | undefined)?.name)}; expected one of ${COORDINATION_NAMES.join(', ')}`
        : undefined,
  },
);
export type CoordinationConfig = z.infer<typeof coordinationConfigSchema>;

/** A configuration with every default filled in. */
export type ResolvedCoordinationConfig =
  | { readonly name: 'none' }
  | ({ readonly name: 'dso-pricing' } & ResolvedDsoPricingOptions)
  | ({ readonly name: 'negotiation' } & ResolvedNegotiationOptions)
  | { readonly name: 'centralised' }
  | ({ readonly name: 'mpc' } & ResolvedMpcOptions)
  | ({ readonly name: 'negotiation+mpc' } & ResolvedNegotiationOptions & ResolvedMpcOptions)
  | ({ readonly name: 'rl' } & ResolvedRlOptions)
  | ({ readonly name: 'dso-pricing+mpc' } & ResolvedDsoPricingOptions &
      ResolvedMpcOptions & { readonly priceUpdateHours: number; readonly betweenUpdates: 'mpc' | 'hold' });
export interface ResolvedDsoPricingOptions {
  readonly riskLevel: number;
  readonly scenarioCount: number;
}

/** Validate `dso-pricing` options (InputError under `path`) and merge the defaults. */
export function resolveDsoPricingOptions(
  options: unknown = {},
  path: readonly (string | number)[] = ['coordination'],
): ResolvedDsoPricingOptions {
  return { ...DSO_PRICING_DEFAULTS, ...parseInput(dsoPricingOptionsSchema, options ?? {}, path) };
}

/**
 * Validate a coordination config (InputError naming e.g. `coordination.riskLevel`) and merge the defaults. A bare
 * name is shorthand for `{ name }`.
 */
export function resolveCoordinationConfig(
  config: unknown,
  path: readonly (string | number)[] = ['coordination'],
): ResolvedCoordinationConfig {
  const parsed = parseInput(
    coordinationConfigSchema,
    typeof config === 'string' ? { name: config } : config,
    path,
  );
  switch (parsed.name) {
    case 'none':
    case 'centralised':
      return { name: parsed.name };
    case 'negotiation': {
      const { name, ...options } = parsed;
      return { name, ...NEGOTIATION_DEFAULTS, ...options };
    }
    case 'mpc': {
      const { name, ...options } = parsed;
      return { name, ...MPC_DEFAULTS, ...options };
    }
    case 'negotiation+mpc': {
      const { name, ...options } = parsed;
      return { name, ...negotiationPlusMpcDefaults(), ...options };
    }
    case 'rl': {
      const { name, ...options } = parsed;
      return { name, ...options };
    }
    case 'dso-pricing+mpc': {
      const { name, ...options } = parsed;
      return { name, ...MPC_DEFAULTS, ...DSO_PRICING_DEFAULTS, ...HYBRID_DEFAULTS, ...options };
    }
    case 'dso-pricing': {
      const { name, ...options } = parsed;
      return { name, ...resolveDsoPricingOptions(options, path) };
    }
  }
}
