// Per-bus view of a three-phase solution: each phase's magnitude (p.u. of the bus's line-to-neutral base), angle, volts,
// and the voltage unbalance factor |V2| / |V1| (EN 50160).
import type { ThreePhaseNetwork } from './model.ts';
import type { ThreePhasePowerFlowResult } from './solve-three-phase-power-flow.ts';

export interface PhaseVoltage {
  readonly vmPu: number;
  readonly vaDeg: number;
  readonly vLnV: number;
}

export interface ThreePhaseBusResult {
  readonly id: string;
  /** Line-to-neutral base, V (NaN when the bus has no voltage base). */
  readonly baseLnV: number;
  readonly phases: { readonly a?: PhaseVoltage; readonly b?: PhaseVoltage; readonly c?: PhaseVoltage };
  /** Negative- over positive-sequence voltage, %, for buses with all three phases; undefined otherwise. */
  readonly vufPct?: number;
}

const PHASE_KEYS = ['a', 'b', 'c'] as const;

/**
 * Voltage unbalance factor, %: |V2| / |V1| with V1 = (Va + α·Vb + α²·Vc)/3, V2 = (Va + α²·Vb + α·Vc)/3,
 * α = e^{j120°}. The zero sequence drops out, so it equals the line-to-line definition of EN 50160.
 */
export function voltageUnbalancePct(re: readonly number[], im: readonly number[]): number {
  const c = -0.5;
  const s = Math.sqrt(3) / 2;
  // α·V = (c·r − s·i, s·r + c·i); α²·V = (c·r + s·i, −s·r + c·i)
  const v1r = re[0] + (c * re[1] - s * im[1]) + (c * re[2] + s * im[2]);
  const v1i = im[0] + (s * re[1] + c * im[1]) + (-s * re[2] + c * im[2]);
  const v2r = re[0] + (c * re[1] + s * im[1]) + (c * re[2] - s * im[2]);
  const v2i = im[0] + (-s * re[1] + c * im[1]) + (s * re[2] + c * im[2]);
  const v1 = Math.hypot(v1r, v1i);
  return v1 > 0 ? (100 * Math.hypot(v2r, v2i)) / v1 : 0;
}

/** Buses in network order, phases a, b, c = nodes 1, 2, 3 (other nodes are not reported). */
export function threePhaseBusResults(
  network: ThreePhaseNetwork,
  result: ThreePhasePowerFlowResult,
): ThreePhaseBusResult[] {
  return network.buses.map((bus) => {
    const baseLnV = bus.baseKvLl !== undefined ? (bus.baseKvLl * 1000) / Math.sqrt(3) : Number.NaN;
    const phases: Record<string, PhaseVoltage> = {};
    const re: number[] = [];
    const im: number[] = [];
    PHASE_KEYS.forEach((key, k) => {
      const index = result.nodes.find(bus.id, k + 1);
      if (index === undefined || index < 0) return;
      const vr = result.vRe[index];
      const vi = result.vIm[index];
      const vLnV = Math.hypot(vr, vi);
      phases[key] = { vmPu: vLnV / baseLnV, vaDeg: (Math.atan2(vi, vr) * 180) / Math.PI, vLnV };
      re.push(vr);
      im.push(vi);
    });
    const vufPct = re.length === 3 ? voltageUnbalancePct(re, im) : undefined;
    return { id: bus.id, baseLnV, phases, ...(vufPct === undefined ? {} : { vufPct }) };
  });
}
