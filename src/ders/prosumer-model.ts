// Resolves a prosumer's input spec onto a time index: typed arrays per interval and step indices for windows.
import { InputError } from '../core/errors.ts';
import { positionOf, stepHours, type TimeIndex } from '../time/time-index.ts';
import { airSourceCop, thermalDecay } from './heat-pump.ts';
import type { ProsumerSpec } from './schema.ts';

export interface PvModel {
  readonly id: string;
  /** Power available after the inverter limit (kW), per interval. */
  readonly availableKw: Float64Array;
  readonly isCurtailable: boolean;
}

export interface BatteryModel {
  readonly id: string;
  readonly energyKwh: number;
  readonly chargeKw: number;
  readonly dischargeKw: number;
  readonly chargeEfficiency: number;
  readonly dischargeEfficiency: number;
  readonly energyMinKwh: number;
  readonly energyMaxKwh: number;
  readonly energyInitialKwh: number;
  readonly energyFinalMinKwh: number;
  readonly degradationEurPerKwh: number;
}

/** A plugged-in stay on the index: intervals firstStep … endStep − 1. */
export interface EvSessionModel {
  readonly firstStep: number;
  readonly endStep: number;
  readonly energyStartKwh: number;
  /** Minimum energy at the end of interval endStep − 1. */
  readonly energyEndMinKwh: number;
  /** Additional minimum energies at the end of given intervals (autonomy milestones). */
  readonly milestones: readonly { readonly step: number; readonly energyMinKwh: number }[];
}

export interface EvModel {
  readonly id: string;
  readonly capacityKwh: number;
  readonly chargerKw: number;
  readonly v2gKw: number;
  readonly chargeEfficiency: number;
  readonly dischargeEfficiency: number;
  readonly sessions: readonly EvSessionModel[];
}

export interface HeatPumpModel {
  readonly id: string;
  readonly electricKw: number;
  /** θ_k = decay·θ_{k−1} + (1 − decay)·θout_k + gainKPerKw_k·P_k (see heat-pump.ts). */
  readonly decay: number;
  readonly gainKPerKw: Float64Array;
  readonly outdoorC: Float64Array;
  readonly cop: Float64Array;
  readonly indoorInitialC: number;
  readonly comfortMinC: number;
  readonly comfortMaxC: number;
}

export interface ShiftableLoadModel {
  readonly id: string;
  readonly energyKwh: number;
  readonly maxKw: number;
  readonly firstStep: number;
  readonly endStep: number;
}

/** Everything the scheduler needs, on one time index. */
export interface ProsumerModel {
  readonly id: string;
  readonly length: number;
  readonly stepH: number;
  readonly importLimitKw: number;
  readonly exportLimitKw: number;
  readonly fixedLoadKw: Float64Array;
  readonly pv: readonly PvModel[];
  readonly batteries: readonly BatteryModel[];
  readonly evs: readonly EvModel[];
  readonly heatPumps: readonly HeatPumpModel[];
  readonly shiftableLoads: readonly ShiftableLoadModel[];
  /** Premium (EUR/kWh) the prosumer pays for local P2P energy (preferences.premiums with counterparty `local`). */
  readonly localPremiumEurPerKwh: number;
  readonly maxPurchasedShare?: number;
}

/** Profiles already on the index, by name (see scenario/profiles.ts). */
export type ResolvedProfiles = ReadonlyMap<string, Float64Array>;

/**
 * Build the scheduler's model of a prosumer. EV sessions are clipped to the index: a session that started before
 * the index starts with energyAtArrivalKwh at the first interval; one that ends after it must reach, at the end of
 * the index, the arrival energy plus the share of the required increase proportional to the plugged time inside.
 */
