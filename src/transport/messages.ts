// Messages between controllers: one zod schema per message type, all plain JSON (no typed arrays, no bigint).
//
// Every message travels inside an envelope naming sender, recipient and the simulated UTC send time. Series are
// arrays on a time grid (`startUtc`, `stepMin`); powers are in kW with the sign stated per field. Because every
// body is plain JSON, a NATS transport can carry the same objects unchanged (JSON.stringify / schema parse).
import { z } from 'zod';
import { priceScheduleSchema } from '../core/price-schedule.ts';

const address = z.string().min(1).max(200);
const series = z.array(z.number().refine(Number.isFinite, 'must be finite'));
const grid = {
  startUtc: z.iso.datetime({ offset: true }),
  stepMin: z.number().positive(),
};

/** A stage of the multi-timescale engine. */
export const stageNameSchema = z.enum(['day-ahead', 'intraday', 'real-time', 'settlement']);
export type StageName = z.infer<typeof stageNameSchema>;

/** Engine → controller: run one phase of a stage for the day starting at `dayStartUtc`. */
export const stageMessageSchema = z.object({
  type: z.literal('stage'),
  stage: stageNameSchema,
  phase: z.string().min(1),
  dayStartUtc: z.iso.datetime({ offset: true }),
});

/** One step of a bid curve: extra consumption wanted at prices ≤ limit (buy) or offered back at ≥ limit (sell). */
export const bidStepSchema = z.object({
  side: z.enum(['buy', 'sell']),
  kw: z.number().nonnegative(),
  limitPriceEurPerKwh: z.number(),
});

/**
 * Upward: aggregate flexibility and uncertainty envelope of a subtree. Net consumption (kW, positive importing)
 * `baseKw` as planned, feasible range [minKw, maxKw], a bid curve per interval around the base, and the agreed
 * uncertainty band ±bandKw (the deviation the sender commits to stay within with the stated probability).
 */
export const envelopeMessageSchema = z.object({
  type: z.literal('envelope'),
  ...grid,
  baseKw: series,
  minKw: series,
  maxKw: series,
  bandKw: series,
  bandProbability: z.number().min(0).max(1),
  /** Standard deviation of independent (household) errors and of regionally correlated (PV weather) errors. */
  independentSigmaKw: series,
  correlatedSigmaKw: series,
  bids: z.array(z.array(bidStepSchema)),
});

/** Downward: wholesale energy price (EUR/MWh, one per interval) and, under DSO pricing, the DSO's schedule. */
export const priceMessageSchema = z.object({
  type: z.literal('prices'),
  /** A forecast before clearing, or the cleared price of a stage. */
  kind: z.enum(['forecast', 'day-ahead', 'intraday', 'real-time']),
  ...grid,
  wholesaleEurPerMwh: series,
  schedule: priceScheduleSchema.optional(),
});

/** Downward: net consumption limits (kW) the sender may take / give back without breaking network limits. */
export const limitsMessageSchema = z.object({
  type: z.literal('limits'),
  ...grid,
  importMaxKw: series,
  exportMaxKw: series,
  /**
   * `agreed`: the range a negotiation committed to (the platform plans its members within it); otherwise
   * informational.
   */
  kind: z.enum(['informational', 'agreed']).optional(),
});

/** Downward (TSO → DSO request, DSO → platform share) or agreed: a net consumption schedule (kW). */
export const scheduleMessageSchema = z.object({
  type: z.literal('schedule'),
  kind: z.enum(['request', 'agreed']),
  stage: stageNameSchema,
  ...grid,
  netImportKw: series,
});

/** DSO → TSO: a request it cannot follow, and the bounds it can (first TSO/DSO mediation, tso-dso-mediation.ts). */
export const counterMessageSchema = z.object({
  type: z.literal('counter'),
  ...grid,
  minKw: series,
  maxKw: series,
  conflictIntervals: z.array(z.number().int().nonnegative()),
});

/** Prosumer pool → platform: every member's planned net injection (kW, positive exporting) and prices seen. */
export const memberPlansMessageSchema = z.object({
  type: z.literal('member-plans'),
  ...grid,
  members: z.array(
    z.object({
      id: z.string(),
      netInjectionKw: series,
      importPriceEurPerKwh: series,
      exportPriceEurPerKwh: series,
      localPremiumEurPerKwh: z.number(),
    }),
  ),
});

