// Three-phase time series: per-bus consumption series placed on each bus's phase, one warm-started solve per step
// on a once-factorised network; per-step voltage extremes, voltage unbalance (EN 50160: 2 %), losses, violations.
import { voltageUnbalancePct } from './bus-results.ts';
import type { ThreePhaseLoad, ThreePhaseNetwork } from './model.ts';
import { prepareThreePhasePowerFlow, type ThreePhaseSolveOptions } from './solve-three-phase-power-flow.ts';

/** Consumption at one bus per step, kW / kvar (negative when the bus exports). */
export interface ThreePhaseLoadSeries {
  readonly bus: string;
  readonly pKw: ArrayLike<number>;
  readonly qKvar: ArrayLike<number>;
}

/** Solver options (tolerance defaults to 1e-6 here: |ΔV| below 0.25 mV on 230 V) and violation limits. */
export interface ThreePhaseTimeSeriesOptions extends ThreePhaseSolveOptions {
  /** Voltage limits, p.u. of each bus's line-to-neutral base (default 0.9 / 1.1, EN 50160). */
  readonly vmMinPu?: number;
  readonly vmMaxPu?: number;
  /** Voltage unbalance limit, % (default 2, EN 50160). */
  readonly vufMaxPct?: number;
  readonly onStep?: (step: number, total: number) => void;
}

export interface ThreePhaseViolation {
  readonly step: number;
  readonly kind: 'undervoltage' | 'overvoltage' | 'unbalance';
  readonly element: string;
  /** |V| in p.u. (worst phase) or VUF in %. */
  readonly value: number;
  readonly limit: number;
}

export interface ThreePhaseTimeSeriesResult {
  readonly status: 'converged' | 'not_converged';
  readonly stepCount: number;
  readonly busCount: number;
  readonly converged: Uint8Array;
  readonly iterations: Int32Array;
  readonly vmMinPu: Float64Array;
  readonly vmMaxPu: Float64Array;
  readonly vmMinBus: readonly string[];
  readonly vufMaxPct: Float64Array;
  readonly vufMaxBus: readonly string[];
  readonly lossesKw: Float64Array;
  readonly violationCount: Int32Array;
  readonly violations: readonly ThreePhaseViolation[];
}

/**
 * Replace the network's loads by the series: each series becomes a constant-power single-phase load on the phase
 * (nodes, kV) of the network's first load at that bus, or node 1 at the bus's line-to-neutral base otherwise; as
 * one P and one Q element so the two can vary independently. Returns the network and each element's series.
 */
export function placeLoadSeries(
  network: ThreePhaseNetwork,
  series: readonly ThreePhaseLoadSeries[],
): { network: ThreePhaseNetwork; values: ArrayLike<number>[] } {
  const loads: ThreePhaseLoad[] = [];
  const values: ArrayLike<number>[] = [];
  for (const s of series) {
    const bus = String(s.bus).toLowerCase();
    const existing = network.loads.find((l) => l.bus === bus);
    const base = network.buses.find((b) => b.id === bus);
    if (!base) throw new RangeError(`bus ${s.bus} is not in the three-phase network`);
    const shape = existing
      ? { nodes: existing.nodes, phases: existing.phases, connection: existing.connection, kv: existing.kv }
      : { nodes: [1], phases: 1, connection: 'wye' as const, kv: (base.baseKvLl ?? 0.4) / Math.sqrt(3) };
    const common = {
      bus,
      ...shape,
      model: 'constant-power' as const,
      vMinPu: 0,
      vMaxPu: Number.POSITIVE_INFINITY,
    };
    loads.push(
      { id: `${bus}-p`, ...common, pKw: 1, qKvar: 0 },
      { id: `${bus}-q`, ...common, pKw: 0, qKvar: 1 },
    );
    values.push(s.pKw, s.qKvar);
  }
  return { network: { ...network, loads }, values };
}

