// DER and prosumer input schemas (scenario-facing): the single source of types, validation and docs for M3.
//
// Signs (DESIGN.md): a prosumer's net injection is positive when it exports; loads consume positive kW; a
// battery's power is positive when discharging. Times are UTC ISO 8601 instants; profiles are referenced by name
// and resolved onto the study's time index (see prosumer-model.ts).
import { z } from 'zod';
import { utcInstantSchema } from '../time/time-index.ts';

const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');
const nonNegative = () => finite().refine((v) => v >= 0, 'must be non-negative');
const positive = () => finite().refine((v) => v > 0, 'must be positive');
const fraction = () => finite().refine((v) => v >= 0 && v <= 1, 'must be between 0 and 1');
const efficiency = () => finite().refine((v) => v > 0 && v <= 1, 'must be in (0, 1]');

/** Rooftop PV: available power = min(capacityKwp × multiplier(t), inverterKw); curtailment optional. */
export const pvSchema = z.object({
  id: z.string().min(1),
  capacityKwp: nonNegative(),
  /** Profile of multipliers of kWp (peak 1 for a clear day), by name in the scenario's `profiles`. */
  profile: z.string().min(1),
  /** AC inverter limit; defaults to capacityKwp. */
  inverterKw: positive().optional(),
  isCurtailable: z.boolean().default(true),
});
export type PvSpec = z.infer<typeof pvSchema>;

/** Home battery with separate charge/discharge efficiencies and a throughput degradation cost. */
export const batterySchema = z
  .object({
    id: z.string().min(1),
    energyKwh: positive(),
    chargeKw: nonNegative(),
    dischargeKw: nonNegative(),
    chargeEfficiency: efficiency().default(0.95),
    dischargeEfficiency: efficiency().default(0.95),
    socMin: fraction().default(0.1),
    socMax: fraction().default(0.9),
    socInitial: fraction().default(0.5),
    /** Minimum SoC at the end of the horizon; defaults to socInitial (so stored energy is not "sold" for free). */
    socFinal: fraction().optional(),
    /** Cost of wear per kWh discharged (EUR/kWh). */
    degradationEurPerKwh: nonNegative().default(0),
  })
  .refine((b) => b.socMin <= b.socMax, { message: 'socMin exceeds socMax', path: ['socMin'] })
  .refine((b) => b.socInitial >= b.socMin && b.socInitial <= b.socMax, {
    message: 'socInitial must lie within [socMin, socMax]',
    path: ['socInitial'],
  });
export type BatterySpec = z.infer<typeof batterySchema>;

/** One stay of an EV at home: plugged from arrival to departure. */
export const evSessionSchema = z
  .object({
    arrivalUtc: utcInstantSchema,
    departureUtc: utcInstantSchema,
    energyAtArrivalKwh: nonNegative(),
    /** Energy in the battery required at departure (kWh). */
    energyAtDepartureKwh: nonNegative(),
  })
  .refine((s) => Date.parse(s.departureUtc) > Date.parse(s.arrivalUtc), {
    message: 'departure must be after arrival',
    path: ['departureUtc'],
  });

export const evSchema = z.object({
  id: z.string().min(1),
  capacityKwh: positive(),
  chargerKw: positive(),
  chargeEfficiency: efficiency().default(0.92),
  /** Vehicle-to-grid discharge limit; 0 (default) means no V2G. */
  v2gKw: nonNegative().default(0),
  dischargeEfficiency: efficiency().default(0.92),
  sessions: z.array(evSessionSchema).default([]),
});
export type EvSpec = z.infer<typeof evSchema>;

/**
 * Heat pump heating a home modelled as one thermal node (capacity C, resistance R to outdoors):
 * C·dθ/dt = (θout − θ)/R + COP(θout)·P_el. COP from Staffell et al. (2012) for air-source units unless fixed.
 */
