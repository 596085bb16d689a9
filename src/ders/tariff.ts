// Prices a prosumer faces per interval: retail import/export prices and P2P price plus fee (EUR/kWh).
import { InputError } from '../core/errors.ts';
import type { PriceSchedule } from '../core/price-schedule.ts';
import { resamplePower } from '../time/resample.ts';
import { createTimeIndex, isSameIndex, type TimeIndex } from '../time/time-index.ts';

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

/**
 * The tariff of a prosumer at `locationId` from a DSO PriceSchedule (DESIGN.md), on the prosumer's time index:
 * import/export prices of that location, and, when an expected P2P price is given, the fee the schedule charges
 * a buyer at this location trading with `p2pSellerLocationId` (default: the same location, a local trade).
 * Schedule intervals of another length are averaged or repeated onto the index (time-weighted).
 */
export function tariffFromPriceSchedule(
  schedule: PriceSchedule,
  locationId: string,
  index: TimeIndex,
  p2p?: { readonly priceEurPerKwh: number | ArrayLike<number>; readonly sellerLocationId?: string },
): ProsumerTariff {
  const location = schedule.locations.find((l) => l.locationId === locationId);
  if (!location)
    throw InputError.single(
      'unknown_location',
      ['locationId'],
      `no location "${locationId}" in the price schedule`,
    );
  const from = createTimeIndex({
    startUtc: schedule.startUtc,
    stepMin: schedule.intervalMinutes,
    length: schedule.intervalCount,
  });
  const onIndex = (values: ArrayLike<number>) => {
    if (isSameIndex(from, index)) return Float64Array.from(values);
    return resamplePower(values, from, index);
  };
  const seller = p2p?.sellerLocationId ?? locationId;
  const fee = schedule.fees.find((f) => f.buyerLocationId === locationId && f.sellerLocationId === seller);
  return {
    importPriceEurPerKwh: onIndex(location.importPriceEurPerKwh),
    exportPriceEurPerKwh: onIndex(location.exportPriceEurPerKwh),
    p2p: p2p
      ? {
          priceEurPerKwh:
            typeof p2p.priceEurPerKwh === 'number'
              ? new Float64Array(index.length).fill(p2p.priceEurPerKwh)
              : Float64Array.from(p2p.priceEurPerKwh),
          feeEurPerKwh: fee ? onIndex(fee.feeEurPerKwh) : new Float64Array(index.length),
        }
      : undefined,
  };
}
