// Configuration of the coordination mechanisms: one zod schema per mechanism's options, one discriminated config.
//
// A mechanism is built from its configuration (`createCoordination(config)` in index.ts). Options are optional in
// the schemas; their defaults live here, once, and are merged by `resolveCoordinationConfig` at the entry, so the
// study file (`simulation.coordination`), the CLI (`gridnest simulate --risk --scenarios`) and library callers
// all get the same defaults and the same validation (an InputError naming the field path).
import { z } from 'zod';
import { parseInput } from '../core/errors.ts';

/** Coordination names (DESIGN.md); `negotiation` and `predictive` are not implemented yet. */
export const COORDINATION_NAMES = ['none', 'dso-pricing'] as const;
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

/**
 * The study's `simulation.coordination` section: options of the mechanisms a simulation runs. Only `dso-pricing`
 * has options so far; they apply to its run.
 */
export const coordinationOptionsSchema = dsoPricingOptionsSchema;
export type CoordinationOptions = DsoPricingOptions;

/** `{ name: 'none' } | { name: 'dso-pricing', riskLevel?, scenarioCount? }`. */
export const coordinationConfigSchema = z.discriminatedUnion(
  'name',
  [
    z.object({ name: z.literal('none') }).strict(),
    dsoPricingOptionsSchema.extend({ name: z.literal('dso-pricing') }).strict(),
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
  | ({ readonly name: 'dso-pricing' } & ResolvedDsoPricingOptions);
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
  if (parsed.name === 'none') return { name: 'none' };
  const { name, ...options } = parsed;
  return { name, ...resolveDsoPricingOptions(options, path) };
}
