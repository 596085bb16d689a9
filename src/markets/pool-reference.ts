// Independent reference for cost-free, all-pairs markets: the uniform-price pool solved by bisection on the price.
import { evaluateAgentCostEur, type MarketBook } from './book.ts';

/**
 * With no trade costs and every buyer–seller pair allowed, the P2P optimum equals the pool optimum
 * (shared/data/README.md): find p with Σ_i e_i(p) = 0, e_i(p) = clamp((p − b_i)/a_i, eMin_i, eMax_i). Needs
 * a_i > 0 for every agent (then each e_i(p) is continuous and non-decreasing and the root is unique).
 * 200 bisection steps on [−10, 10] EUR/kWh pin p to double precision.
 */
export function solvePoolByBisection(book: MarketBook): {
  priceEurPerKwh: number;
  eKwh: number[];
  objectiveEur: number;
} {
  const positions = (p: number) =>
    book.agents.map((a) =>
      Math.min(a.eMaxKwh, Math.max(a.eMinKwh, (p - a.costLinEurPerKwh) / a.costQuadEurPerKwh2)),
    );
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (positions(mid).reduce((s, e) => s + e, 0) > 0) hi = mid;
    else lo = mid;
  }
  const priceEurPerKwh = 0.5 * (lo + hi);
  const eKwh = positions(priceEurPerKwh);
  const objectiveEur = book.agents.reduce((s, a, i) => s + evaluateAgentCostEur(a, eKwh[i]), 0);
  return { priceEurPerKwh, eKwh, objectiveEur };
}