export function resolveProsumer(
  spec: ProsumerSpec,
  index: TimeIndex,
  profiles: ResolvedProfiles,
  path: readonly (string | number)[] = [],
): ProsumerModel {
  const n = index.length;
  const dt = stepHours(index);
  const profile = (name: string, at: (string | number)[]): Float64Array => {
    const values = profiles.get(name);
    if (!values) throw InputError.single('unknown_profile', [...path, ...at], `unknown profile "${name}"`);
    return values;
  };
  const fixedLoadKw = new Float64Array(n);
  spec.loads.forEach((load, i) => {
    const values = profile(load.profile, ['loads', i, 'profile']);
    for (let k = 0; k < n; k++) fixedLoadKw[k] += load.scaleKw * values[k];
  });
  const pv = spec.pv.map((p, i): PvModel => {
    const values = profile(p.profile, ['pv', i, 'profile']);
    const limit = p.inverterKw ?? p.capacityKwp;
    return {
      id: p.id,
      availableKw: Float64Array.from(values, (m) => Math.min(limit, Math.max(0, p.capacityKwp * m))),
      isCurtailable: p.isCurtailable,
    };
  });
  const batteries = spec.batteries.map(
    (b): BatteryModel => ({
      id: b.id,
      energyKwh: b.energyKwh,
      chargeKw: b.chargeKw,
      dischargeKw: b.dischargeKw,
      chargeEfficiency: b.chargeEfficiency,
      dischargeEfficiency: b.dischargeEfficiency,
      energyMinKwh: b.socMin * b.energyKwh,
      energyMaxKwh: b.socMax * b.energyKwh,
      energyInitialKwh: b.socInitial * b.energyKwh,
      energyFinalMinKwh: Math.min(b.socMax, Math.max(b.socMin, b.socFinal ?? b.socInitial)) * b.energyKwh,
      degradationEurPerKwh: b.degradationEurPerKwh,
    }),
  );
  const evs = spec.evs.map((ev, e): EvModel => {
    const sessions: EvSessionModel[] = [];
    ev.sessions.forEach((s, j) => {
      const arrival = positionOf(index, s.arrivalUtc);
      const departure = positionOf(index, s.departureUtc);
      const firstStep = Math.max(0, Math.ceil(arrival - 1e-9));
      const endStep = Math.min(n, Math.floor(departure + 1e-9));
      if (endStep <= firstStep) return;
      if (s.energyAtArrivalKwh > ev.capacityKwh || s.energyAtDepartureKwh > ev.capacityKwh) {
        throw InputError.single(
          'bad_energy',
          [...path, 'evs', e, 'sessions', j],
          'energy exceeds capacityKwh',
        );
      }
      const insideShare =
        departure > n ? (endStep - Math.max(0, arrival)) / (departure - Math.max(0, arrival)) : 1;
      const energyEndMinKwh =
        s.energyAtArrivalKwh +
        Math.max(0, s.energyAtDepartureKwh - s.energyAtArrivalKwh) * Math.min(1, insideShare);
      const milestones = spec.preferences.autonomy.evMilestones
        .filter((m) => m.evId === ev.id)
        .map((m) => ({
          step: Math.floor(positionOf(index, m.byUtc) + 1e-9) - 1,
          energyMinKwh: m.socMin * ev.capacityKwh,
        }))
        .filter((m) => m.step >= firstStep && m.step < endStep);
      sessions.push({
        firstStep,
        endStep,
        energyStartKwh: s.energyAtArrivalKwh,
        energyEndMinKwh,
        milestones,
      });
    });
    return {
      id: ev.id,
      capacityKwh: ev.capacityKwh,
      chargerKw: ev.chargerKw,
      v2gKw: ev.v2gKw,
      chargeEfficiency: ev.chargeEfficiency,
      dischargeEfficiency: ev.dischargeEfficiency,
      sessions,
    };
  });
  const heatPumps = spec.heatPumps.map((h, i): HeatPumpModel => {
    const outdoorC = profile(h.outdoorProfile, ['heatPumps', i, 'outdoorProfile']);
    const decay = thermalDecay(dt, h.thermalResistanceKPerKw, h.thermalCapacityKwhPerK);
    const cop = Float64Array.from(outdoorC, (t) => h.cop ?? airSourceCop(t, h.supplyC));
    return {
      id: h.id,
      electricKw: h.electricKw,
      decay,
      gainKPerKw: Float64Array.from(cop, (c) => (1 - decay) * h.thermalResistanceKPerKw * c),
      outdoorC,
      cop,
      indoorInitialC: h.indoorInitialC,
      comfortMinC: h.comfortMinC,
      comfortMaxC: h.comfortMaxC,
    };
  });
  const shiftableLoads = spec.shiftableLoads.map((s, i): ShiftableLoadModel => {
    const firstStep = Math.max(0, Math.ceil(positionOf(index, s.earliestStartUtc) - 1e-9));
    const endStep = Math.min(n, Math.floor(positionOf(index, s.latestEndUtc) + 1e-9));
    if ((endStep - firstStep) * s.maxKw * dt < s.energyKwh - 1e-9) {
      throw InputError.single(
        'infeasible_window',
        [...path, 'shiftableLoads', i, 'latestEndUtc'],
        `window on the time grid cannot deliver ${s.energyKwh} kWh at ${s.maxKw} kW`,
      );
    }
    return { id: s.id, energyKwh: s.energyKwh, maxKw: s.maxKw, firstStep, endStep };
  });
  const local = spec.preferences.premiums.find((p) => p.counterparty === 'local');
  return {
    id: spec.id,
    length: n,
    stepH: dt,
    importLimitKw: spec.importLimitKw,
    exportLimitKw: spec.exportLimitKw,
    fixedLoadKw,
    pv,
    batteries,
    evs,
    heatPumps,
    shiftableLoads,
    localPremiumEurPerKwh: local?.premiumEurPerKwh ?? 0,
    maxPurchasedShare: spec.preferences.autonomy.maxPurchasedShare,
  };
}
