// A platform's LV feeder model: members' metered injections as loads at their buses, the AC power flow of the feeder.
import { InputError } from '../core/errors.ts';
import { kwToMw, mwToKw } from '../core/units.ts';
import type { ProsumerSpec } from '../ders/schema.ts';
import { type PreparedPowerFlow, preparePowerFlow } from '../problems/power-flow/index.ts';
import { ThreePhaseFeeder } from '../three-phase/three-phase-feeder.ts';
import type { FeederTopology } from './recorder.ts';
import type { FeederModel } from './system-model.ts';

/** Prepare a feeder power flow: sweep for radial feeders, Newton–Raphson otherwise. */
export function prepareFeederPowerFlow(network: FeederModel['network']): PreparedPowerFlow {
  try {
    return preparePowerFlow(network, { method: 'bfs' });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return preparePowerFlow(network, { method: 'nr' });
  }
}

/**
 * Feeders on the same (immutable) network share one prepared power flow: each solve starts from the flat start
 * and overwrites the solver's scratch arrays, and platforms solve one at a time.
 */
const sharedPowerFlows = new WeakMap<FeederModel['network'], PreparedPowerFlow>();
function sharedFeederPowerFlow(network: FeederModel['network']): PreparedPowerFlow {
  let prepared = sharedPowerFlows.get(network);
  if (!prepared) sharedPowerFlows.set(network, (prepared = prepareFeederPowerFlow(network)));
  return prepared;
}

/** One feeder power flow: head import (kW, kVAr), LV losses, voltage extremes, transformer loading, consumption. */
export interface FeederState {
  readonly headKw: number;
  readonly headKvar: number;
  readonly lossesKw: number;
  readonly vmMinPu: number;
  readonly vmMaxPu: number;
  readonly transformerLoadingPercent: number;
  /** Largest voltage unbalance, % (NaN for a balanced feeder model). */
  readonly vufMaxPct: number;
  /** Σ members' net consumption (kW). */
  readonly consumptionKw: number;
  /** With `withBusStates`: voltage per bus and |S| at each branch's from end (kVA), order of `topology()`. */
  readonly busVmPu?: Float32Array;
  readonly branchFlowFromKva?: Float32Array;
}

export class FeederGrid {
  private readonly powerFlow: PreparedPowerFlow;
  private readonly busIndex: Map<string, number>;
  private readonly specs: Map<string, ProsumerSpec>;
  private readonly transformer: number;
  /** Set when the feeder is solved three-phase (members in feeder.members order). */
  private readonly threePhase?: ThreePhaseFeeder;
  private readonly memberIndex: Map<string, number>;

  constructor(private readonly feeder: FeederModel) {
    this.memberIndex = new Map(feeder.members.map((m, i) => [m.id, i]));
    if (feeder.threePhase)
      this.threePhase = new ThreePhaseFeeder(
        feeder.threePhase,
        feeder.members.map((m) => String(m.bus)),
      );
    this.powerFlow = sharedFeederPowerFlow(feeder.network);
    this.busIndex = new Map(this.powerFlow.busIds.map((id, i) => [String(id), i]));
    this.specs = new Map(feeder.members.map((m) => [m.id, m]));
    this.transformer = feeder.network.branches.findIndex((b) => b.kind === 'transformer');
  }

  /** Power flow of interval k with each member's net injection (kW) as a load at its bus, at its power factor. */
  solve(
    meters: readonly { readonly id: string; readonly netInjectionKw: ArrayLike<number> }[],
    k: number,
    withBusStates = false,
  ): FeederState {
    const busCount = this.powerFlow.busIds.length;
    const pLoadMw = new Float64Array(busCount);
    const qLoadMvar = new Float64Array(busCount);
    let consumptionKw = 0;
    for (const meter of meters) {
      const spec = this.specs.get(meter.id)!;
      const i = this.busIndex.get(String(spec.bus))!;
      const pKw = -meter.netInjectionKw[k];
      consumptionKw += pKw;
      pLoadMw[i] += kwToMw(pKw);
      qLoadMvar[i] += kwToMw(Math.max(0, pKw) * Math.tan(Math.acos(spec.powerFactor)));
    }
    if (this.threePhase) return this.solveThreePhase(this.threePhase, meters, k, consumptionKw);
    const r = this.powerFlow.solveArrays({ pLoadMw, qLoadMvar });
    let vmMinPu = Number.POSITIVE_INFINITY;
    let vmMaxPu = 0;
    for (let i = 0; i < busCount; i++) {
      vmMinPu = Math.min(vmMinPu, r.vmPu[i]);
      vmMaxPu = Math.max(vmMaxPu, r.vmPu[i]);
    }
    const t = this.transformer;
    const rate = t >= 0 ? this.feeder.network.branches[t].rateAMva : 0;
    return {
      headKw: mwToKw(r.pGenMw.reduce((a, b) => a + b, 0)),
      headKvar: mwToKw(r.qGenMvar.reduce((a, b) => a + b, 0)),
      lossesKw: mwToKw(r.lossesMw),
      vmMinPu,
      vmMaxPu,
      transformerLoadingPercent:
        t >= 0 && rate > 0 ? (100 * Math.hypot(r.pFromMw[t], r.qFromMvar[t])) / rate : 0,
      vufMaxPct: Number.NaN,
      consumptionKw,
      ...(withBusStates && {
        busVmPu: Float32Array.from(r.vmPu),
        branchFlowFromKva: Float32Array.from(r.pFromMw, (p, j) => mwToKw(Math.hypot(p, r.qFromMvar[j]))),
      }),
    };
  }

  private solveThreePhase(
    feeder: ThreePhaseFeeder,
    meters: readonly { readonly id: string; readonly netInjectionKw: ArrayLike<number> }[],
    k: number,
    consumptionKw: number,
  ): FeederState {
    const pKw = new Float64Array(this.memberIndex.size);
    const qKvar = new Float64Array(this.memberIndex.size);
    for (const meter of meters) {
      const i = this.memberIndex.get(meter.id)!;
      const spec = this.specs.get(meter.id)!;
      pKw[i] = -meter.netInjectionKw[k];
      qKvar[i] = Math.max(0, pKw[i]) * Math.tan(Math.acos(spec.powerFactor));
    }
    const s = feeder.solve(pKw, qKvar);
    return { ...s, consumptionKw };
  }

  /** In-service bus ids and branches in the order of `busVmPu` / `branchFlowFromKva`. */
  topology(): FeederTopology {
    const { indexed, busIds } = this.powerFlow;
    const branches = [];
    for (let j = 0; j < indexed.branchCount; j++)
      branches.push({
        id: String(this.feeder.network.branches[indexed.branchPosition[j]].id),
        fromBus: String(busIds[indexed.branchFrom[j]]),
        toBus: String(busIds[indexed.branchTo[j]]),
      });
    return { busIds: busIds.map(String), branches };
  }
}
