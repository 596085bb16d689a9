// Load currents for the fixed-point iteration: model current minus the nominal admittance kept in Y (OpenDSS style).
import type { LoadElements } from './load-elements.ts';
import { GROUND } from './primitive-admittance.ts';

/**
 * Current drawn by element e (from `from` to `to`, A) at element voltage (vr, vi): constant power I = conj(S/V),
 * constant impedance I = conj(S)·V/V_nom², constant current |I| = |S|/V_nom at the power-factor angle behind V;
 * outside [vMinPu, vMaxPu]·V_nom every model is the constant impedance with the power at the limit voltage
 * (OpenDSS Load, Vminpu/Vmaxpu).
 */
function loadCurrent(
  el: LoadElements,
  e: number,
  scale: number,
  vr: number,
  vi: number,
  out: Float64Array,
): void {
  const p = el.pW[e] * scale;
  const q = el.qVar[e] * scale;
  const vNom = el.vNomV[e];
  const vMag = Math.hypot(vr, vi);
  let model = el.model[e];
  let vRef = vNom;
  if (vMag < el.vMinPu[e] * vNom) {
    model = 1;
    vRef = el.vMinPu[e] * vNom;
  } else if (vMag > el.vMaxPu[e] * vNom) {
    model = 1;
    vRef = el.vMaxPu[e] * vNom;
  }
  if (model === 0) {
    // I = conj(S / V) = (P − jQ) / conj(V) = (P − jQ)·V / |V|².
    const d = vMag * vMag;
    out[0] = (p * vr + q * vi) / d;
    out[1] = (p * vi - q * vr) / d;
  } else if (model === 1 || vMag === 0) {
    const d = vRef * vRef;
    out[0] = (p * vr + q * vi) / d;
    out[1] = (p * vi - q * vr) / d;
  } else {
    const d = vNom * vMag;
    out[0] = (p * vr + q * vi) / d;
    out[1] = (p * vi - q * vr) / d;
  }
}

/**
 * Add to `rhs` (interleaved re/im injections, A) each load's compensation current −(I_model − Y_nom·V_e) at its
 * `from` terminal and the opposite at `to`. `scales[load]` multiplies the rated P and Q (load shapes).
 */
export function addLoadCompensation(
  el: LoadElements,
  v: Float64Array,
  scales: ArrayLike<number> | undefined,
  rhs: Float64Array,
): void {
  const current = new Float64Array(2);
  for (let e = 0; e < el.count; e++) {
    const f = el.from[e];
    const t = el.to[e];
    const vr = (f === GROUND ? 0 : v[2 * f]) - (t === GROUND ? 0 : v[2 * t]);
    const vi = (f === GROUND ? 0 : v[2 * f + 1]) - (t === GROUND ? 0 : v[2 * t + 1]);
    loadCurrent(el, e, scales ? scales[el.load[e]] : 1, vr, vi, current);
    const v2 = el.vNomV[e] ** 2;
    const g = el.pW[e] / v2;
    const b = -el.qVar[e] / v2;
    const dr = current[0] - (g * vr - b * vi);
    const di = current[1] - (g * vi + b * vr);
    if (f !== GROUND) {
      rhs[2 * f] -= dr;
      rhs[2 * f + 1] -= di;
    }
    if (t !== GROUND) {
      rhs[2 * t] += dr;
      rhs[2 * t + 1] += di;
    }
  }
}

/** Total power drawn by the loads at voltages v (W, var), with the same scales. */
export function totalLoadPower(
  el: LoadElements,
  v: Float64Array,
  scales: ArrayLike<number> | undefined,
): { pW: number; qVar: number } {
  const current = new Float64Array(2);
  let pW = 0;
  let qVar = 0;
  for (let e = 0; e < el.count; e++) {
    const f = el.from[e];
    const t = el.to[e];
    const vr = (f === GROUND ? 0 : v[2 * f]) - (t === GROUND ? 0 : v[2 * t]);
    const vi = (f === GROUND ? 0 : v[2 * f + 1]) - (t === GROUND ? 0 : v[2 * t + 1]);
    loadCurrent(el, e, scales ? scales[el.load[e]] : 1, vr, vi, current);
    pW += vr * current[0] + vi * current[1];
    qVar += vi * current[0] - vr * current[1];
  }
  return { pW, qVar };
}
