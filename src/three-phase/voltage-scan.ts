// Per-bus voltage extremes and unbalance of a solved three-phase network, with precomputed node indices.
import { voltageUnbalancePct } from './bus-results.ts';
import type { ThreePhaseNetwork } from './model.ts';
import type { NodeIndex } from './primitive-admittance.ts';
import type { ThreePhasePowerFlowResult } from './solve-three-phase-power-flow.ts';

export interface VoltageScan {
  /** Buses with a voltage base, in network order. */
  readonly busIds: readonly string[];
  /** Node index of phase k of bus b at 3·b + k (−1 when absent). */
  readonly nodeOf: Int32Array;
  /** Line-to-neutral base of each bus, V. */
  readonly baseLnV: Float64Array;
}

export interface ScanSummary {
  vmMinPu: number;
  vmMinBus: string;
  vmMaxPu: number;
  vufMaxPct: number;
  vufMaxBus: string;
}

export function createVoltageScan(network: ThreePhaseNetwork, nodes: NodeIndex): VoltageScan {
  const buses = network.buses.filter((b) => b.baseKvLl !== undefined);
  return {
    busIds: buses.map((b) => b.id),
    nodeOf: Int32Array.from(buses.flatMap((b) => [1, 2, 3].map((k) => nodes.find(b.id, k) ?? -1))),
    baseLnV: Float64Array.from(buses, (b) => ((b.baseKvLl ?? 1) * 1000) / Math.sqrt(3)),
  };
}

/**
 * Lowest and highest phase |V| (p.u.) and the largest VUF (%, three-phase buses) over all buses; `visit` sees each
 * bus's own lowest, highest and VUF (0 for buses with fewer than three phases).
 */
export function scanVoltages(
  scan: VoltageScan,
  r: ThreePhasePowerFlowResult,
  visit?: (bus: number, vmLoPu: number, vmHiPu: number, vufPct: number) => void,
): ScanSummary {
  const out: ScanSummary = {
    vmMinPu: Number.POSITIVE_INFINITY,
    vmMinBus: '',
    vmMaxPu: 0,
    vufMaxPct: 0,
    vufMaxBus: '',
  };
  const re = [0, 0, 0];
  const im = [0, 0, 0];
  for (let b = 0; b < scan.busIds.length; b++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    let phases = 0;
    for (let k = 0; k < 3; k++) {
      const i = scan.nodeOf[3 * b + k];
      if (i < 0) continue;
      re[phases] = r.vRe[i];
      im[phases] = r.vIm[i];
      phases++;
      const vm = Math.sqrt(r.vRe[i] * r.vRe[i] + r.vIm[i] * r.vIm[i]) / scan.baseLnV[b];
      if (vm < lo) lo = vm;
      if (vm > hi) hi = vm;
    }
    if (phases === 0) continue;
    const vuf = phases === 3 ? voltageUnbalancePct(re, im) : 0;
    if (lo < out.vmMinPu) {
      out.vmMinPu = lo;
      out.vmMinBus = scan.busIds[b];
    }
    if (hi > out.vmMaxPu) out.vmMaxPu = hi;
    if (vuf > out.vufMaxPct) {
      out.vufMaxPct = vuf;
      out.vufMaxBus = scan.busIds[b];
    }
    visit?.(b, lo, hi, vuf);
  }
  return out;
}