/** Upward: measured (or, intraday, re-forecast) net consumption (kW, positive importing). */
export const measurementMessageSchema = z.object({
  type: z.literal('measurement'),
  stage: stageNameSchema,
  ...grid,
  netImportKw: series,
  netImportKvar: series.optional(),
  /**
   * Smart-meter detail: per member net injection (kW, positive exporting) on the same grid; real time also the
   * balancing energy the platform dispatched from the member (kWh per interval, + extra injection) and its pay
   * (EUR per interval, + paid to the member).
   */
  members: z
    .array(
      z.object({
        id: z.string(),
        netInjectionKw: series,
        consumptionKw: series,
        balancingKwh: series.optional(),
        balancingEur: series.optional(),
      }),
    )
    .optional(),
});

/**
 * Prosumer pool → platform: the intraday continuous trading of the day (markets/intraday.ts). Per member and
 * interval the energy sold net to peers and to the DSO at gate closure (kWh, negative bought), and the fills.
 */
export const intradayTradesMessageSchema = z.object({
  type: z.literal('intraday-trades'),
  ...grid,
  gateClosureMin: z.number().nonnegative(),
  members: z.array(z.object({ id: z.string(), peerSoldKwh: series, dsoSoldKwh: series })),
  trades: z.array(
    z.object({
      interval: z.number().int().nonnegative(),
      buyer: z.string(),
      seller: z.string(),
      eKwh: z.number().positive(),
      priceEurPerKwh: z.number(),
    }),
  ),
});

/**
 * Negotiation, downstream → upstream (coordination/negotiation): in round `round`, answering the counter-offer of
 * round `basedOnRound` (0: none yet), per interval of the sender's own step: the expected net position (kW,
 * positive importing), its uncertainty envelope (quantiles of the net position from the sender's forecast
 * scenarios, with the σ of independent and of regionally correlated errors) and a bid curve (net position the
 * sender would take at each price adder, EUR/MWh on top of the flat tariff).
 */
export const offerMessageSchema = z.object({
  type: z.literal('offer'),
  ...grid,
  round: z.number().int().nonnegative(),
  basedOnRound: z.number().int().nonnegative(),
  netImportKw: series,
  quantiles: z.array(z.object({ probability: z.number().min(0).max(1), netImportKw: series })),
  independentSigmaKw: series,
  correlatedSigmaKw: series,
  bidPricesEurPerMwh: series,
  /** bidNetImportKw[t][i]: net position in interval t at price adder bidPricesEurPerMwh[i]. */
  bidNetImportKw: z.array(series),
});
/**
 * Negotiation, upstream → downstream: the accepted net position (kW), the price adder (EUR/MWh) and the committed
 * band (±kW) per interval of the sender's step; `status` says whether the negotiation goes on or the gate closed.
 */
export const counterOfferMessageSchema = z.object({
  type: z.literal('counter-offer'),
  ...grid,
  round: z.number().int().positive(),
  status: z.enum(['negotiating', 'agreed', 'closed']),
  acceptedKw: series,
  priceEurPerMwh: series,
  bandKw: series,
});
export const messageBodySchema = z.discriminatedUnion('type', [
  offerMessageSchema,
  counterOfferMessageSchema,
  stageMessageSchema,
  envelopeMessageSchema,
  priceMessageSchema,
  limitsMessageSchema,
  scheduleMessageSchema,
  counterMessageSchema,
  memberPlansMessageSchema,
  measurementMessageSchema,
  intradayTradesMessageSchema,
]);
export type MessageBody = z.infer<typeof messageBodySchema>;
export type MessageOf<T extends MessageBody['type']> = Extract<MessageBody, { type: T }>;

export const envelopeSchema = z.object({
  /** Sequence number assigned by the transport (per transport instance, from 1). */
  seq: z.number().int().positive(),
  from: address,
  to: address,
  /** Simulated UTC clock at sending. */
  sentAtUtc: z.iso.datetime({ offset: true }),
  body: messageBodySchema,
});
export type Envelope = z.infer<typeof envelopeSchema>;
