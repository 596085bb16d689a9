// Settlement rules for trades: the three-leg P2P trade (buyer, seller, fee recipient) and a platform fee on purchases.
import { formatEurPerKwh, formatKwh, type Leg } from './legs.ts';

/** A trade to settle: `eKwh` from seller to buyer at `priceEurPerKwh`, plus a fee the buyer pays on top. */
export interface TradeToSettle {
  readonly buyerAccountId: string;
  readonly sellerAccountId: string;
  readonly eKwh: number;
  readonly priceEurPerKwh: number;
  /** Fee per kWh paid by the buyer to the fee recipient (a DSO's pair fee from the PriceSchedule); may be negative. */
  readonly feeEurPerKwh: number;
}

/** The buyer pays eKwh·(price + fee), the seller receives eKwh·price, the fee recipient eKwh·fee. */
export function tradeLegs(trade: TradeToSettle, feeRecipientId: string): Leg[] {
  return [
    { accountId: trade.buyerAccountId, amountEur: -trade.eKwh * (trade.priceEurPerKwh + trade.feeEurPerKwh) },
    { accountId: trade.sellerAccountId, amountEur: trade.eKwh * trade.priceEurPerKwh },
    { accountId: feeRecipientId, amountEur: trade.eKwh * trade.feeEurPerKwh },
  ];
}

/** `0.0135 kWh seller → buyer at 0.16 EUR/kWh`, with `, fee 0.01 EUR/kWh` when `showFee`. */
export function describeTrade(trade: TradeToSettle, options: { readonly showFee?: boolean } = {}): string {
  const text = `${formatKwh(trade.eKwh)} ${trade.sellerAccountId} → ${trade.buyerAccountId} at ${formatEurPerKwh(trade.priceEurPerKwh)}`;
  return options.showFee ? `${text}, fee ${formatEurPerKwh(trade.feeEurPerKwh)}` : text;
}

/**
 * A platform's fee on P2P purchases: each buyer pays eKwh·fee (one leg per purchase, in order), the platform
 * receives the sum as the last leg.
 */
export function platformFeeLegs(
  purchases: readonly Pick<TradeToSettle, 'buyerAccountId' | 'eKwh'>[],
  feeEurPerKwh: number,
  platformAccountId: string,
): Leg[] {
  const legs: Leg[] = [];
  let totalEur = 0;
  for (const p of purchases) {
    legs.push({ accountId: p.buyerAccountId, amountEur: -p.eKwh * feeEurPerKwh });
    totalEur += p.eKwh * feeEurPerKwh;
  }
  legs.push({ accountId: platformAccountId, amountEur: totalEur });
  return legs;
}