export const heatPumpSchema = z
  .object({
    id: z.string().min(1),
    electricKw: positive(),
    thermalCapacityKwhPerK: positive(),
    thermalResistanceKPerKw: positive(),
    indoorInitialC: finite(),
    comfortMinC: finite(),
    comfortMaxC: finite(),
    /** Outdoor temperature profile (°C), by name in `profiles`. */
    outdoorProfile: z.string().min(1),
    /** Flow (sink) temperature for the COP regression (°C). */
    supplyC: finite().default(40),
    /** A constant COP instead of the regression. */
    cop: positive().optional(),
  })
  .refine((h) => h.comfortMinC <= h.comfortMaxC, {
    message: 'comfortMinC exceeds comfortMaxC',
    path: ['comfortMinC'],
  });
export type HeatPumpSpec = z.infer<typeof heatPumpSchema>;

/** Inflexible consumption: a profile of kW multipliers scaled by scaleKw. */
export const fixedLoadSchema = z.object({
  id: z.string().min(1),
  profile: z.string().min(1),
  scaleKw: nonNegative().default(1),
});
export type FixedLoadSpec = z.infer<typeof fixedLoadSchema>;

/** A load that needs a given energy within a window (e.g. washing machine, dishwasher), interruptible. */
export const shiftableLoadSchema = z
  .object({
    id: z.string().min(1),
    energyKwh: positive(),
    maxKw: positive(),
    earliestStartUtc: utcInstantSchema,
    latestEndUtc: utcInstantSchema,
  })
  .refine((s) => Date.parse(s.latestEndUtc) > Date.parse(s.earliestStartUtc), {
    message: 'latestEndUtc must be after earliestStartUtc',
    path: ['latestEndUtc'],
  });
export type ShiftableLoadSpec = z.infer<typeof shiftableLoadSchema>;

/** A premium the prosumer pays for energy from a counterparty class: `local`, `green`, `community:<name>`, or an id. */
export const premiumSchema = z.object({
  counterparty: z.string().min(1),
  premiumEurPerKwh: finite(),
});

/** A discount or gift to a flagged household (energy-poverty support), applied by markets when trading with it. */
export const giftSchema = z.object({
  to: z.string().min(1),
  discountEurPerKwh: nonNegative().default(0),
  giftKwhPerDay: nonNegative().default(0),
});

/** Hard requirements the prosumer imposes whatever the price ("EV 80 % charged by 07:00"). */
export const autonomySchema = z.object({
  /** Upper limit on energy bought (grid + P2P) as a share of consumption over the horizon. */
  maxPurchasedShare: fraction().optional(),
  /** EV state-of-charge milestones: the EV with evId must hold at least socMin × capacity at byUtc. */
  evMilestones: z
    .array(z.object({ evId: z.string().min(1), byUtc: utcInstantSchema, socMin: fraction() }))
    .default([]),
});

export const preferencesSchema = z.object({
  premiums: z.array(premiumSchema).default([]),
  gifts: z.array(giftSchema).default([]),
  /** Flag for energy-poverty support programmes (markets may route gifts to it). */
  isEnergyPoor: z.boolean().default(false),
  autonomy: autonomySchema.default({ evMilestones: [] }),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const phaseSchema = z.enum(['a', 'b', 'c', 'abc']);

/** One prosumer: where it connects and what it owns. */
export const prosumerSchema = z.object({
  id: z.string().min(1),
  /** Network id (in the scenario's `networks`) and bus id inside it. */
  network: z.string().min(1),
  bus: z.union([z.string().min(1), z.number().int()]),
  phase: phaseSchema.default('abc'),
  /** Connection limits (kW) at the meter. */
  importLimitKw: positive().default(17),
  exportLimitKw: nonNegative().default(17),
  /** Power factor of the net load for power flow (lagging, consumption convention). */
  powerFactor: finite()
    .refine((v) => v > 0 && v <= 1, 'must be in (0, 1]')
    .default(0.95),
  loads: z.array(fixedLoadSchema).default([]),
  shiftableLoads: z.array(shiftableLoadSchema).default([]),
  pv: z.array(pvSchema).default([]),
  batteries: z.array(batterySchema).default([]),
  evs: z.array(evSchema).default([]),
  heatPumps: z.array(heatPumpSchema).default([]),
  preferences: preferencesSchema.default({
    premiums: [],
    gifts: [],
    isEnergyPoor: false,
    autonomy: { evMilestones: [] },
  }),
});
export type ProsumerSpec = z.infer<typeof prosumerSchema>;
export type ProsumerInput = z.input<typeof prosumerSchema>;
