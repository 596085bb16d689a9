// Time-series power flow: one prepared power flow (admittance, Jacobian pattern, ordering built once) solved for
// every interval of a time index with per-bus load series; voltage and thermal violations reported per step.
import { InputError } from '../core/errors.ts';
import type { ConvergenceStatus } from '../core/status.ts';
import { kwToMw, mwToKw } from '../core/units.ts';
import type { ElementId, Network } from '../grid/schema.ts';
import type { TimeIndex } from '../time/time-index.ts';
import { type PowerFlowOptions, preparePowerFlow } from './power-flow/index.ts';

/**
 * Radial feeders default to the backward/forward sweep; a network the sweep rejects as not radial (InputError)
 * falls back to Newton–Raphson. An explicit `method` is used as given.
 */
function prepareFor(network: Network, options: PowerFlowOptions) {
  if (options.method !== undefined) return preparePowerFlow(network, options);
  try {
    return preparePowerFlow(network, { ...options, method: 'bfs' });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return preparePowerFlow(network, { ...options, method: 'nr' });
  }
}

/** Consumption series at one bus (kW / kvar, positive consuming; negative when the bus exports). */
export interface BusLoadSeries {
  readonly bus: ElementId;
  readonly pKw: ArrayLike<number>;
  readonly qKvar: ArrayLike<number>;
}

/** Voltage limits and progress callback shared by the balanced and the three-phase time series. */
export interface TimeSeriesLimitOptions {
  /** Voltage limits for violations, p.u.; default each bus's vmMinPu / vmMaxPu (three-phase: 0.9 / 1.1). */
  readonly vmMinPu?: number;
  readonly vmMaxPu?: number;
  /** Called after each step (e.g. for a progress bar). */
  readonly onStep?: (step: number, total: number) => void;
}

export interface TimeSeriesPowerFlowOptions extends PowerFlowOptions, TimeSeriesLimitOptions {
  /** Keep the network's own static loads in addition to the series (default false: the series replace them). */
  readonly includeNetworkLoads?: boolean;
  /** Branch loading above which a thermal violation is reported (percent of rateAMva); default 100. */
  readonly maxLoadingPercent?: number;
  /** Keep the full |V| matrix (steps × buses) in the result; default false. */
  readonly keepVoltages?: boolean;
}

/** A limit broken at one step; `Kind` names the limits a time series checks. */
export interface StepViolation<Kind extends string> {
  readonly step: number;
  readonly kind: Kind;
  /** Bus id (voltage, unbalance) or branch id (thermal). */
  readonly element: ElementId;
  /** |V| in p.u., loading in percent or voltage unbalance in percent. */
  readonly value: number;
  readonly limit: number;
}

export type Violation = StepViolation<'undervoltage' | 'overvoltage' | 'thermal'>;

/** Per-step tables (typed arrays on the index) and the list of violations. */
export interface TimeSeriesPowerFlowResult {
  /** `converged` when every step converged. */
  readonly status: ConvergenceStatus;
  readonly stepCount: number;
  readonly busCount: number;
  readonly branchCount: number;
  readonly converged: Uint8Array;
  readonly iterations: Int32Array;
  readonly vmMinPu: Float64Array;
  readonly vmMaxPu: Float64Array;
  readonly vmMinBus: readonly ElementId[];
  readonly maxLoadingPercent: Float64Array;
  readonly maxLoadingBranch: readonly (ElementId | null)[];
  /** Series losses per step (kW). */
  readonly lossesKw: Float64Array;
  /** Power drawn from the slack bus per step (kW). */
  readonly slackKw: Float64Array;
  readonly violationCount: Int32Array;
  readonly violations: readonly Violation[];
  /** |V| per step and bus (row-major steps × buses, buses in `busIds` order) when keepVoltages. */
  readonly vmPu?: Float64Array;
  readonly busIds: readonly ElementId[];
}

/**
 * Solve the network's power flow at every interval of `index`. Each bus's consumption is the sum of the series
 * at that bus (plus the network's loads when includeNetworkLoads). Uses only the public power-flow API: one
 * `preparePowerFlow` and `solveArrays` per step with load overrides, so structures are built once.
 */
