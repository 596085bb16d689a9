// Coordination `mpc` (DESIGN.md M5-C): each platform clears with its own predictive model of its feeder, no messages.
//
// Per platform (mpc/README.md): affine models of its feeder's min/max voltage and transformer loading in its net
// position, identified from local measurements by recursive least squares (prior: its own LinDistFlow model; online:
// every metered interval the engine hands back after delivery, `observe`), and per platform step the smallest
// price adder ν_t at which its members' response is predicted to stay within the limits with a margin. Every
// household of the feeder and the platform's own location pay import = flat + ν, receive export = flat + ν; no
// P2P fee. No coordination message is exchanged (negotiationStats: 0 rounds, 0 messages); the prices reach the
// members through the engine's ordinary price message, as under `none`. The DSO still clips its bid to its
// distribution-feasible range (its MV duty, not coordination with the platforms).
import { parseInput } from '../core/errors.ts';
import type { PriceSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW } from '../core/units.ts';
import { MPC_DEFAULTS, type MpcOptions, mpcOptionsSchema, type ResolvedMpcOptions } from './config.ts';
import type { CoordinationMechanism, DsoPricingInput, PlatformObservation } from './mechanism.ts';
import { schedulePrice } from './mechanism.ts';
import { observePlatform, type PlatformModel, priorPlatformModel } from './mpc/platform-model.ts';
import { solveDayAdders } from './mpc/receding-horizon.ts';
import { buildPlatformData } from './negotiation/platform-data.ts';
import { flatPriceSchedule } from './none.ts';

/** Hours between the day-ahead gate and the start of its delivery day (engine STAGE_PLAN: D−1 10:00). */
const GATE_LEAD_HOURS = 14;

/** Per-platform predictive models kept across gates, and the measurements not yet folded in. */
export class MpcState {
  readonly models = new Map<string, PlatformModel>();
  private pending: PlatformObservation[] = [];
  constructor(private readonly forgetting: number) {}

  observe(rows: readonly PlatformObservation[]): void {
    this.pending.push(...rows);
  }

  /** The model of a platform with every measurement taken before `gateMs` folded in. */
  model(feeder: DsoPricingInput['feeders'][number], gateMs: number): PlatformModel {
    let model = this.models.get(feeder.platformId);
    if (!model) {
      model = priorPlatformModel(feeder, this.forgetting);
      this.models.set(feeder.platformId, model);
    }
    const keep: PlatformObservation[] = [];
    for (const o of this.pending) {
      if (o.platformId !== feeder.platformId) keep.push(o);
      else if (Date.parse(o.timeUtc) < gateMs) observePlatform(model, o);
      else keep.push(o);
    }
    this.pending = keep;
    return model;
  }
}

/** The `mpc` mechanism for its options (validated, defaults merged). */
export function createMpcCoordination(
  options: MpcOptions = {},
  path: readonly (string | number)[] = ['coordination'],
): CoordinationMechanism & { readonly state: MpcState } {
  const resolved: ResolvedMpcOptions = {
    ...MPC_DEFAULTS,
    ...parseInput(mpcOptionsSchema, options ?? {}, path),
  };
  const state = new MpcState(resolved.forgetting);
  return {
    name: 'mpc',
    config: { name: 'mpc', ...resolved },
    clipsBidsToDistributionLimits: true,
    pricesHouseholds: true,
    state,
    observe: (rows) => state.observe(rows),
    negotiationStats: () => ({ rounds: 0, messages: 0, bytes: 0 }),
    priceSchedule: async (input) => adderSchedule(input, computeMpcAdders(input, state, resolved)),
  };
}

/** Each platform's adders on the DSO step (EUR/MWh): per DSO interval the platform interval of largest |ν|. */
export function computeMpcAdders(
  input: DsoPricingInput,
  state: MpcState,
  options: ResolvedMpcOptions,
): Map<string, Float64Array> {
  const gateMs = Date.parse(input.index.startUtc) - GATE_LEAD_HOURS * 3_600_000;
  const out = new Map<string, Float64Array>();
  input.feeders.forEach((feeder, j) => {
    if (feeder.members.length === 0) return;
    const data = buildPlatformData(input, feeder, j, 1);
    const fine = solveDayAdders(data, state.model(feeder, gateMs), options);
    const ratio = fine.length / input.index.length;
    const coarse = new Float64Array(input.index.length);
    for (let t = 0; t < fine.length; t++) {
      const k = Math.floor(t / ratio);
      if (Math.abs(fine[t]) > Math.abs(coarse[k])) coarse[k] = fine[t];
    }
    out.set(feeder.platformId, coarse);
  });
  return out;
}

/** Flat prices plus a per-platform adder ν (EUR/MWh) for the platform and each of its households; no P2P fee. */
export function adderSchedule(
  input: DsoPricingInput,
  adders: ReadonlyMap<string, Float64Array>,
): PriceSchedule {
  const flat = flatPriceSchedule(input);
  const shift = (series: readonly number[], nu: Float64Array) =>
    series.map((p, t) => schedulePrice(p + nu[t] / KW_PER_MW));
  const locations = flat.locations.flatMap((base) => {
    const nu = adders.get(base.locationId);
    const feeder = input.feeders.find((f) => f.platformId === base.locationId);
    if (!nu || !feeder) return [base];
    const importPriceEurPerKwh = shift(base.importPriceEurPerKwh, nu);
    const exportPriceEurPerKwh = shift(base.exportPriceEurPerKwh, nu);
    return [base.locationId, ...feeder.members.map((m) => m.locationId)].map((locationId) => ({
      locationId,
      importPriceEurPerKwh: [...importPriceEurPerKwh],
      exportPriceEurPerKwh: [...exportPriceEurPerKwh],
    }));
  });
  return { ...flat, locations, fees: [] };
}
