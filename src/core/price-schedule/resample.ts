// Changing a PriceSchedule's resolution: prices repeated onto finer intervals, time-weighted means onto coarser ones.
import { InputError } from '../errors.ts';
import type { PriceSchedule } from './schema.ts';

/**
 * The schedule on `intervalMinutes`-minute intervals (a whole multiple or divisor of its own). Prices and fees are
 * intensive (EUR/kWh): onto a finer step each value is repeated; onto a coarser step each new value is the
 * time-weighted mean of the intervals it covers, so a consumer drawing constant power over a coarse interval pays
 * the same money on either schedule. Refining then coarsening gives the original schedule back.
 * InputError `bad_resolution` for other ratios, or when the coarse step does not divide the schedule's span.
 */
export function resampleSchedule(schedule: PriceSchedule, intervalMinutes: number): PriceSchedule {
  const from = schedule.intervalMinutes;
  if (intervalMinutes === from) return schedule;
  const finer = from % intervalMinutes === 0;
  const ratio = finer ? from / intervalMinutes : intervalMinutes / from;
  if (!Number.isInteger(ratio) || ratio < 1 || (!finer && schedule.intervalCount % ratio !== 0))
    throw InputError.single(
      'bad_resolution',
      ['intervalMinutes'],
      `cannot resample ${schedule.intervalCount} intervals of ${from} min onto ${intervalMinutes}-minute intervals`,
    );
  const change = finer
    ? (values: readonly number[]) => values.flatMap((x) => new Array<number>(ratio).fill(x))
    : (values: readonly number[]) =>
        Array.from({ length: values.length / ratio }, (_, k) => {
          let sum = 0;
          for (let j = 0; j < ratio; j++) sum += values[k * ratio + j];
          return sum / ratio;
        });
  return {
    ...schedule,
    intervalMinutes,
    intervalCount: finer ? schedule.intervalCount * ratio : schedule.intervalCount / ratio,
    locations: schedule.locations.map((l) => ({
      ...l,
      importPriceEurPerKwh: change(l.importPriceEurPerKwh),
      exportPriceEurPerKwh: change(l.exportPriceEurPerKwh),
    })),
    fees: schedule.fees.map((f) => ({ ...f, feeEurPerKwh: change(f.feeEurPerKwh) })),
  };
}
