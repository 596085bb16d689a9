// One household's DERs drawn from a seeded stream under a DER mix (shares and ranges, README.md), and the profiles
// every generated household refers to. Pure: no files, no clock.
import type { ProsumerInput } from '../ders/schema.ts';
import { createRandom, deriveSeed, type RandomSource, randomInt } from '../numeric/random.ts';
import type { ProfileSource } from './schema.ts';

/** Shares of households owning each DER and the ranges drawn (the documented default mix, README.md). */
export interface DerMix {
  readonly pvShare: number;
  /** Share of PV owners that also own a battery. */
  readonly batteryShareOfPv: number;
  readonly evShare: number;
  readonly heatPumpShare: number;
  readonly shiftableShare: number;
  readonly localPremiumShare: number;
  readonly energyPoorShare: number;
  /** Range of PV sizes drawn (kWp), uniform. */
  readonly pvKwpMin: number;
  readonly pvKwpMax: number;
}

export const DEFAULT_DER_MIX: DerMix = {
  pvShare: 0.4,
  batteryShareOfPv: 0.5,
  evShare: 0.3,
  heatPumpShare: 0.2,
  shiftableShare: 0.5,
  localPremiumShare: 0.3,
  energyPoorShare: 0.05,
  pvKwpMin: 2.5,
  pvKwpMax: 6,
};

/** April day in the UK, hourly °C from 00:00 UTC (for heat pumps). */
const OUTDOOR_APRIL_C = [
  6, 5.5, 5, 4.6, 4.3, 4.2, 4.5, 5.5, 7, 8.5, 10, 11.2, 12.2, 12.8, 13, 12.8, 12.2, 11.2, 10, 9, 8.2, 7.5, 7,
  6.5,
];

const pickOne = <T>(rng: RandomSource, items: readonly T[]): T => items[randomInt(rng, items.length)];
const between = (rng: RandomSource, lo: number, hi: number, digits = 1) =>
  Number((lo + (hi - lo) * rng.next()).toFixed(digits));
const at = (date: string, hours: number) => {
  const h = Math.floor(hours);
  const m = Math.round((hours - h) * 60);
  return `${date}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`;
};
const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** One household's DERs, drawn from its own seeded stream (adding households never changes earlier ones). */
export function drawHousehold(
  seed: number,
  ordinal: number,
  place: {
    id: string;
    network: string;
    bus: string | number;
    phase: 'a' | 'b' | 'c' | 'abc';
    loadProfile: string;
    /** PV profile name (default `pv-shape`). */
    pvProfile?: string;
  },
  date: string,
  mix: DerMix = DEFAULT_DER_MIX,
): ProsumerInput {
  const rng = createRandom(deriveSeed(seed, ordinal));
  const p: ProsumerInput = {
    id: place.id,
    network: place.network,
    bus: place.bus,
    phase: place.phase,
    loads: [{ id: 'base', profile: place.loadProfile, scaleKw: 1 }],
    pv: [],
    batteries: [],
    evs: [],
    heatPumps: [],
    shiftableLoads: [],
  };
  const premiums = [];
  if (rng.next() < mix.pvShare) {
    p.pv = [
      {
        id: 'pv',
        capacityKwp: between(rng, mix.pvKwpMin, mix.pvKwpMax),
        profile: place.pvProfile ?? 'pv-shape',
      },
    ];
    if (rng.next() < mix.batteryShareOfPv) {
      const energyKwh = pickOne(rng, [5, 10, 13.5]);
      const powerKw = energyKwh >= 10 ? 5 : 3;
      p.batteries = [
        { id: 'battery', energyKwh, chargeKw: powerKw, dischargeKw: powerKw, degradationEurPerKwh: 0.03 },
      ];
    }
  }
  if (rng.next() < mix.evShare) {
    const capacityKwh = pickOne(rng, [40, 60, 75]);
    const chargerKw = pickOne(rng, [3.7, 7.4, 11]);
    const eta = 0.92;
    const depart = between(rng, 6.5, 8.5, 2);
    const arriveMorning = between(rng, 0.25 * capacityKwh, 0.5 * capacityKwh);
    const morningNeed = Math.min(0.8 * capacityKwh, arriveMorning + 0.85 * eta * chargerKw * depart);
    const arrive = Math.round(between(rng, 17, 20, 2) * 4) / 4;
    const arriveEvening = between(rng, 0.15 * capacityKwh, 0.4 * capacityKwh);
    const eveningHours = 24 - arrive + depart;
    const eveningNeed = Math.min(0.8 * capacityKwh, arriveEvening + 0.85 * eta * chargerKw * eveningHours);
    p.evs = [
      {
        id: 'ev',
        capacityKwh,
        chargerKw,
        chargeEfficiency: eta,
        sessions: [
          {
            arrivalUtc: at(date, 0),
            departureUtc: at(date, depart),
            energyAtArrivalKwh: arriveMorning,
            energyAtDepartureKwh: Number(morningNeed.toFixed(1)),
          },
          {
            arrivalUtc: at(date, arrive),
            departureUtc: at(nextDay(date), depart),
            energyAtArrivalKwh: arriveEvening,
            energyAtDepartureKwh: Number(eveningNeed.toFixed(1)),
          },
        ],
      },
    ];
  }
  if (rng.next() < mix.heatPumpShare) {
    p.heatPumps = [
      {
        id: 'heat-pump',
        electricKw: pickOne(rng, [2, 3, 4]),
        thermalCapacityKwhPerK: between(rng, 6, 14),
        thermalResistanceKPerKw: between(rng, 5, 9),
        indoorInitialC: 20,
        comfortMinC: 19,
        comfortMaxC: 22.5,
        outdoorProfile: 'outdoor',
      },
    ];
  }
  if (rng.next() < mix.shiftableShare) {
    p.shiftableLoads = [
      {
        id: 'washing-machine',
        energyKwh: between(rng, 0.8, 2),
        maxKw: 2,
        earliestStartUtc: at(date, 8),
        latestEndUtc: at(date, 20),
      },
    ];
  }
  if (rng.next() < mix.localPremiumShare)
    premiums.push({ counterparty: 'local', premiumEurPerKwh: between(rng, 0.005, 0.03, 3) });
  p.preferences = {
    premiums,
    gifts: [],
    isEnergyPoor: rng.next() < mix.energyPoorShare,
    autonomy: { evMilestones: [] },
  };
  return p;
}

export const commonProfiles = (): Record<string, ProfileSource> => ({
  'pv-shape': { kind: 'pv-shape' },
  outdoor: { kind: 'daily', stepMin: 60, values: OUTDOOR_APRIL_C },
});
