// Money in integer micro-euros (bigint) and the one rounding rule that turns a floating euro amount into it.

/** An amount of money in micro-euros (10⁻⁶ EUR, or the case currency's millionths), exact as a bigint. */
export type MicroEur = bigint;

export const MICRO_EUR_PER_EUR = 1_000_000;

/**
 * Round a euro amount to micro-euros, half to even (banker's rounding), so that rounding carries no bias in
 * either direction over many legs. The product `eurAmount·10⁶` is taken in binary floating point first; amounts
 * beyond ±9·10⁹ EUR (2⁵³ micro-euros) are rejected because they can no longer be rounded to the unit.
 */
export function roundEurToMicroEur(amountEur: number): MicroEur {
  if (!Number.isFinite(amountEur)) throw new RangeError(`amount is not finite: ${amountEur}`);
  const scaled = amountEur * MICRO_EUR_PER_EUR;
  if (Math.abs(scaled) > Number.MAX_SAFE_INTEGER) throw new RangeError(`amount too large: ${amountEur} EUR`);
  const floor = Math.floor(scaled);
  const fraction = scaled - floor;
  let rounded: number;
  if (fraction > 0.5) rounded = floor + 1;
  else if (fraction < 0.5) rounded = floor;
  else rounded = floor % 2 === 0 ? floor : floor + 1;
  return BigInt(rounded);
}

/** Micro-euros back to euros as a number (exact below 2⁵³ micro-euros), for reports only. */
export function microEurToEur(amount: MicroEur): number {
  return Number(amount) / MICRO_EUR_PER_EUR;
}
