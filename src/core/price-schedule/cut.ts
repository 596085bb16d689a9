// Cutting a PriceSchedule: the part for a set of locations (one platform's), or a span of intervals (one day).
import { InputError } from '../errors.ts';
import { findScheduleIndex } from './lookup.ts';
import type { PriceSchedule } from './schema.ts';

/**
 * The schedule restricted to `locationIds`: their locations, and the fees whose buyer and seller locations are
 * both among them (what one platform needs of its DSO's schedule: its own location and its members').
 */
export function restrictScheduleToLocations(
  schedule: PriceSchedule,
  locationIds: ReadonlySet<string>,
): PriceSchedule {
  return {
    ...schedule,
    locations: schedule.locations.filter((l) => locationIds.has(l.locationId)),
    fees: schedule.fees.filter(
      (f) => locationIds.has(f.buyerLocationId) && locationIds.has(f.sellerLocationId),
    ),
  };
}

/**
 * The `intervalCount` intervals starting at `startUtc` (e.g. one day out of a week's schedule), every location's
 * prices and every fee cut to that span. InputError `out_of_schedule` when the span is misaligned with the
 * schedule's intervals or not inside it.
 */
export function sliceSchedule(
  schedule: PriceSchedule,
  startUtc: string,
  intervalCount: number,
): PriceSchedule {
  const first = findScheduleIndex(schedule, Date.parse(startUtc));
  if (
    first === null ||
    !Number.isInteger(intervalCount) ||
    intervalCount < 1 ||
    first + intervalCount > schedule.intervalCount
  )
    throw InputError.single(
      'out_of_schedule',
      ['startUtc'],
      `${intervalCount} intervals from ${startUtc} are not ${schedule.intervalMinutes}-minute intervals inside the schedule`,
    );
  const cut = (values: readonly number[]) => values.slice(first, first + intervalCount);
  return {
    ...schedule,
    startUtc: new Date(Date.parse(startUtc)).toISOString(),
    intervalCount,
    locations: schedule.locations.map((l) => ({
      ...l,
      importPriceEurPerKwh: cut(l.importPriceEurPerKwh),
      exportPriceEurPerKwh: cut(l.exportPriceEurPerKwh),
    })),
    fees: schedule.fees.map((f) => ({ ...f, feeEurPerKwh: cut(f.feeEurPerKwh) })),
  };
}

/** The 24 hours of schedule starting at `dayStartUtc` (a UTC midnight, or any aligned instant). */
export function scheduleForDay(schedule: PriceSchedule, dayStartUtc: string): PriceSchedule {
  return sliceSchedule(schedule, dayStartUtc, 1440 / schedule.intervalMinutes);
}
