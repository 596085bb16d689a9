// Scenario file schema (format version 1): one validated JSON document describes a whole study (M3, M6, M8, M14).
//
// Sections: `time` (UTC grid), `seeds`, `networks` (bundled case, file or inline), `hierarchy` (where each
// distribution network hangs, MV/LV levels, platforms and members, controllers with their time steps),
// `profiles` (named time series), `prosumers` (DERs at a bus and phase). README.md documents every field.
import { z } from 'zod';
import { prosumerSchema } from '../ders/schema.ts';
import { elementIdSchema, networkSchema } from '../grid/schema.ts';
import { timeIndexSchema, utcInstantSchema } from '../time/time-index.ts';

export const SCENARIO_FORMAT_VERSION = 1;

const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');
const idSchema = z.string().min(1, 'must not be empty');

/** Where a network comes from: a bundled case by name, a file (path relative to the scenario file), or inline. */
export const networkSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('case'), name: z.string().min(1) }),
  z.object({ kind: z.literal('file'), path: z.string().min(1) }),
  z.object({ kind: z.literal('inline'), network: networkSchema }),
]);

export const networkLevelSchema = z.enum(['transmission', 'mv', 'lv']);

export const scenarioNetworkSchema = z.object({
  id: idSchema,
  level: networkLevelSchema,
  source: networkSourceSchema,
});

/** A distribution network's place in the tree: the transmission bus it hangs from, and its MV parent for LV. */
export const distributionAttachmentSchema = z.object({
  network: idSchema,
  /** Transmission bus (grid supply point) this network ultimately hangs from. */
  transmissionBus: elementIdSchema,
  /** Transmission network holding that bus (if modelled in `networks`). */
  transmissionNetwork: idSchema.optional(),
  /** For an LV network: the MV network and bus of its secondary substation. */
  parent: z.object({ network: idSchema, bus: elementIdSchema }).optional(),
});

export const platformSchema = z.object({
  id: idSchema,
  network: idSchema,
  /** Prosumer ids trading on this platform. */
  members: z.array(idSchema).min(1, 'a platform needs at least one member'),
  mechanism: z.enum(['centralised', 'admm', 'contract-network', 'double-auction']).default('centralised'),
});

export const controllerRoleSchema = z.enum(['tso', 'dso', 'substation', 'platform', 'prosumer']);

/** A controller: its boundary of attention (networks or a platform) and its resolution (time step). */
export const controllerSchema = z.object({
  id: idSchema,
  role: controllerRoleSchema,
  parent: idSchema.optional(),
  networks: z.array(idSchema).default([]),
  platform: idSchema.optional(),
  stepMin: finite().refine((v) => v > 0, 'must be positive'),
});

export const hierarchySchema = z.object({
  distributionNetworks: z.array(distributionAttachmentSchema).default([]),
  platforms: z.array(platformSchema).default([]),
  controllers: z.array(controllerSchema).default([]),
});

/** A PV module orientation (ders/pv-orientation.ts): compass azimuth (180 = south), tilt, site latitude. */
export const pvOrientationSchema = z
  .object({
    azimuthDeg: finite().refine((v) => v >= 0 && v < 360, 'must lie in [0, 360)'),
    tiltDeg: finite().refine((v) => v >= 0 && v <= 90, 'must lie in [0, 90]'),
    latitudeDeg: finite()
      .refine((v) => v >= -66 && v <= 66, 'must lie in [-66, 66]')
      .default(51.5),
  })
  .strict();

/** A named time series; bundled sources are daily 1-min (IEEE LV, PV shape) or 15-min (CIGRE) multipliers. */
export const profileSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ieee-lv-load'), number: z.number().int().min(1).max(100) }),
  /** The bundled PV shape (horizontal); with `orientation`, transposed onto a tilted, oriented module. */
  z.object({
    kind: z.literal('pv-shape'),
    orientation: pvOrientationSchema.optional(),
  }),
  z.object({ kind: z.literal('cigre-15min'), series: z.enum(['pv', 'wind', 'residential']) }),
  z.object({ kind: z.literal('constant'), value: finite() }),
  /** A daily profile starting at UTC midnight, repeated every day; stepMin × values.length must be 1440. */
  z.object({ kind: z.literal('daily'), stepMin: finite(), values: z.array(finite()).min(1) }),
  /** An absolute series starting at startUtc; it must cover the time grid. */
  z.object({
    kind: z.literal('series'),
    startUtc: utcInstantSchema,
    stepMin: finite(),
    values: z.array(finite()).min(1),
  }),
]);
export type ProfileSource = z.infer<typeof profileSchema>;

export const seedsSchema = z.object({
  /** Master seed; every random draw in the study derives from it. */
  master: z.number().int().nonnegative(),
  /** Seed for forecast-error scenarios (defaults to one derived from master). */
  scenarios: z.number().int().nonnegative().optional(),
  /** Number of forecast-error scenarios to draw. */
  scenarioCount: z.number().int().positive().default(100),
});

export const scenarioSchema = z.object({
  formatVersion: z.literal(SCENARIO_FORMAT_VERSION, {
    error: `formatVersion must be ${SCENARIO_FORMAT_VERSION}`,
  }),
  name: z.string().min(1),
  description: z.string().optional(),
  time: timeIndexSchema,
  seeds: seedsSchema,
  networks: z.array(scenarioNetworkSchema).min(1, 'a scenario needs at least one network'),
  hierarchy: hierarchySchema.default({ distributionNetworks: [], platforms: [], controllers: [] }),
  profiles: z.record(z.string().min(1), profileSchema).default({}),
  prosumers: z.array(prosumerSchema).default([]),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
