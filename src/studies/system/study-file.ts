// The system study file (studyFormatVersion 1): a short, versioned JSON recipe — transmission case, DSOs, LV sites
// with their DER mixes — that the scenario generator expands into a full system study document.
import { z } from 'zod';
import { parseInput } from '../../core/errors.ts';
import { DEFAULT_DER_MIX } from '../../scenario/draw-household.ts';
import { pvOrientationSchema } from '../../scenario/schema.ts';
import { buildDefaultSystemStudy, type SystemStudyInput } from './build-system-study.ts';

export const STUDY_FORMAT_VERSION = 1;

const share = () =>
  z
    .number()
    .refine(Number.isFinite, 'must be a finite number')
    .refine((v) => v >= 0 && v <= 1, 'must lie in [0, 1]');

/** Shares of households owning each DER (scenario/README.md); omitted fields take DEFAULT_DER_MIX's value. */
const derMixSchema = z
  .object({
    pvShare: share(),
    batteryShareOfPv: share(),
    evShare: share(),
    heatPumpShare: share(),
    shiftableShare: share(),
    localPremiumShare: share(),
    energyPoorShare: share(),
    /** Range of PV sizes drawn (kWp). */
    pvKwpMin: z.number().min(0).max(1000),
    pvKwpMax: z.number().min(0).max(1000),
  })
  .partial()
  .strict();

const siteSchema = z
  .object({
    /** CIGRE MV bus the LV feeder hangs from, e.g. "Bus 5". */
    bus: z.string().min(1),
    /** Identical feeders the simulated one stands for. */
    replicas: z.number().int().min(1).max(100_000),
    /** Label of the DER mix (reports). */
    mixName: z.string().min(1),
    mix: derMixSchema.default({}),
    /** LV network id (default `lv-<bus>`, e.g. `lv-bus5`). */
    id: z.string().min(1).optional(),
    /** PV module orientation of the site's households (default: the horizontal bundled PV shape). */
    pvOrientation: pvOrientationSchema.optional(),
    /** `feeder`: the IEEE LV feeder's own load profiles; `drawn`: each household draws one of 100 by seed. */
    loadProfiles: z.enum(['feeder', 'drawn']).default('feeder'),
    /** Changes to the site's IEEE European LV network: bus voltage limits, transformer rating. */
    lvNetwork: z
      .object({
        vmMinPu: z.number().min(0.5).max(1),
        vmMaxPu: z.number().min(1).max(1.5),
        transformerMva: z.number().positive().max(10),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((site, ctx) => {
    const { pvKwpMin, pvKwpMax } = { ...DEFAULT_DER_MIX, ...site.mix };
    if (pvKwpMin > pvKwpMax)
      ctx.addIssue({ code: 'custom', path: ['mix', 'pvKwpMax'], message: 'must be at least pvKwpMin' });
  });

const dsoSchema = z
  .object({
    /** Network id of this DSO's CIGRE MV network. */
    network: z.string().min(1),
    /** Transmission bus (number) the MV network hangs from. */
    transmissionBus: z.number().int().min(1),
    /** Share of that bus's case load the DSO stands for (the rest stays an aggregate load). */
    shareOfBusLoad: share(),
    sites: z.array(siteSchema).min(1),
  })
  .strict();

const stepMin = () =>
  z
    .number()
    .int()
    .refine((v) => v > 0 && 1440 % v === 0, 'must be a whole number of minutes dividing 1440');

export const studyFileSchema = z
  .object({
    studyFormatVersion: z.literal(STUDY_FORMAT_VERSION),
    name: z.string().min(1),
    description: z.string().optional(),
    /** Master seed: DER draws (site s uses seed·100 + s) and the simulation's randomness. */
    seed: z.number().int().min(0).default(1),
    /** The first simulated UTC day. */
    dateUtc: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .refine((d) => Number.isFinite(Date.parse(`${d}T00:00:00Z`)), 'must be a real date')
      .default('2024-04-15'),
    /** Households per simulated LV feeder (the IEEE European LV feeder's first N of 55 loads). */
    households: z.number().int().min(1).max(55).default(55),
    /** Bundled transmission case (MATPOWER), e.g. case14, case118. */
    transmissionCase: z.string().min(1).default('case14'),
    /** P2P market mechanism of every platform. */
    mechanism: z
      .enum(['centralised', 'admm', 'contract-network', 'double-auction'])
      .default('double-auction'),
    platformStepMin: stepMin().default(15),
    prosumerStepMin: stepMin().default(5),
    dsos: z.array(dsoSchema).min(1),
    /**
     * The `simulation` section (hierarchy/simulation-config.ts: tariffs, uncertainty, coordination options …), set
     * over the generated dsos, feeders and resolutionsMin; validated when the study is resolved.
     */
    simulation: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type StudyFile = z.infer<typeof studyFileSchema>;
export type StudyFileInput = z.input<typeof studyFileSchema>;

/** Whether a parsed JSON document is a study file (has `studyFormatVersion`) rather than a full scenario document. */
export function isStudyFile(document: unknown): boolean {
  return !!document && typeof document === 'object' && 'studyFormatVersion' in document;
}

/**
 * Validate a study file (InputError naming each bad field's path) and expand it into the system study document the
 * hierarchy runs: a scenario (formatVersion 1) plus its `simulation` section. `seed` overrides the file's seed.
 */
export function expandStudyFile(
  document: unknown,
  overrides: { readonly seed?: number } = {},
): SystemStudyInput {
  const file = parseInput(studyFileSchema, document);
  return buildDefaultSystemStudy({
    seed: overrides.seed ?? file.seed,
    dateUtc: file.dateUtc,
    households: file.households,
    transmissionCase: file.transmissionCase,
    mechanism: file.mechanism,
    platformStepMin: file.platformStepMin,
    prosumerStepMin: file.prosumerStepMin,
    dsos: file.dsos.map((d) => ({
      ...d,
      sites: d.sites.map((s) => ({ ...s, mix: { ...DEFAULT_DER_MIX, ...s.mix } })),
    })),
    name: file.name,
    description: file.description,
    simulation: file.simulation,
  });
}
