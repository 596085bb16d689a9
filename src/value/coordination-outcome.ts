// Welfare and limit violations of one simulated run, from its recorded outcomes only (one definition for every run).
//
// Welfare (EUR over the simulated days):  W = − Σ_h C_h^RT · Δt_h
//   C_h^RT = the generation cost (EUR/h, the transmission case's cost functions) of the real-time DC dispatch that
//   served hour h's realised system load: transmission aggregate loads plus every DSO's metered grid-supply-point
//   import, which carries its MV and LV losses and every prosumer's realised consumption, PV (after curtailment) and
//   battery operation. Households' inflexible consumption, EV energy and heat-pump comfort are hard constraints of
//   every run's home energy management, so the consumers' utility of the energy served is the same constant in every
//   run and is left out; what differs between coordinations (timing of flexible demand, curtailment, losses, which
//   generators run) all shows up in C^RT. Money transfers (P2P payments, fees, bills) are zero-sum and do not count.
//   It is computed from `recorder.tso` (`generationCostEurPerH`), never from a mechanism's own objective.
// Violation intervals: an interval of a simulated element whose recorded real-time power flow breaks a limit —
//   LV voltage: a feeder's min |V| < vMin or max |V| > vMax (its own network's bus limits when given — the tightest
//   over its buses —, else 0.90 / 1.10 p.u., EN 50160 and the default bus limits); LV thermal: feeder transformer loading > 100 %; MV: the MV network's |V| outside the same
//   band or any MV branch > 100 %. A simulated feeder counts once (not × replicas).
import type { Network } from '../grid/schema.ts';
import type { SimulationRecorder } from '../hierarchy/recorder.ts';

export interface ViolationLimits {
  readonly vmMinPu: number;
  readonly vmMaxPu: number;
  readonly loadingPercent: number;
}

export const DEFAULT_VIOLATION_LIMITS: ViolationLimits = { vmMinPu: 0.9, vmMaxPu: 1.1, loadingPercent: 100 };

/** Numerical slack on a recorded value before it counts as a violation (p.u. and %). */
const SLACK = 1e-6;

export interface CoordinationOutcome {
  readonly welfareEur: number;
  readonly generationCostEur: number;
  readonly lvVoltageViolationIntervals: number;
  readonly lvThermalViolationIntervals: number;
  readonly mvViolationIntervals: number;
}

const breaksVoltage = (vmMin: number, vmMax: number, l: ViolationLimits) =>
  vmMin < l.vmMinPu - SLACK || vmMax > l.vmMaxPu + SLACK;

/** Voltage band of one LV feeder (p.u.), by platform id. */
export type VoltageBands = ReadonlyMap<string, { readonly vmMinPu: number; readonly vmMaxPu: number }>;

/** Each LV feeder's voltage band: the tightest bus limits of its network (max vMin, min vMax). */
export function feederVoltageBands(
  feeders: readonly { readonly platformId: string; readonly network: Network }[],
): VoltageBands {
  return new Map(
    feeders.map((f) => [
      f.platformId,
      {
        vmMinPu: Math.max(...f.network.buses.map((b) => b.vmMinPu)),
        vmMaxPu: Math.min(...f.network.buses.map((b) => b.vmMaxPu)),
      },
    ]),
  );
}

/** Welfare (EUR) and violation counts of one run from its recorder (module comment). */
export function computeCoordinationOutcome(
  recorder: SimulationRecorder,
  limits: ViolationLimits = DEFAULT_VIOLATION_LIMITS,
  lvVoltageBands?: VoltageBands,
): CoordinationOutcome {
  // TSO rows repeat the system-wide cost once per DSO: count each hour once.
  const costByHour = new Map<string, number>();
  for (const r of recorder.tso) costByHour.set(r.timeUtc, r.generationCostEurPerH);
  const hours = [...costByHour.keys()].sort();
  const stepH =
    hours.length > 1 ? (Date.parse(hours[1]) - Date.parse(hours[0])) / 3_600_000 : hours.length ? 1 : 0;
  let generationCostEur = 0;
  for (const c of costByHour.values()) generationCostEur += c * stepH;
  let lvVoltage = 0;
  let lvThermal = 0;
  for (const r of recorder.platform) {
    if (breaksVoltage(r.vmMinPu, r.vmMaxPu, { ...limits, ...lvVoltageBands?.get(r.platform) })) lvVoltage++;
    if (r.transformerLoadingPercent > limits.loadingPercent + SLACK) lvThermal++;
  }
  let mv = 0;
  for (const r of recorder.dso)
    if (breaksVoltage(r.vmMinPu, r.vmMaxPu, limits) || r.maxLoadingPercent > limits.loadingPercent + SLACK)
      mv++;
  return {
    welfareEur: -generationCostEur,
    generationCostEur,
    lvVoltageViolationIntervals: lvVoltage,
    lvThermalViolationIntervals: lvThermal,
    mvViolationIntervals: mv,
  };
}

/** Relative welfare gap of a run to the reference (centralised): (W_ref − W) / |W_ref| (0 when W = W_ref). */
export function welfareGap(welfareEur: number, referenceWelfareEur: number): number {
  const scale = Math.abs(referenceWelfareEur);
  return scale > 0 ? (referenceWelfareEur - welfareEur) / scale : 0;
}
