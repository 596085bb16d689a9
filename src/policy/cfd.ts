// Two-way contract for difference (M9): difference payments per interval on a reference price, booked in the ledger.
//
//   payment_t = (strike − reference_t) · volume_t        (EUR; > 0: the counterparty pays the platform)
//
// The platform is the generator side: volume_t (MWh) is its aggregated PV + battery net output in interval t,
// signed (negative while its batteries charge more than its PV produces). A two-way CfD pays when the reference
// is below the strike and claws back when it is above, so the platform's revenue from selling the volume at the
// reference plus the difference payments is strike · volume in every interval.
import { z } from 'zod';
import { parseInput } from '../core/errors.ts';
import type { Ledger } from '../ledger/ledger.ts';

export const cfdTermsSchema = z.object({
  strikeEurPerMwh: z.number().finite(),
  /** The counterparty's ledger account (e.g. a low-carbon contracts company funded by a levy). */
  counterpartyAccountId: z.string().min(1).default('cfd-counterparty'),
});
export type CfdTerms = z.infer<typeof cfdTermsSchema>;

export interface CfdInterval {
  readonly timeUtc: string;
  readonly referenceEurPerMwh: number;
  readonly volumeMwh: number;
}

export interface CfdIntervalPayment extends CfdInterval {
  /** (strike − reference) · volume; positive is paid to the platform. */
  readonly paymentEur: number;
}

export interface CfdSettlement {
  readonly strikeEurPerMwh: number;
  readonly intervals: readonly CfdIntervalPayment[];
  readonly volumeMwh: number;
  /** Σ payments (EUR): positive, the platform received net; negative, it paid back net. */
  readonly netPaymentEur: number;
  readonly paidToPlatformEur: number;
  readonly paidByPlatformEur: number;
  /** Market revenue Σ reference·volume plus the net payment: strike · Σ volume (the hedge). */
  readonly hedgedRevenueEur: number;
}

const intervalSchema = z.object({
  timeUtc: z.string().min(1),
  referenceEurPerMwh: z.number().finite(),
  volumeMwh: z.number().finite(),
});

/** The difference payment of every interval and their totals (a pure function of the terms and the series). */
export function settleCfd(terms: CfdTerms, intervals: readonly CfdInterval[]): CfdSettlement {
  const checked = parseInput(z.array(intervalSchema), intervals, ['intervals']);
  const t = parseInput(cfdTermsSchema, terms, ['terms']);
  let net = 0;
  let toPlatform = 0;
  let byPlatform = 0;
  let volume = 0;
  let market = 0;
  const out = checked.map((i) => {
    const paymentEur = (t.strikeEurPerMwh - i.referenceEurPerMwh) * i.volumeMwh;
    net += paymentEur;
    if (paymentEur > 0) toPlatform += paymentEur;
    else byPlatform -= paymentEur;
    volume += i.volumeMwh;
    market += i.referenceEurPerMwh * i.volumeMwh;
    return { ...i, paymentEur };
  });
  return {
    strikeEurPerMwh: t.strikeEurPerMwh,
    intervals: out,
    volumeMwh: volume,
    netPaymentEur: net,
    paidToPlatformEur: toPlatform,
    paidByPlatformEur: byPlatform,
    hedgedRevenueEur: market + net,
  };
}

/**
 * Book one transaction per interval with a non-zero payment between the counterparty and the platform's account
 * (opened here as `external` / `agent` unless they are already open, e.g. the platform's own account). Returns the number of transactions posted.
 */
export function bookCfd(
  ledger: Ledger,
  settlement: CfdSettlement,
  accounts: { readonly platformAccountId: string; readonly counterpartyAccountId: string },
  idPrefix = 'cfd',
): number {
  if (!ledger.hasAccount(accounts.platformAccountId)) ledger.openAccount(accounts.platformAccountId, 'agent');
  if (!ledger.hasAccount(accounts.counterpartyAccountId))
    ledger.openAccount(accounts.counterpartyAccountId, 'external');
  let posted = 0;
  for (const i of settlement.intervals) {
    if (i.paymentEur === 0) continue;
    ledger.postRoundedTransaction(
      `${idPrefix}/${i.timeUtc}`,
      `CfD difference payment at ${settlement.strikeEurPerMwh} EUR/MWh strike, reference ${i.referenceEurPerMwh}`,
      [
        { accountId: accounts.platformAccountId, amountEur: i.paymentEur },
        { accountId: accounts.counterpartyAccountId, amountEur: -i.paymentEur },
      ],
    );
    posted++;
  }
  return posted;
}
