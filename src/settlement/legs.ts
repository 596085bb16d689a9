// A ledger leg before rounding, and the one energy/price formatting of settlement descriptions.

/**
 * One leg of a settlement transaction in euros, sign as in `ledger/`: positive = money the account receives.
 * A rule returns legs; the caller posts them with `Ledger.postRoundedTransaction`, which rounds each leg to the
 * micro-euro and books what rounding leaves over to the rounding-residual account.
 */
export interface Leg {
  readonly accountId: string;
  readonly amountEur: number;
}

const rounded = (value: number, decimals: number): number => Number(value.toFixed(decimals)) + 0;

/** Energy in a ledger description, rounded to 10⁻⁶ kWh so float noise does not show: `0.0135 kWh`. */
export function formatKwh(eKwh: number): string {
  return `${rounded(eKwh, 6)} kWh`;
}

/** A price in a ledger description, rounded to 10⁻⁹ EUR/kWh (the PriceSchedule's precision): `0.162278387 EUR/kWh`. */
export function formatEurPerKwh(priceEurPerKwh: number): string {
  return `${rounded(priceEurPerKwh, 9)} EUR/kWh`;
}