export function solveTimeSeriesPowerFlow(
  network: Network,
  index: TimeIndex,
  loads: readonly BusLoadSeries[],
  options: TimeSeriesPowerFlowOptions = {},
): TimeSeriesPowerFlowResult {
  const prepared = prepareFor(network, options);
  const net = prepared.indexed;
  const n = net.busCount;
  const m = net.branchCount;
  const steps = index.length;
  const positionOfBus = new Map<string, number>();
  for (const [i, id] of net.busIds.entries()) positionOfBus.set(String(id), i);
  const busOf = loads.map((series, s) => {
    const i = positionOfBus.get(String(series.bus));
    if (i === undefined)
      throw InputError.single(
        'unknown_bus',
        ['loads', s, 'bus'],
        `bus ${JSON.stringify(series.bus)} is not in service in the network`,
      );
    if (series.pKw.length !== steps || series.qKvar.length !== steps) {
      throw InputError.single(
        'length_mismatch',
        ['loads', s],
        `series need ${steps} values (one per interval)`,
      );
    }
    return i;
  });
  const baseP = options.includeNetworkLoads ? net.pLoadMw : new Float64Array(n);
  const baseQ = options.includeNetworkLoads ? net.qLoadMvar : new Float64Array(n);
  const vmMin = Float64Array.from(net.vmMinPu, (v) => options.vmMinPu ?? v);
  const vmMax = Float64Array.from(net.vmMaxPu, (v) => options.vmMaxPu ?? v);
  const loadingLimit = options.maxLoadingPercent ?? 100;
  const branchIds = Array.from(net.branchPosition, (p) => network.branches[p].id);
  const slackBuses = new Set(net.slackBus);

  const converged = new Uint8Array(steps);
  const iterations = new Int32Array(steps);
  const vmMinPu = new Float64Array(steps);
  const vmMaxPu = new Float64Array(steps);
  const vmMinBus: ElementId[] = [];
  const maxLoadingPercent = new Float64Array(steps);
  const maxLoadingBranch: (ElementId | null)[] = [];
  const lossesKw = new Float64Array(steps);
  const slackKw = new Float64Array(steps);
  const violationCount = new Int32Array(steps);
  const violations: Violation[] = [];
  const vmAll = options.keepVoltages ? new Float64Array(steps * n) : undefined;
  const pLoadMw = new Float64Array(n);
  const qLoadMvar = new Float64Array(n);

  for (let t = 0; t < steps; t++) {
    pLoadMw.set(baseP);
    qLoadMvar.set(baseQ);
    for (let s = 0; s < loads.length; s++) {
      pLoadMw[busOf[s]] += kwToMw(loads[s].pKw[t]);
      qLoadMvar[busOf[s]] += kwToMw(loads[s].qKvar[t]);
    }
    const r = prepared.solveArrays({ pLoadMw, qLoadMvar });
    converged[t] = r.outcome.converged ? 1 : 0;
    iterations[t] = r.outcome.iterations;
    lossesKw[t] = mwToKw(r.lossesMw);
    let slack = 0;
    for (let g = 0; g < net.generatorCount; g++)
      if (slackBuses.has(net.generatorBus[g])) slack += r.pGenMw[g];
    slackKw[t] = mwToKw(slack);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let loBus = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const v = r.vmPu[i];
      if (v < lo) {
        lo = v;
        loBus = i;
      }
      if (v > hi) hi = v;
      if (!r.outcome.converged) continue;
      if (v < vmMin[i] - 1e-9) {
        violations.push({ step: t, kind: 'undervoltage', element: net.busIds[i], value: v, limit: vmMin[i] });
        count++;
      } else if (v > vmMax[i] + 1e-9) {
        violations.push({ step: t, kind: 'overvoltage', element: net.busIds[i], value: v, limit: vmMax[i] });
        count++;
      }
    }
    if (vmAll) vmAll.set(r.vmPu, t * n);
    let worst = 0;
    let worstBranch = -1;
    for (let k = 0; k < m; k++) {
      const rate = net.branchRateMva[k];
      if (!(rate > 0)) continue;
      const sMva = Math.max(Math.hypot(r.pFromMw[k], r.qFromMvar[k]), Math.hypot(r.pToMw[k], r.qToMvar[k]));
      const loading = (100 * sMva) / rate;
      if (loading > worst) {
        worst = loading;
        worstBranch = k;
      }
      if (r.outcome.converged && loading > loadingLimit + 1e-9) {
        violations.push({
          step: t,
          kind: 'thermal',
          element: branchIds[k],
          value: loading,
          limit: loadingLimit,
        });
        count++;
      }
    }
    vmMinPu[t] = lo;
    vmMaxPu[t] = hi;
    vmMinBus.push(net.busIds[loBus]);
    maxLoadingPercent[t] = worst;
    maxLoadingBranch.push(worstBranch >= 0 ? branchIds[worstBranch] : null);
    violationCount[t] = count;
    options.onStep?.(t + 1, steps);
  }
  return {
    status: converged.every((c) => c === 1) ? 'converged' : 'not_converged',
    stepCount: steps,
    busCount: n,
    branchCount: m,
    converged,
    iterations,
    vmMinPu,
    vmMaxPu,
    vmMinBus,
    maxLoadingPercent,
    maxLoadingBranch,
    lossesKw,
    slackKw,
    violationCount,
    violations,
    vmPu: vmAll,
    busIds: net.busIds,
  };
}
