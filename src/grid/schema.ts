// Network element schemas: the single source of the TypeScript types, validation and JSON format of a network.
//
// Conventions (DESIGN.md): per-unit impedances on the network's baseMva and each bus's baseKv; injections are
// positive when generating; loads carry consumption as positive pMw/qMvar; a shunt's gMw is the active power it
// consumes at 1 p.u. voltage and its bMvar the reactive power it injects at 1 p.u. (capacitive positive, as MATPOWER).
import { z } from 'zod';

export const elementIdSchema = z.union([z.string().min(1), z.number().int()]);
export type ElementId = z.infer<typeof elementIdSchema>;

const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');
const positive = () => finite().refine((v) => v > 0, 'must be positive');
const nonNegative = () => finite().refine((v) => v >= 0, 'must be non-negative');

export const busTypeSchema = z.enum(['pq', 'pv', 'slack']);
export type BusType = z.infer<typeof busTypeSchema>;

export const busSchema = z.object({
  id: elementIdSchema,
  name: z.string().optional(),
  type: busTypeSchema.default('pq'),
  baseKv: positive(),
  /** Initial (and, at slack/PV buses with a generator, the starting) voltage magnitude. */
  vmPu: positive().default(1),
  vaDeg: finite().default(0),
  vmMinPu: nonNegative().default(0.9),
  vmMaxPu: positive().default(1.1),
  inService: z.boolean().default(true),
  zone: z.union([z.string(), z.number()]).optional(),
});
export type Bus = z.infer<typeof busSchema>;

export const loadSchema = z.object({
  id: elementIdSchema,
  bus: elementIdSchema,
  pMw: finite(),
  qMvar: finite().default(0),
  inService: z.boolean().default(true),
});
export type Load = z.infer<typeof loadSchema>;

export const shuntSchema = z.object({
  id: elementIdSchema,
  bus: elementIdSchema,
  gMw: finite().default(0),
  bMvar: finite().default(0),
  inService: z.boolean().default(true),
});
export type Shunt = z.infer<typeof shuntSchema>;

/** Polynomial cost c2·p² + c1·p + c0 in (case currency)/h with p in MW (MATPOWER model 2, up to quadratic). */
export const polynomialCostSchema = z.object({
  kind: z.literal('polynomial'),
  c2PerMw2H: finite().default(0),
  c1PerMwh: finite().default(0),
  c0PerH: finite().default(0),
});

/** Piecewise-linear cost through breakpoints (pMw ascending, costPerH), convex (MATPOWER model 1). */
export const piecewiseLinearCostSchema = z.object({
  kind: z.literal('piecewise-linear'),
  points: z
    .array(z.object({ pMw: finite(), costPerH: finite() }))
    .min(2, 'needs at least two breakpoints')
    .refine(
      (pts) => pts.every((pt, i) => i === 0 || pt.pMw > pts[i - 1].pMw),
      'breakpoints must have increasing pMw',
    ),
});

export const generatorCostSchema = z.discriminatedUnion('kind', [
  polynomialCostSchema,
  piecewiseLinearCostSchema,
]);
export type GeneratorCost = z.infer<typeof generatorCostSchema>;

export const generatorSchema = z.object({
  id: elementIdSchema,
  bus: elementIdSchema,
  pMw: finite().default(0),
  qMvar: finite().default(0),
  pMinMw: finite().default(0),
  pMaxMw: finite().default(Number.MAX_VALUE),
  qMinMvar: finite().default(-Number.MAX_VALUE),
  qMaxMvar: finite().default(Number.MAX_VALUE),
  /** Voltage magnitude setpoint at its bus (PV or slack). */
  vmSetpointPu: positive().default(1),
  inService: z.boolean().default(true),
  cost: generatorCostSchema.optional(),
});
export type Generator = z.infer<typeof generatorSchema>;

/**
 * A line or a transformer in the MATPOWER π model: series impedance rPu + j·xPu, total charging susceptance bPu,
 * off-nominal tap ratio at the from side (1 for lines) and phase shift shiftDeg (positive: from-side angle leads).
 */
export const branchSchema = z.object({
  id: elementIdSchema,
  kind: z.enum(['line', 'transformer']).default('line'),
  fromBus: elementIdSchema,
  toBus: elementIdSchema,
  rPu: finite(),
  xPu: finite(),
  bPu: finite().default(0),
  /** Long-term rating in MVA; 0 means unlimited. */
  rateAMva: nonNegative().default(0),
  tapRatio: positive().default(1),
  shiftDeg: finite().default(0),
  inService: z.boolean().default(true),
});
export type Branch = z.infer<typeof branchSchema>;

export const NETWORK_FORMAT_VERSION = 1;

export const networkSchema = z.object({
  formatVersion: z.literal(NETWORK_FORMAT_VERSION).default(NETWORK_FORMAT_VERSION),
  name: z.string().default('network'),
  baseMva: positive().default(100),
  /** Currency of generator costs; imported MATPOWER cases keep their own unit ('$' by convention). */
  costCurrency: z.string().optional(),
  buses: z.array(busSchema).min(1, 'a network needs at least one bus'),
  loads: z.array(loadSchema).default([]),
  shunts: z.array(shuntSchema).default([]),
  generators: z.array(generatorSchema).default([]),
  branches: z.array(branchSchema).default([]),
});
/** A validated network: inputs are immutable, solvers return separate result tables keyed by these ids. */
export type Network = Readonly<z.infer<typeof networkSchema>>;
export type NetworkInput = z.input<typeof networkSchema>;
