// Heat pump physics: COP versus outdoor temperature and the exact discretisation of a one-node thermal model.

/**
 * Coefficient of performance of an air-source heat pump as a function of the temperature lift
 * ΔT = supplyC − outdoorC (K): COP = 6.81 − 0.121·ΔT + 0.000630·ΔT² (Staffell, Brett, Brandon & Hawkes 2012,
 * "A review of domestic heat pumps", Energy Environ. Sci. 5, 9291, eq. 1 / Fig. 11, fitted for 15 K ≤ ΔT ≤ 60 K).
 * ΔT is clamped to that range and the result floored at 1 (direct electric heating).
 */
export function airSourceCop(outdoorC: number, supplyC = 40): number {
  const liftK = Math.min(60, Math.max(15, supplyC - outdoorC));
  return Math.max(1, 6.81 - 0.121 * liftK + 0.00063 * liftK * liftK);
}

/**
 * One-node thermal model C·dθ/dt = (θout − θ)/R + Q with heat input Q (kW thermal), C in kWh/K and R in K/kW,
 * integrated exactly over an interval of stepH hours with θout and Q constant:
 *   θ(t+Δ) = a·θ(t) + (1 − a)·(θout + R·Q),   a = exp(−Δ/(R·C)).
 * Returns a (dimensionless) for the given step.
 */
export const thermalDecay = (stepH: number, resistanceKPerKw: number, capacityKwhPerK: number): number =>
  Math.exp(-stepH / (resistanceKPerKw * capacityKwhPerK));

/** Advance the indoor temperature by one interval (°C) for an electric input pElectricKw at a given COP. */
export function nextIndoorC(
  indoorC: number,
  outdoorC: number,
  pElectricKw: number,
  cop: number,
  stepH: number,
  resistanceKPerKw: number,
  capacityKwhPerK: number,
): number {
  const a = thermalDecay(stepH, resistanceKPerKw, capacityKwhPerK);
  return a * indoorC + (1 - a) * (outdoorC + resistanceKPerKw * cop * pElectricKw);
}
