// Settlement of market trades into the double-entry ledger: buyer pays, seller and fee recipient receive.
import type { Ledger } from '../ledger/ledger.ts';
import { formatLedgerEurPerKwh, formatLedgerKwh } from '../ledger/ledger-text.ts';
import type { MarketResult } from './book.ts';

export interface SettlementOptions {
  /** Account receiving trade fees (EUR/kWh × kWh); default `fee-recipient`. */
  readonly feeRecipientId?: string;
  /** Prefix of transaction ids, e.g. the interval (`2025-01-01T10:00Z/`). */
  readonly transactionPrefix?: string;
}

export interface SettlementSummary {
  readonly transactionCount: number;
  /** Total posted to the rounding-residual account (micro-euros). */
  readonly roundingResidualMicroEur: bigint;
}

/**
 * One transaction per trade with three legs: the buyer pays `eKwh·(price + fee)`, the seller receives
 * `eKwh·price`, the fee recipient `eKwh·fee`. The fee is the money part of the trade cost (`feeEurPerKwh`, else
 * the whole `tradeCostEurPerKwh`). Each leg is rounded half to even to the micro-euro and the residual is posted
 * to the rounding account, so every transaction, and the ledger, balances exactly.
 */
export function settleMarketResult(
  result: MarketResult,
  ledger: Ledger,
  options: SettlementOptions = {},
): SettlementSummary {
  const feeRecipientId = options.feeRecipientId ?? 'fee-recipient';
  const prefix = options.transactionPrefix ?? '';
  ledger.openAccount(feeRecipientId, 'fee');
  for (const agent of result.agents) ledger.openAccount(agent.id, 'agent');
  let residual = 0n;
  result.trades.forEach((trade, index) => {
    const feeEurPerKwh = trade.feeEurPerKwh ?? trade.tradeCostEurPerKwh;
    residual += ledger.postRoundedTransaction(
      `${prefix}${result.mechanism}/${index}`,
      `${formatLedgerKwh(trade.eKwh)} ${trade.seller} → ${trade.buyer} at ${formatLedgerEurPerKwh(trade.priceEurPerKwh)}`,
      [
        { accountId: trade.buyer, amountEur: -trade.eKwh * (trade.priceEurPerKwh + feeEurPerKwh) },
        { accountId: trade.seller, amountEur: trade.eKwh * trade.priceEurPerKwh },
        { accountId: feeRecipientId, amountEur: trade.eKwh * feeEurPerKwh },
      ],
    );
  });
  return { transactionCount: result.trades.length, roundingResidualMicroEur: residual };
}
