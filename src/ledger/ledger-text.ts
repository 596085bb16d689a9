// Numbers in ledger descriptions: rounded for people (the postings carry the exact amounts).

/** Energy for a ledger text, to 1 mWh with trailing zeros dropped: 0.013500000000000005 → "0.0135 kWh". */
export function formatLedgerKwh(energyKwh: number): string {
  const rounded = Number(energyKwh.toFixed(6));
  return `${Object.is(rounded, -0) ? 0 : rounded} kWh`;
}

/** A price for a ledger text, to 1e-6 EUR/kWh with trailing zeros dropped: 0.1622783870001 → "0.162278 EUR/kWh". */
export function formatLedgerEurPerKwh(priceEurPerKwh: number): string {
  const rounded = Number(priceEurPerKwh.toFixed(6));
  return `${Object.is(rounded, -0) ? 0 : rounded} EUR/kWh`;
}
