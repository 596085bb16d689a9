// Prices a prosumer faces per interval: retail import/export prices and P2P price plus fee (EUR/kWh).
import { InputError } from '../core/errors.ts';

/**
 * Per-interval prices for one prosumer, the per-location slice of a PriceSchedule (DESIGN.md) plus an expected P2P
 * price. Import prices include any import-side network charge; the P2P fee is paid by the buyer on top of the P2P
 * price, the seller receives the P2P price.
 */
export interface ProsumerTariff {
  readonly importPriceEurPerKwh: Float64Array;
  readonly exportPriceEurPerKwh: Float64Array;
  readonly p2p?: {
    readonly priceEurPerKwh: Float64Array;
    readonly feeEurPerKwh: Float64Array;
    /** Cap on P2P trade in either direction (kW); defaults to the connection limits. */
    readonly limitKw?: number;
  };
}

/** A tariff with constant or time-of-use prices, for tests and examples. */
export function flatTariff(
  length: number,
  importPriceEurPerKwh: number | ArrayLike<number>,
  exportPriceEurPerKwh: number | ArrayLike<number>,
  p2p?: { priceEurPerKwh: number | ArrayLike<number>; feeEurPerKwh?: number | ArrayLike<number> },
): ProsumerTariff {
  const series = (value: number | ArrayLike<number>, name: string): Float64Array => {
    if (typeof value === 'number') return new Float64Array(length).fill(value);
    if (value.length !== length) {
      throw InputError.single(
        'length_mismatch',
        [name],
        `has ${value.length} values, the horizon has ${length}`,
      );
    }
    return Float64Array.from(value);
  };
  return {
    importPriceEurPerKwh: series(importPriceEurPerKwh, 'importPriceEurPerKwh'),
    exportPriceEurPerKwh: series(exportPriceEurPerKwh, 'exportPriceEurPerKwh'),
    p2p: p2p
      ? {
          priceEurPerKwh: series(p2p.priceEurPerKwh, 'p2p.priceEurPerKwh'),
          feeEurPerKwh: series(p2p.feeEurPerKwh ?? 0, 'p2p.feeEurPerKwh'),
        }
      : undefined,
  };
}
