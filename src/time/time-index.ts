// UTC time index: a start instant, a fixed step in minutes and a length; time series are typed arrays on it.
//
// Everything is UTC (DESIGN.md): a local day with a DST change simply covers 46 or 50 half-hour UTC intervals,
// so no step is ever skipped or repeated. Local time is a display concern only.
import { z } from 'zod';
import { InputError, parseInput } from '../core/errors.ts';

export const MS_PER_MINUTE = 60_000;
export const MINUTES_PER_HOUR = 60;

/** ISO 8601 instant in UTC, e.g. `2024-06-01T00:00:00Z` (an explicit offset such as +02:00 is accepted). */
export const utcInstantSchema = z
  .string()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) &&
      !Number.isNaN(Date.parse(s)),
    'must be an ISO 8601 instant with a zone, e.g. 2024-06-01T00:00:00Z',
  );

export const timeIndexSchema = z.object({
  /** First interval's start (UTC, ISO 8601). */
  startUtc: utcInstantSchema,
  /** Interval length in minutes; a divisor or multiple of 60 is typical (1, 5, 15, 30, 60). */
  stepMin: z
    .number()
    .positive('must be positive')
    .refine((v) => Number.isInteger(v * 60), 'must be a whole number of seconds'),
  /** Number of intervals. */
  length: z.number().int().positive('must be a positive integer'),
});
export type TimeIndexInput = z.input<typeof timeIndexSchema>;

/** A validated time index. Interval k covers [startMs + k·stepMin, startMs + (k+1)·stepMin). */
export interface TimeIndex {
  readonly startUtc: string;
  readonly stepMin: number;
  readonly length: number;
  /** Start as milliseconds since the Unix epoch. */
  readonly startMs: number;
}

/** Validate and normalise a time index (start re-rendered in UTC with a `Z`). */
export function createTimeIndex(
  input: TimeIndexInput | unknown,
  path: readonly (string | number)[] = [],
): TimeIndex {
  const parsed = parseInput(timeIndexSchema, input, path);
  const startMs = Date.parse(parsed.startUtc);
  return {
    startUtc: new Date(startMs).toISOString(),
    stepMin: parsed.stepMin,
    length: parsed.length,
    startMs,
  };
}

/** A whole UTC day (`2024-06-01`) at the given step. */
export function dayTimeIndex(dateUtc: string, stepMin: number): TimeIndex {
  const length = (24 * MINUTES_PER_HOUR) / stepMin;
  if (!Number.isInteger(length)) throw InputError.single('bad_step', ['stepMin'], 'must divide 1440 minutes');
  return createTimeIndex({ startUtc: `${dateUtc}T00:00:00Z`, stepMin, length });
}

/** Interval length in hours (energy in kWh = power in kW × stepHours). */
export const stepHours = (index: TimeIndex): number => index.stepMin / MINUTES_PER_HOUR;

/** Start of interval k in ms since the epoch. */
export const intervalStartMs = (index: TimeIndex, k: number): number =>
  index.startMs + k * index.stepMin * MS_PER_MINUTE;

/** End of the index (exclusive) in ms since the epoch. */
export const endMs = (index: TimeIndex): number => intervalStartMs(index, index.length);

/** Start of interval k as an ISO 8601 UTC string. */
export const intervalStartUtc = (index: TimeIndex, k: number): string =>
  new Date(intervalStartMs(index, k)).toISOString();

/**
 * The interval that contains an instant, as a fractional position: 0 at the start, `length` at the end. Instants
 * outside the index give positions outside [0, length].
 */
export function positionOf(index: TimeIndex, instantUtc: string | number): number {
  const ms = typeof instantUtc === 'number' ? instantUtc : Date.parse(instantUtc);
  return (ms - index.startMs) / (index.stepMin * MS_PER_MINUTE);
}

/** Minutes since UTC midnight at the start of interval k (for daily profiles indexed by time of day). */
export function minuteOfDayUtc(index: TimeIndex, k: number): number {
  const ms = intervalStartMs(index, k);
  const dayMs = 24 * MINUTES_PER_HOUR * MS_PER_MINUTE;
  return (((ms % dayMs) + dayMs) % dayMs) / MS_PER_MINUTE;
}

/** Two indexes cover the same interval grid. */
export const isSameIndex = (a: TimeIndex, b: TimeIndex): boolean =>
  a.startMs === b.startMs && a.stepMin === b.stepMin && a.length === b.length;
