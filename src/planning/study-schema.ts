// The planning study format (version 1): one zod schema that is the type, the validation and the documentation.
import { z } from 'zod';
import { parseInput } from '../core/errors.ts';

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const fraction = z.number().min(0).max(1);

/** Capex annualised with the capital recovery factor of (discountRate, lifetimeYears). */
const investment = {
  lifetimeYears: z.number().int().positive(),
  discountRate: fraction,
};

const networkSchema = z
  .object({
    /** A bundled case name or file path accepted by loadCase (`case33bw`), or a seeded synthetic radial feeder. */
    case: z.string().min(1).optional(),
    synthetic: z.object({ busCount: z.number().int().min(2).max(2000), seed: z.number().int() }).optional(),
    /** Multiplier on the case's bus loads (the IEEE European LV loads are 1 kW each: scale to a household peak). */
    loadScale: positive.default(1),
    vmMinPu: positive,
    vmMaxPu: positive,
    /** Thermal rating of every branch (kW, |P| ≤ rating), unless listed in branchRatingsKw by branch id. */
    branchRatingKw: positive,
    branchRatingsKw: z.record(z.string(), positive).default({}),
    /** Substation transformer rating on the feeder's import and export (kW). */
    transformerRatingKw: positive,
  })
  .strict()
  .refine((n) => (n.case === undefined) !== (n.synthetic === undefined), {
    message: 'give exactly one of case and synthetic',
  })
  .refine((n) => n.vmMinPu < n.vmMaxPu, { message: 'vmMinPu must be below vmMaxPu', path: ['vmMinPu'] });

/** Fields every candidate has: its id, capex and the annualisation of that capex. */
const candidateBase = { id: z.string().min(1), capexEur: nonNegative, ...investment };

const candidateSchema = z.discriminatedUnion('kind', [
  z
    .object({
      ...candidateBase,
      kind: z.literal('reinforce-branch'),
      /** Branch id as a string (MATPOWER branches are numbered from 1 in file order). */
      branchId: z.string().min(1),
      addedRatingKw: positive,
    })
    .strict(),
  z.object({ ...candidateBase, kind: z.literal('upgrade-transformer'), addedRatingKw: positive }).strict(),
  z
    .object({
      ...candidateBase,
      kind: z.literal('dso-battery'),
      busId: z.string().min(1),
      energyKwh: positive,
      powerKw: positive,
      efficiency: z.number().gt(0).max(1),
    })
    .strict(),
]);

/** A finite, non-empty, strictly increasing set of levels: every method searches the same space. */
const levels = z
  .array(nonNegative)
  .min(1)
  .refine((l) => l.every((v, i) => i === 0 || v > l[i - 1]), {
    message: 'levels must be strictly increasing',
  });

const chargesSchema = z
  .object({
    energyEurPerKwh: levels,
    capacityEurPerKwYear: levels,
    exportEurPerKwh: levels,
    p2pFeeEurPerKwh: levels,
  })
  .strict();

const adoptionSchema = z
  .object({
    pv: z
      .object({
        capexEurPerKwp: nonNegative,
        maxKwpPerKwLoad: nonNegative,
        /** Bus id → bound replacing maxKwpPerKwLoad there (roof space differs between buses). */
        maxKwpPerKwLoadByBus: z.record(z.string(), nonNegative).default({}),
        ...investment,
      })
      .strict(),
    battery: z
      .object({
        capexEurPerKwh: nonNegative,
        maxKwhPerKwLoad: nonNegative,
        /** Bus id → bound replacing maxKwhPerKwLoad there. */
        maxKwhPerKwLoadByBus: z.record(z.string(), nonNegative).default({}),
        /** Charge and discharge power per kWh of capacity (kW/kWh). */
        powerKwPerKwh: positive,
        efficiency: z.number().gt(0).max(1),
        ...investment,
      })
      .strict(),
    heatPump: z
      .object({
        capexEurPerUnit: nonNegative,
        gasSavingEurPerUnitYear: nonNegative,
        /** Electric demand of one heat pump at the coldest hour (kW); scaled by the heating profile. */
        peakElectricKwPerUnit: positive,
        maxUnitsPerKwLoad: nonNegative,
        ...investment,
      })
      .strict(),
  })
  .strict();

const profilesSchema = z
  .object({
    /** A synthetic hourly year (load, PV per kWp, heating) drawn from the seed; see synthetic-year.ts. */
    seed: z.number().int(),
    /** Hours per representative day after averaging consecutive hours (24, 12, 8, 6, 4, 3, 2 or 1). */
    stepsPerDay: z
      .number()
      .int()
      .min(1)
      .max(24)
      .refine((n) => 24 % n === 0, { message: 'must divide 24' }),
    representativeDays: z.number().int().min(1).max(365),
  })
  .strict();

export const planningStudySchema = z
  .object({
    version: z.literal(1),
    name: z.string().min(1),
    network: networkSchema,
    /** Peak load multiplier (1 + annualRate)^horizonYears applies to every bus load at the planning year. */
    loadGrowth: z
      .object({ annualRate: z.number().min(-0.5).max(1), horizonYears: z.number().int().min(0).max(50) })
      .strict(),
    /** Wholesale energy price per hour of day (24 values, EUR/kWh); exports are credited at the same price. */
    wholesaleEurPerKwh: z.array(nonNegative).length(24),
    valueOfLostLoadEurPerKwh: positive,
    /** Annual network cost the charges must recover before any upgrade (EUR/yr). */
    existingNetworkCostEurPerYear: nonNegative,
    candidates: z.array(candidateSchema).max(12),
    charges: chargesSchema,
    adoption: adoptionSchema,
    profiles: profilesSchema,
  })
  .strict()
  .superRefine((study, ctx) => {
    const seen = new Set<string>();
    study.candidates.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({ code: 'custom', path: ['candidates', i, 'id'], message: `duplicate id ${c.id}` });
      seen.add(c.id);
    });
  });

export type PlanningStudy = z.infer<typeof planningStudySchema>;
export type Candidate = PlanningStudy['candidates'][number];
export type ChargeType = keyof PlanningStudy['charges'];
export const CHARGE_TYPES: readonly ChargeType[] = [
  'energyEurPerKwh',
  'capacityEurPerKwYear',
  'exportEurPerKwh',
  'p2pFeeEurPerKwh',
];

/** Validate a parsed JSON document as a planning study; InputError issues name the field path (e.g. `charges.energyEurPerKwh`). */
export function parsePlanningStudy(value: unknown, prefix: readonly (string | number)[] = []): PlanningStudy {
  return parseInput(planningStudySchema, value, prefix);
}

/** Capital recovery factor r(1+r)^n / ((1+r)^n − 1); 1/n when r = 0. */
export function capitalRecoveryFactor(discountRate: number, lifetimeYears: number): number {
  if (discountRate === 0) return 1 / lifetimeYears;
  const g = (1 + discountRate) ** lifetimeYears;
  return (discountRate * g) / (g - 1);
}
