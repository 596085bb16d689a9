// A platform's day-ahead P2P market: one clearing per platform interval on the members' plans, with DSO and platform fees.
import { buildMarketBook, type MarketAgent, type MarketResult } from '../markets/book.ts';
import { createMarketMechanism } from '../markets/mechanisms.ts';
import type { MemberPlans } from './compact-series.ts';
import { accountIds } from './settlement-accounts.ts';
import type { FeederModel } from './system-model.ts';

/** Quadratic cost of every P2P agent (EUR/kWh²), so a clearing price exists between equal limits. */
const P2P_QUADRATIC_EUR_PER_KWH2 = 1e-4;

export interface PlatformMarketDay {
  /** One result per platform interval, null where nothing was cleared (baseline, one side only, no optimum). */
  readonly results: (MarketResult | null)[];
  /** The members' planned net consumption per platform interval (kW). */
  readonly plannedImportKw: number[];
}

/**
 * Sellers offer their planned export at their export price, buyers bid their planned import at their import price
 * plus their local premium; each trade costs the DSO's pair fee (`feeOf`, settled to the DSO) plus the platform fee.
 * Baseline runs record plans but do not trade.
 */
export async function clearPlatformMarket(
  feeder: FeederModel,
  plans: MemberPlans,
  feeOf: (buyerId: string, sellerId: string, k: number) => number,
  o: { readonly platformFeeEurPerKwh: number; readonly isBaseline: boolean },
): Promise<PlatformMarketDay> {
  const n = 1440 / plans.stepMin;
  const dt = plans.stepMin / 60;
  const mechanism = createMarketMechanism(feeder.mechanism);
  const planned = new Array<number>(n).fill(0);
  const results: (MarketResult | null)[] = [];
  for (let k = 0; k < n; k++) {
    const agents: MarketAgent[] = [];
    const memberIds: string[] = [];
    for (const m of plans.members) {
      const eKwh = m.netInjectionKw[k] * dt;
      planned[k] -= m.netInjectionKw[k];
      if (Math.abs(eKwh) < 1e-6) continue;
      memberIds.push(m.id);
      agents.push(
        eKwh > 0
          ? {
              id: accountIds.prosumer(m.id),
              eMinKwh: 0,
              eMaxKwh: eKwh,
              costQuadEurPerKwh2: P2P_QUADRATIC_EUR_PER_KWH2,
              costLinEurPerKwh: m.exportPriceEurPerKwh[k],
            }
          : {
              id: accountIds.prosumer(m.id),
              eMinKwh: eKwh,
              eMaxKwh: 0,
              costQuadEurPerKwh2: P2P_QUADRATIC_EUR_PER_KWH2,
              costLinEurPerKwh: m.importPriceEurPerKwh[k] + m.localPremiumEurPerKwh,
            },
      );
    }
    const hasBoth = agents.some((a) => a.eMaxKwh > 0) && agents.some((a) => a.eMinKwh < 0);
    if (o.isBaseline || !hasBoth) {
      results.push(null);
      continue;
    }
    const book = buildMarketBook(
      agents,
      'all',
      (b, s) => feeOf(memberIds[b], memberIds[s], k) + o.platformFeeEurPerKwh,
    );
    const result = await mechanism.clear({
      ...book,
      tradeFeeEurPerKwh: Float64Array.from(book.tradeBuyer, (b, t) =>
        feeOf(memberIds[b], memberIds[book.tradeSeller[t]], k),
      ),
    });
    results.push(result.status === 'optimal' || result.status === 'converged' ? result : null);
  }
  return { results, plannedImportKw: planned };
}
