// The API's zod schemas: one source for request validation, TypeScript types and the OpenAPI description.
import { z } from 'zod';

const id = z.string().min(1).max(64);
const isoUtc = z.iso.datetime({ offset: true }).describe('UTC time, ISO 8601 (e.g. 2026-01-01T10:00:00Z)');
/** Energy given in kWh with at most 3 decimals (whole Wh); stored as integer Wh. */
const energyKwh = z
  .number()
  .positive()
  .max(1_000_000)
  .refine((v) => Number.isInteger(Math.round(v * 1000)) && Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6, {
    message: 'must have at most 3 decimals (whole Wh)',
  });
const nonNegativeKwh = z
  .number()
  .min(0)
  .max(1_000_000)
  .refine((v) => Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6, {
    message: 'must have at most 3 decimals',
  });
/** Price in EUR/kWh with at most 6 decimals (whole micro-euros per kWh). */
const priceEurPerKwh = z
  .number()
  .min(-10)
  .max(10)
  .refine((v) => Math.abs(v * 1e6 - Math.round(v * 1e6)) < 1e-6, { message: 'must have at most 6 decimals' });

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z
      .array(
        z.object({ code: z.string(), path: z.array(z.union([z.string(), z.number()])), message: z.string() }),
      )
      .optional(),
  }),
});

export const marketModeSchema = z
  .enum(['continuous', 'call'])
  .describe(
    'continuous: double auction matched on submit; call: uniform-price auction per interval at gate closure',
  );
export const roleSchema = z.enum(['prosumer', 'operator', 'dso']);

export const derSummarySchema = z
  .object({
    pvKwp: z.number().min(0).max(100_000).optional(),
    batteryKwh: z.number().min(0).max(100_000).optional(),
    batteryKw: z.number().min(0).max(100_000).optional(),
    evKwh: z.number().min(0).max(10_000).optional(),
    heatPumpKw: z.number().min(0).max(10_000).optional(),
    flexibleLoadKw: z.number().min(0).max(100_000).optional(),
  })
  .strict();

export const createPlatformBody = z
  .object({
    name: z.string().min(1).max(200),
    marketMode: marketModeSchema.default('continuous'),
    intervalMinutes: z.union([z.literal(5), z.literal(15), z.literal(30), z.literal(60)]).default(15),
    gateClosureMinutes: z.number().int().min(0).max(1440).default(0),
    operator: z.object({ name: z.string().min(1).max(200), locationId: id }).strict(),
  })
  .strict();

export const platformSchema = z.object({
  id: z.string(),
  name: z.string(),
  marketMode: marketModeSchema,
  intervalMinutes: z.number().int(),
  gateClosureMinutes: z.number().int(),
  createdAt: z.string(),
});

export const createMemberBody = z
  .object({
    name: z.string().min(1).max(200),
    role: roleSchema,
    locationId: id.describe('PriceSchedule location this member is priced at (e.g. its LV feeder or bus)'),
    busId: id.optional(),
    feederId: id.optional(),
    der: derSummarySchema.default({}),
  })
  .strict();

export const memberSchema = z.object({
  id: z.string(),
  platformId: z.string(),
  name: z.string(),
  role: roleSchema,
  locationId: z.string(),
  busId: z.string().nullable(),
  feederId: z.string().nullable(),
  der: derSummarySchema,
  createdAt: z.string(),
});

export const credentialCreatedSchema = z.object({
  keyId: z.string(),
  apiKey: z.string().describe('shown once; only a keyed hash is stored'),
});

export const memberCreatedSchema = z.object({ member: memberSchema, credential: credentialCreatedSchema });
export const platformCreatedSchema = z.object({
  platform: platformSchema,
  operator: memberSchema,
  credential: credentialCreatedSchema,
});

export const orderSideSchema = z.enum(['buy', 'sell']);
export const orderStatusSchema = z.enum(['open', 'partially_filled', 'filled', 'cancelled', 'expired']);

export const submitOrderBody = z
  .object({
    clientOrderId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only')
      .describe('idempotency key chosen by the client: a replay returns the first result'),
    side: orderSideSchema,
    intervalStart: isoUtc.describe('start of the delivery interval, aligned to the platform interval length'),
    energyKwh: energyKwh.describe('energy to buy or sell in the interval (kWh, up to 3 decimals)'),
    limitPriceEurPerKwh: priceEurPerKwh.describe(
      'buy: highest acceptable price; sell: lowest (EUR/kWh, up to 6 decimals)',
    ),
  })
  .strict();
export type SubmitOrderBody = z.infer<typeof submitOrderBody>;

