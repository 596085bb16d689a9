// Regulator tap control with line-drop compensation, stepped to its band between solves as OpenDSS's static mode.
import type { ThreePhaseNetwork, ThreePhaseRegulator } from './model.ts';
import type { PrimitiveElement } from './primitive-admittance.ts';
import { GROUND } from './primitive-admittance.ts';
import { primitiveCurrents } from './system-matrix.ts';

/** Largest tap move of one control pass, steps (OpenDSS RegControl MaxTapChange default). */
const MAX_TAP_CHANGE = 16;

export interface RegulatorState {
  readonly regulator: ThreePhaseRegulator;
  readonly transformerIndex: number;
  tapPu: number;
}

export function createRegulatorStates(network: ThreePhaseNetwork): RegulatorState[] {
  return network.regulators.map((regulator) => {
    const transformerIndex = network.transformers.findIndex((t) => t.id === regulator.transformer);
    if (transformerIndex < 0)
      throw new RangeError(`regulator ${regulator.id}: no transformer ${regulator.transformer}`);
    const tapPu = network.transformers[transformerIndex].windings[regulator.winding - 1].tapPu;
    return { regulator, transformerIndex, tapPu };
  });
}

/**
 * One control pass: for each regulator, the compensated voltage V/PT − (R + jX)·I/CT of its first unit's controlled
 * winding (V on the PT secondary, I leaving the winding); outside vreg ± band/2 the tap moves by the whole number of
 * steps that brings it back to vreg (at most MAX_TAP_CHANGE), within [minTap, maxTap]. Returns true if any tap moved.
 */
export function stepRegulators(
  states: readonly RegulatorState[],
  unitsOf: (transformerIndex: number) => readonly PrimitiveElement[],
  v: Float64Array,
): boolean {
  let moved = false;
  for (const state of states) {
    const reg = state.regulator;
    const unit = unitsOf(state.transformerIndex)[0];
    const p = reg.winding === 1 ? 0 : 2;
    const at = (t: number, part: 0 | 1) =>
      unit.terminals[t] === GROUND ? 0 : v[2 * unit.terminals[t] + part];
    const vr = at(p, 0) - at(p + 1, 0);
    const vi = at(p, 1) - at(p + 1, 1);
    const currents = primitiveCurrents(unit, v);
    // Current leaving the winding terminal toward the load is minus the current into it.
    const ir = -currents.re[p] / reg.ctPrimA;
    const ii = -currents.im[p] / reg.ctPrimA;
    const cr = vr / reg.ptRatio - (reg.rV * ir - reg.xV * ii);
    const ci = vi / reg.ptRatio - (reg.rV * ii + reg.xV * ir);
    const vControlV = Math.hypot(cr, ci);
    const errorV = reg.vregV - vControlV;
    if (Math.abs(errorV) <= reg.bandV / 2) continue;
    const stepPu = (reg.maxTapPu - reg.minTapPu) / reg.numTaps;
    // One tap step changes the controlled voltage by about stepPu of the present voltage.
    let steps = Math.round(errorV / (stepPu * vControlV));
    if (steps === 0) steps = Math.sign(errorV);
    steps = Math.max(-MAX_TAP_CHANGE, Math.min(MAX_TAP_CHANGE, steps));
    const next = Math.max(reg.minTapPu, Math.min(reg.maxTapPu, state.tapPu + steps * stepPu));
    if (Math.abs(next - state.tapPu) > 1e-12) {
      state.tapPu = next;
      moved = true;
    }
  }
  return moved;
}