export function solveThreePhaseTimeSeries(
  baseNetwork: ThreePhaseNetwork,
  series: readonly ThreePhaseLoadSeries[],
  steps: number,
  options: ThreePhaseTimeSeriesOptions = {},
): ThreePhaseTimeSeriesResult {
  const { network, values } = placeLoadSeries(baseNetwork, series);
  const vmMin = options.vmMinPu ?? 0.9;
  const vmMax = options.vmMaxPu ?? 1.1;
  const vufLimit = options.vufMaxPct ?? 2;
  const prepared = prepareThreePhasePowerFlow(network, { tolerance: 1e-6, ...options });
  const buses = network.buses.filter((b) => b.baseKvLl !== undefined);
  // Node index of phase k of bus b at 3·b + k (−1 when absent), and each bus's line-to-neutral base.
  const nodeOf = Int32Array.from(
    buses.flatMap((b) => [1, 2, 3].map((k) => prepared.nodes.find(b.id, k) ?? -1)),
  );
  const baseOf = Float64Array.from(buses, (b) => ((b.baseKvLl ?? 1) * 1000) / Math.sqrt(3));
  const result = {
    converged: new Uint8Array(steps),
    iterations: new Int32Array(steps),
    vmMinPu: new Float64Array(steps),
    vmMaxPu: new Float64Array(steps),
    vmMinBus: new Array<string>(steps).fill(''),
    vufMaxPct: new Float64Array(steps),
    vufMaxBus: new Array<string>(steps).fill(''),
    lossesKw: new Float64Array(steps),
    violationCount: new Int32Array(steps),
  };
  const violations: ThreePhaseViolation[] = [];
  const scales = new Float64Array(values.length);
  const re = [0, 0, 0];
  const im = [0, 0, 0];
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < values.length; k++) scales[k] = values[k][t];
    const r = prepared.solve(scales, { warmStart: t > 0 });
    result.converged[t] = r.status === 'converged' ? 1 : 0;
    result.iterations[t] = r.iterations;
    result.lossesKw[t] = r.lossesW / 1000;
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    let vufMax = 0;
    let count = 0;
    for (let b = 0; b < buses.length; b++) {
      let busLo = Number.POSITIVE_INFINITY;
      let busHi = 0;
      let phases = 0;
      for (let k = 0; k < 3; k++) {
        const i = nodeOf[3 * b + k];
        if (i < 0) continue;
        re[phases] = r.vRe[i];
        im[phases] = r.vIm[i];
        phases++;
        const vm = Math.sqrt(r.vRe[i] * r.vRe[i] + r.vIm[i] * r.vIm[i]) / baseOf[b];
        if (vm < busLo) busLo = vm;
        if (vm > busHi) busHi = vm;
      }
      if (phases === 0) continue;
      if (busLo < lo) {
        lo = busLo;
        result.vmMinBus[t] = buses[b].id;
      }
      if (busHi > hi) hi = busHi;
      const vuf = phases === 3 ? voltageUnbalancePct(re, im) : 0;
      if (vuf > vufMax) {
        vufMax = vuf;
        result.vufMaxBus[t] = buses[b].id;
      }
      const element = buses[b].id;
      if (busLo < vmMin)
        violations.push({ step: t, kind: 'undervoltage', element, value: busLo, limit: vmMin });
      if (busHi > vmMax)
        violations.push({ step: t, kind: 'overvoltage', element, value: busHi, limit: vmMax });
      if (vuf > vufLimit)
        violations.push({ step: t, kind: 'unbalance', element, value: vuf, limit: vufLimit });
      count += (busLo < vmMin ? 1 : 0) + (busHi > vmMax ? 1 : 0) + (vuf > vufLimit ? 1 : 0);
    }
    result.vmMinPu[t] = lo;
    result.vmMaxPu[t] = hi;
    result.vufMaxPct[t] = vufMax;
    result.violationCount[t] = count;
    options.onStep?.(t + 1, steps);
  }
  return {
    status: result.converged.every((c) => c === 1) ? 'converged' : 'not_converged',
    stepCount: steps,
    busCount: buses.length,
    ...result,
    violations,
  };
}