export const orderSchema = z.object({
  id: z.string(),
  platformId: z.string(),
  memberId: z.string(),
  clientOrderId: z.string(),
  side: orderSideSchema,
  intervalStart: z.string(),
  energyKwh: z.number(),
  limitPriceEurPerKwh: z.number(),
  remainingKwh: z.number(),
  status: orderStatusSchema,
  createdAt: z.string(),
});

export const tradeSchema = z.object({
  id: z.string(),
  platformId: z.string(),
  intervalStart: z.string(),
  energyKwh: z.number(),
  priceEurPerKwh: z.number(),
  buyOrderId: z.string(),
  sellOrderId: z.string(),
  buyerId: z.string().optional().describe('present for the operator, the DSO and the trade parties'),
  sellerId: z.string().optional(),
  createdAt: z.string(),
});

export const orderAckSchema = z.object({
  order: orderSchema,
  trades: z.array(tradeSchema).describe('trades this order made when it was submitted'),
  replayed: z.boolean().describe('true when the clientOrderId was seen before and this is the first result'),
});

export const bookLevelSchema = z.object({
  priceEurPerKwh: z.number(),
  energyKwh: z.number(),
  orders: z.number(),
});
export const bookSchema = z.object({
  platformId: z.string(),
  intervalStart: z.string(),
  bids: z.array(bookLevelSchema),
  asks: z.array(bookLevelSchema),
});

/** Page size of a listing: 1–1000 rows, `fallback` when not given. */
const pageLimit = (fallback: number) => z.coerce.number().int().min(1).max(1000).default(fallback);

export const intervalQuery = z.object({ intervalStart: isoUtc }).strict();
export const listOrdersQuery = z
  .object({
    intervalStart: isoUtc.optional(),
    status: orderStatusSchema.optional(),
    limit: pageLimit(100),
  })
  .strict();
export const listTradesQuery = z.object({ intervalStart: isoUtc.optional(), limit: pageLimit(100) }).strict();
export const listLedgerTransactionsQuery = z.object({ limit: pageLimit(200) }).strict();

export const meterReadingsBody = z
  .object({
    readings: z
      .array(
        z
          .object({
            memberId: id,
            intervalStart: isoUtc,
            importKwh: nonNegativeKwh.describe('energy taken from the grid in the interval'),
            exportKwh: nonNegativeKwh.describe('energy fed into the grid in the interval'),
          })
          .strict(),
      )
      .min(1)
      .max(10_000),
  })
  .strict();

export const listMeterReadingsQuery = z
  .object({ intervalStart: isoUtc.optional(), limit: pageLimit(200) })
  .strict();
export const meterReadingSchema = z.object({
  memberId: z.string(),
  intervalStart: z.string(),
  importKwh: z.number().describe('energy taken from the grid in the interval (kWh)'),
  exportKwh: z.number().describe('energy fed into the grid in the interval (kWh)'),
  recordedAt: z.string(),
});

export const settlementBody = z.object({ intervalStart: isoUtc }).strict();

export const settlementMemberSchema = z.object({
  memberId: z.string(),
  soldKwh: z.number(),
  boughtKwh: z.number(),
  meteredExportKwh: z.number(),
  meteredImportKwh: z.number(),
  imbalanceKwh: z.number().describe('metered net export − traded net sale; > 0 surplus sold to the DSO'),
  imbalanceMicroEur: z.number().describe('money the member receives (+) or pays (−) for its imbalance'),
});
export const settlementRunSchema = z.object({
  id: z.string(),
  platformId: z.string(),
  intervalStart: z.string(),
  priceScheduleId: z.string(),
  dsoMemberId: z.string(),
  tradeCount: z.number(),
  members: z.array(settlementMemberSchema),
  roundingResidualMicroEur: z.number(),
  createdAt: z.string(),
});

export const balanceSchema = z.object({
  accountId: z.string(),
  balanceMicroEur: z.number().describe('net receipts (ledger sign rule: + received, − paid)'),
  balanceEur: z.number(),
});
export const balancesSchema = z.object({ platformId: z.string(), accounts: z.array(balanceSchema) });

export const ledgerTransactionSchema = z.object({
  id: z.string(),
  description: z.string(),
  settlementRunId: z.string().nullable(),
  postings: z.array(z.object({ accountId: z.string(), amountMicroEur: z.number() })),
  createdAt: z.string(),
});

export const setClockBody = z.object({ now: isoUtc }).strict();

export const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgres']),
  uptimeS: z.number(),
});

export const platformParams = z.object({ platformId: id }).strict();
export const memberParams = z.object({ memberId: id }).strict();
export const orderParams = z
  .object({ orderId: z.string().regex(/^\d{1,15}$/, 'must be an order id') })
  .strict();
export const keyParams = z.object({ keyId: id }).strict();
export const platformIntervalParams = z.object({ platformId: id, intervalStart: isoUtc }).strict();
