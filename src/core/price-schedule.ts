// PriceSchedule (DESIGN.md): the one module for the schema and every operation on it (look-up, fallback, cut, resample).
export {
  restrictScheduleToLocations,
  scheduleForDay,
  sliceSchedule,
} from './price-schedule/cut.ts';
export {
  createFeeLookup,
  findScheduleIndex,
  type IntervalPrices,
  type LocationPriceSeries,
  locationPriceSeries,
  lookupFeeEurPerKwh,
  lookupLocationPrices,
  scheduleSpanMs,
} from './price-schedule/lookup.ts';
export { resampleSchedule } from './price-schedule/resample.ts';
export { type PriceSchedule, priceScheduleSchema } from './price-schedule/schema.ts';
