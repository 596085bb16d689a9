// Settlement of market trades into the double-entry ledger: buyer pays, seller and fee recipient receive.
import type { Ledger } from '../ledger/ledger.ts';
import { describeTrade, type TradeToSettle, tradeLegs } from '../settlement/trades.ts';
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
 * One transaction per trade with the three legs of `settlement/tradeLegs`: the buyer pays `eKwh·(price + fee)`,
 * the seller receives `eKwh·price`, the fee recipient `eKwh·fee`. The fee is the money part of the trade cost
 * (`feeEurPerKwh`, else the whole `tradeCostEurPerKwh`). Each leg is rounded half to even to the micro-euro and
 * the residual is posted to the rounding account, so every transaction, and the ledger, balances exactly.
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
    const settled: TradeToSettle = {
      buyerAccountId: trade.buyer,
      sellerAccountId: trade.seller,
      eKwh: trade.eKwh,
      priceEurPerKwh: trade.priceEurPerKwh,
      feeEurPerKwh: trade.feeEurPerKwh ?? trade.tradeCostEurPerKwh,
    };
    residual += ledger.postRoundedTransaction(
      `${prefix}${result.mechanism}/${index}`,
      () => describeTrade(settled),
      tradeLegs(settled, feeRecipientId),
    );
  });
  return { transactionCount: result.trades.length, roundingResidualMicroEur: residual };
}
