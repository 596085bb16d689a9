// PriceSchedule (DESIGN.md): import/export price per location and interval, a fee per (buyer, seller) location pair and interval.
import { z } from 'zod';
import { InputError, type InputIssue, parseInput } from '../core/errors.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const series = z.array(finite);

/**
 * What the DSO sends down and platforms, prosumers and the service consume. Interval t starts at
 * `startUtc + t·resolutionMinutes`. Import price: what a prosumer at the location pays the grid per kWh; export
 * price: what it is paid per kWh fed in (export ≤ import in every interval, or a prosumer could cycle energy
 * for profit). Fees: paid by the buyer per kWh of a P2P trade from a seller at `sellerLocation` to a buyer at
 * `buyerLocation` (Morstyn et al. 2020); pairs not listed pay no fee. Fees go to `feeRecipientId`.
 */
export const priceScheduleSchema = z.object({
  currency: z.string().default('EUR'),
  startUtc: z.iso.datetime(),
  resolutionMinutes: z.number().int().positive(),
  intervalCount: z.number().int().positive(),
  feeRecipientId: z.string().min(1).default('dso'),
  locations: z.array(
    z.object({
      id: z.string().min(1),
      importPriceEurPerKwh: series,
      exportPriceEurPerKwh: series,
    }),
  ),
  fees: z
    .array(
      z.object({
        buyerLocation: z.string().min(1),
        sellerLocation: z.string().min(1),
        feeEurPerKwh: series,
      }),
    )
    .default([]),
});

export type PriceSchedule = z.infer<typeof priceScheduleSchema>;

function checkPriceSchedule(schedule: PriceSchedule): InputIssue[] {
  const issues: InputIssue[] = [];
  const n = schedule.intervalCount;
  const checkLength = (values: readonly number[], path: (string | number)[]) => {
    if (values.length !== n)
      issues.push({
        code: 'length',
        path,
        message: `has ${values.length} values, expected intervalCount = ${n}`,
      });
  };
  const ids = new Set<string>();
  schedule.locations.forEach((location, i) => {
    if (ids.has(location.id))
      issues.push({
        code: 'duplicate_id',
        path: ['locations', i, 'id'],
        message: `duplicate location ${location.id}`,
      });
    ids.add(location.id);
    checkLength(location.importPriceEurPerKwh, ['locations', i, 'importPriceEurPerKwh']);
    checkLength(location.exportPriceEurPerKwh, ['locations', i, 'exportPriceEurPerKwh']);
    location.exportPriceEurPerKwh.forEach((exportPrice, t) => {
      const importPrice = location.importPriceEurPerKwh[t];
      if (importPrice !== undefined && exportPrice > importPrice)
        issues.push({
          code: 'export_above_import',
          path: ['locations', i, 'exportPriceEurPerKwh', t],
          message: `export price ${exportPrice} exceeds import price ${importPrice}`,
        });
    });
  });
  const pairs = new Set<string>();
  schedule.fees.forEach((fee, j) => {
    for (const field of ['buyerLocation', 'sellerLocation'] as const) {
      if (!ids.has(fee[field]))
        issues.push({
          code: 'unknown_id',
          path: ['fees', j, field],
          message: `unknown location ${fee[field]}`,
        });
    }
    const key = `${fee.buyerLocation}\u0000${fee.sellerLocation}`;
    if (pairs.has(key))
      issues.push({
        code: 'duplicate_pair',
        path: ['fees', j],
        message: 'duplicate (buyer, seller) location pair',
      });
    pairs.add(key);
    checkLength(fee.feeEurPerKwh, ['fees', j, 'feeEurPerKwh']);
  });
  return issues;
}

/** Validate a price schedule; throws an InputError naming each bad field. */
export function parsePriceSchedule(value: unknown, prefix: readonly (string | number)[] = []): PriceSchedule {
  const schedule = parseInput(priceScheduleSchema, value, prefix);
  const issues = checkPriceSchedule(schedule);
  if (issues.length > 0)
    throw new InputError(issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] })));
  return schedule;
}

/** Compiled look-ups on a validated schedule (EUR/kWh); unknown locations throw a RangeError. */
export interface PriceLookup {
  importPriceEurPerKwh(location: string, interval: number): number;
  exportPriceEurPerKwh(location: string, interval: number): number;
  feeEurPerKwh(buyerLocation: string, sellerLocation: string, interval: number): number;
  intervalStartUtc(interval: number): string;
}

export function createPriceLookup(schedule: PriceSchedule): PriceLookup {
  const locations = new Map(schedule.locations.map((location) => [location.id, location]));
  const fees = new Map(schedule.fees.map((fee) => [`${fee.buyerLocation}\u0000${fee.sellerLocation}`, fee]));
  const startMs = Date.parse(schedule.startUtc);
  const location = (id: string) => {
    const found = locations.get(id);
    if (!found) throw new RangeError(`unknown location ${id}`);
    return found;
  };
  return {
    importPriceEurPerKwh: (id, t) => location(id).importPriceEurPerKwh[t],
    exportPriceEurPerKwh: (id, t) => location(id).exportPriceEurPerKwh[t],
    feeEurPerKwh: (buyer, seller, t) => {
      location(buyer);
      location(seller);
      return fees.get(`${buyer}\u0000${seller}`)?.feeEurPerKwh[t] ?? 0;
    },
    intervalStartUtc: (t) => new Date(startMs + t * schedule.resolutionMinutes * 60_000).toISOString(),
  };
}
