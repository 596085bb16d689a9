// Plane-of-array factors for a PV orientation: how much more or less a tilted, oriented module receives than the
// horizontal plane the bundled PV shape stands for, minute by minute over a UTC day (solar geometry, isotropic sky).
//
// Source: J. A. Duffie, W. A. Beckman, Solar Engineering of Thermal Processes, 4th ed., Wiley 2013: declination
// eq. 1.6.1a (Cooper), incidence angle eq. 1.6.2, zenith eq. 1.6.5, beam ratio R_b eq. 1.8.1, isotropic-sky
// (Liu–Jordan) transposition eq. 2.15.1 with a fixed diffuse fraction and no ground reflection.

const RAD = Math.PI / 180;
/** Share of horizontal irradiance that is diffuse (a fixed clear-to-partly-cloudy value). */
export const DIFFUSE_FRACTION = 0.3;
/** R_b is capped by taking the zenith cosine at least cos 85° (low sun: the ratio of two small numbers). */
const MIN_COS_ZENITH = Math.cos(85 * RAD);

export interface PvOrientation {
  /** Compass azimuth the module faces (deg): 90 east, 180 south, 270 west. */
  readonly azimuthDeg: number;
  /** Tilt from horizontal (deg): 0 flat, 90 vertical. */
  readonly tiltDeg: number;
  /** Site latitude (deg, north positive); the bundled feeders are British (51.5). */
  readonly latitudeDeg: number;
}

/** Solar declination (deg) on day n of the year (1 = 1 January), Cooper's equation. */
export function solarDeclinationDeg(dayOfYear: number): number {
  return 23.45 * Math.sin((360 * (284 + dayOfYear) * RAD) / 365);
}

/**
 * Cosines of the angle of incidence on the module and of the solar zenith at hour angle ω (deg, solar noon 0,
 * afternoon positive) with declination δ (deg).
 */
export function incidenceCosines(
  orientation: PvOrientation,
  declinationDeg: number,
  hourAngleDeg: number,
): { readonly cosIncidence: number; readonly cosZenith: number } {
  const phi = orientation.latitudeDeg * RAD;
  const beta = orientation.tiltDeg * RAD;
  // Surface azimuth from south, west positive (Duffie–Beckman's γ).
  const gamma = (orientation.azimuthDeg - 180) * RAD;
  const delta = declinationDeg * RAD;
  const omega = hourAngleDeg * RAD;
  const cosIncidence =
    Math.sin(delta) * Math.sin(phi) * Math.cos(beta) -
    Math.sin(delta) * Math.cos(phi) * Math.sin(beta) * Math.cos(gamma) +
    Math.cos(delta) * Math.cos(phi) * Math.cos(beta) * Math.cos(omega) +
    Math.cos(delta) * Math.sin(phi) * Math.sin(beta) * Math.cos(gamma) * Math.cos(omega) +
    Math.cos(delta) * Math.sin(beta) * Math.sin(gamma) * Math.sin(omega);
  const cosZenith = Math.cos(phi) * Math.cos(delta) * Math.cos(omega) + Math.sin(phi) * Math.sin(delta);
  return { cosIncidence, cosZenith };
}

/** Plane-of-array / horizontal irradiance ratio: (1 − f_d)·R_b + f_d·(1 + cos β)/2, zero with the sun down. */
export function planeOfArrayFactor(
  orientation: PvOrientation,
  declinationDeg: number,
  hourAngleDeg: number,
): number {
  const { cosIncidence, cosZenith } = incidenceCosines(orientation, declinationDeg, hourAngleDeg);
  if (cosZenith <= 0) return 0;
  const beamRatio = Math.max(0, cosIncidence) / Math.max(cosZenith, MIN_COS_ZENITH);
  const skyView = (1 + Math.cos(orientation.tiltDeg * RAD)) / 2;
  return (1 - DIFFUSE_FRACTION) * beamRatio + DIFFUSE_FRACTION * skyView;
}

/**
 * 1,440 factors for the UTC day starting at `dayStartMs`, minute k at its midpoint, solar time = UTC (longitude 0,
 * equation of time neglected: under 17 min).
 */
export function planeOfArrayDayFactors(orientation: PvOrientation, dayStartMs: number): Float64Array {
  const start = new Date(dayStartMs);
  const dayOfYear = Math.floor((dayStartMs - Date.UTC(start.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
  const declination = solarDeclinationDeg(dayOfYear);
  return Float64Array.from({ length: 1440 }, (_, k) =>
    planeOfArrayFactor(orientation, declination, ((k + 0.5) / 60 - 12) * 15),
  );
}
