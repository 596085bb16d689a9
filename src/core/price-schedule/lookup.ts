// PriceSchedule look-ups: the interval of an instant, a location's prices (with a fallback location), pair fees.
import { InputError } from '../errors.ts';
import type { PriceSchedule } from './schema.ts';

export interface IntervalPrices {
  readonly importPriceEurPerKwh: number;
  readonly exportPriceEurPerKwh: number;
}

/** A location's import and export prices over the whole schedule (EUR/kWh, one value per interval). */
export interface LocationPriceSeries {
  readonly importPriceEurPerKwh: readonly number[];
  readonly exportPriceEurPerKwh: readonly number[];
}

/** Index of the interval starting at `intervalStartMs`, or null when outside the schedule or misaligned. */
export function findScheduleIndex(schedule: PriceSchedule, intervalStartMs: number): number | null {
  const offsetMs = intervalStartMs - Date.parse(schedule.startUtc);
  const stepMs = schedule.intervalMinutes * 60_000;
  if (offsetMs < 0 || offsetMs % stepMs !== 0) return null;
  const index = offsetMs / stepMs;
  return index < schedule.intervalCount ? index : null;
}

/** Time span covered by a schedule, [firstMs, endMs). */
export function scheduleSpanMs(schedule: PriceSchedule): {
  readonly firstMs: number;
  readonly endMs: number;
} {
  const firstMs = Date.parse(schedule.startUtc);
  return { firstMs, endMs: firstMs + schedule.intervalCount * schedule.intervalMinutes * 60_000 };
}

/** The prices of `locationId` in interval `index`, or null when the schedule has no such location. */
export function lookupLocationPrices(
  schedule: PriceSchedule,
  locationId: string,
  index: number,
): IntervalPrices | null {
  const location = schedule.locations.find((l) => l.locationId === locationId);
  if (!location) return null;
  return {
    importPriceEurPerKwh: location.importPriceEurPerKwh[index],
    exportPriceEurPerKwh: location.exportPriceEurPerKwh[index],
  };
}

/**
 * The price series of `locationId`; a location the schedule does not price takes `fallbackLocationId`'s prices
 * (a member without its own location is priced at its platform's). InputError `unknown_location` when neither is
 * in the schedule.
 */
export function locationPriceSeries(
  schedule: PriceSchedule,
  locationId: string,
  fallbackLocationId?: string,
): LocationPriceSeries {
  const location =
    schedule.locations.find((l) => l.locationId === locationId) ??
    (fallbackLocationId === undefined
      ? undefined
      : schedule.locations.find((l) => l.locationId === fallbackLocationId));
  if (!location)
    throw InputError.single(
      'unknown_location',
      ['locations'],
      `no prices for location "${locationId}"${fallbackLocationId === undefined ? '' : ` nor "${fallbackLocationId}"`}`,
    );
  return location;
}

/** The P2P fee (EUR/kWh, paid by the buyer) between two locations in interval `index`; 0 for a pair without fees. */
export function lookupFeeEurPerKwh(
  schedule: PriceSchedule,
  buyerLocationId: string,
  sellerLocationId: string,
  index: number,
): number {
  const fee = schedule.fees.find(
    (f) => f.buyerLocationId === buyerLocationId && f.sellerLocationId === sellerLocationId,
  );
  return fee ? fee.feeEurPerKwh[index] : 0;
}

/**
 * An indexed fee look-up for many trades: fee(buyer, seller, index) as `lookupFeeEurPerKwh`, where a location the
 * schedule does not price is taken as `fallbackLocationId` (a member without its own location trades from its
 * platform's).
 */
export function createFeeLookup(
  schedule: PriceSchedule,
  fallbackLocationId?: string,
): (buyerLocationId: string, sellerLocationId: string, index: number) => number {
  const priced = new Set(schedule.locations.map((l) => l.locationId));
  const byPair = new Map(
    schedule.fees.map((f) => [`${f.buyerLocationId}\n${f.sellerLocationId}`, f.feeEurPerKwh]),
  );
  const at = (id: string) => (priced.has(id) || fallbackLocationId === undefined ? id : fallbackLocationId);
  return (buyer, seller, index) => byPair.get(`${at(buyer)}\n${at(seller)}`)?.[index] ?? 0;
}
