// Ledger texts round energy and prices for people.
import { describe, expect, it } from 'vitest';
import { formatLedgerEurPerKwh, formatLedgerKwh } from './ledger-text.ts';

describe('ledger texts', () => {
  it('drops float noise and trailing zeros', () => {
    expect(formatLedgerKwh(0.013500000000000005)).toBe('0.0135 kWh');
    expect(formatLedgerKwh(0.1 + 0.2)).toBe('0.3 kWh');
    expect(formatLedgerKwh(34)).toBe('34 kWh');
    expect(formatLedgerKwh(-1e-9)).toBe('0 kWh');
    expect(formatLedgerEurPerKwh(0.162278387)).toBe('0.162278 EUR/kWh');
    expect(formatLedgerEurPerKwh(0.3)).toBe('0.3 EUR/kWh');
  });
});
