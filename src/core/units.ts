// Unit conversions and per-unit helpers: the one place where scale factors between units live.

export const KW_PER_MW = 1000;
export const DEG_PER_RAD = 180 / Math.PI;

export const kwToMw = (pKw: number): number => pKw / KW_PER_MW;
export const mwToKw = (pMw: number): number => pMw * KW_PER_MW;
export const degToRad = (angleDeg: number): number => angleDeg / DEG_PER_RAD;
export const radToDeg = (angleRad: number): number => angleRad * DEG_PER_RAD;

/** Base impedance in ohm for a base voltage (kV, line-to-line) and a three-phase base power (MVA). */
export const baseImpedanceOhm = (baseKv: number, baseMva: number): number => (baseKv * baseKv) / baseMva;

/** Base current in A for a base voltage (kV, line-to-line) and a three-phase base power (MVA). */
export const baseCurrentA = (baseKv: number, baseMva: number): number =>
  (baseMva * 1000) / (Math.sqrt(3) * baseKv);
