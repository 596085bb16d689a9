// PriceSchedule schema (DESIGN.md): import/export prices per location and interval, P2P fees per location pair.
import { z } from 'zod';

const price = z.number().min(-10).max(10);
const isoUtc = z.iso.datetime({ offset: true });

/**
 * PriceSchedule (DESIGN.md conventions): import and export price per location and interval, and a fee per
 * (buyer location, seller location) pair and interval, on one UTC time index (`startUtc`, `intervalMinutes`,
 * arrays of equal length). A pair without a fee entry pays no fee.
 */
export const priceScheduleSchema = z
  .object({
    currency: z.literal('EUR').default('EUR'),
    startUtc: isoUtc,
    intervalMinutes: z.number().int().min(1).max(1440),
    intervalCount: z.number().int().min(1).max(10_000),
    locations: z
      .array(
        z
          .object({
            locationId: z.string().min(1).max(64),
            importPriceEurPerKwh: z
              .array(price)
              .describe('price a member pays for energy taken from the grid'),
            exportPriceEurPerKwh: z
              .array(price)
              .describe('price a member receives for energy fed into the grid'),
          })
          .strict(),
      )
      .min(1)
      .max(10_000),
    fees: z
      .array(
        z
          .object({
            buyerLocationId: z.string().min(1).max(64),
            sellerLocationId: z.string().min(1).max(64),
            feeEurPerKwh: z.array(price).describe('P2P transaction fee paid by the buyer to the DSO'),
          })
          .strict(),
      )
      .max(100_000)
      .default([]),
  })
  .strict()
  .superRefine((schedule, ctx) => {
    const n = schedule.intervalCount;
    const seen = new Set<string>();
    schedule.locations.forEach((location, i) => {
      if (seen.has(location.locationId))
        ctx.addIssue({
          code: 'custom',
          path: ['locations', i, 'locationId'],
          message: 'duplicate locationId',
        });
      seen.add(location.locationId);
      for (const key of ['importPriceEurPerKwh', 'exportPriceEurPerKwh'] as const)
        if (location[key].length !== n)
          ctx.addIssue({
            code: 'custom',
            path: ['locations', i, key],
            message: `must have intervalCount (${n}) values`,
          });
    });
    schedule.fees.forEach((fee, i) => {
      if (fee.feeEurPerKwh.length !== n)
        ctx.addIssue({
          code: 'custom',
          path: ['fees', i, 'feeEurPerKwh'],
          message: `must have intervalCount (${n}) values`,
        });
    });
  });

export type PriceSchedule = z.infer<typeof priceScheduleSchema>;
