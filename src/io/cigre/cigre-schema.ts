// Schema of the CIGRE benchmark JSON files (pandapower element tables transcribed to JSON; units in the field names).
import { z } from 'zod';

const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');
const positive = () => finite().refine((v) => v > 0, 'must be positive');
const nonNegative = () => finite().refine((v) => v >= 0, 'must be non-negative');

export const cigreLineTypeSchema = z.looseObject({
  r_ohm_per_km: nonNegative(),
  x_ohm_per_km: finite(),
  c_nf_per_km: nonNegative().default(0),
  max_i_ka: nonNegative().optional(),
});

export const cigreBusSchema = z.looseObject({
  name: z.string().min(1),
  vn_kv: positive(),
  in_service: z.boolean().default(true),
});

export const cigreLineSchema = z.looseObject({
  name: z.string().min(1),
  from_bus: z.string(),
  to_bus: z.string(),
  length_km: positive(),
  std_type: z.string(),
  parallel: z.number().int().positive().default(1),
  in_service: z.boolean().default(true),
});

export const cigreTransformerSchema = z.looseObject({
  name: z.string().min(1),
  hv_bus: z.string(),
  lv_bus: z.string(),
  sn_mva: positive(),
  vn_hv_kv: positive(),
  vn_lv_kv: positive(),
  vk_percent: positive(),
  vkr_percent: nonNegative(),
  pfe_kw: nonNegative().default(0),
  i0_percent: nonNegative().default(0),
  shift_degree: finite().default(0),
  tap_pos: finite().optional(),
  tap_neutral: finite().optional(),
  tap_step_percent: finite().optional(),
  tap_side: z.enum(['hv', 'lv']).optional(),
  parallel: z.number().int().positive().default(1),
  in_service: z.boolean().default(true),
});

export const cigreExtGridSchema = z.looseObject({
  bus: z.string(),
  vm_pu: positive().default(1),
  va_degree: finite().default(0),
});

/** A load given either by p_mw/q_mvar or by apparent power and power factor (pandapower create_load_from_cosphi). */
export const cigreLoadSchema = z
  .looseObject({
    name: z.string().min(1),
    bus: z.string(),
    p_mw: finite().optional(),
    q_mvar: finite().optional(),
    sn_mva: nonNegative().optional(),
    cos_phi: finite()
      .refine((v) => v > 0 && v <= 1, 'must be in (0, 1]')
      .optional(),
    mode: z.string().optional(),
    in_service: z.boolean().default(true),
  })
  .refine((l) => l.p_mw !== undefined || (l.sn_mva !== undefined && l.cos_phi !== undefined), {
    message: 'a load needs p_mw (and q_mvar) or sn_mva and cos_phi',
  });

export const cigreSwitchSchema = z.looseObject({
  name: z.string().optional(),
  bus: z.string(),
  element_bus: z.string(),
  closed: z.boolean(),
});

export const cigreLineSwitchSchema = z.looseObject({
  name: z.string().optional(),
  line: z.string(),
  bus: z.string(),
  closed: z.boolean(),
});

export const cigreStaticGeneratorSchema = z.looseObject({
  name: z.string().min(1),
  bus: z.string(),
  p_mw: finite(),
  q_mvar: finite().default(0),
  sn_mva: nonNegative().optional(),
  type: z.string().optional(),
});

export const cigreStorageSchema = z.looseObject({ name: z.string().min(1), bus: z.string(), p_mw: finite() });

export const cigreNetworkSchema = z.looseObject({
  source: z.string().optional(),
  line_std_types: z.record(z.string(), cigreLineTypeSchema),
  buses: z.array(cigreBusSchema).min(1),
  lines: z.array(cigreLineSchema).default([]),
  transformers: z.array(cigreTransformerSchema).default([]),
  ext_grid: cigreExtGridSchema,
  loads: z.array(cigreLoadSchema).default([]),
  switches: z.array(cigreSwitchSchema).default([]),
  line_switches: z.array(cigreLineSwitchSchema).default([]),
});
export type CigreNetworkFile = z.infer<typeof cigreNetworkSchema>;

export const cigreDerSchema = z.array(cigreStaticGeneratorSchema);
export const cigreDerExtraSchema = z.looseObject({
  sgens: z.array(cigreStaticGeneratorSchema).default([]),
  storages: z.array(cigreStorageSchema).default([]),
});
