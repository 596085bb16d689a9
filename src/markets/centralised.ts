// Centralised reference: the trade-form P2P clearing solved as one convex QP through the solver port
// (sparse interior point method, numeric/qp).
import { ProblemBuilder, type SolveOptions, solveOptimisation } from '../numeric/optimisation/index.ts';
import {
  buildMarketResult,
  computePositionsKwh,
  computeTradeCapKwh,
  findUniformPriceEurPerKwh,
  isStrictlyInside,
  type MarketBook,
  type MarketResult,
} from './book.ts';
import type { MarketMechanism } from './mechanism.ts';
import { settleMarketResult } from './settlement.ts';

/** The trade-form clearing QP of a book (objective scaled by `scale`), with its column and row indices. */
export function buildCentralisedProblem(book: MarketBook, scale = computeObjectiveScale(book)) {
  const builder = new ProblemBuilder();
  const agentCol = book.agents.map((agent) =>
    builder.addColumn(agent.eMinKwh, agent.eMaxKwh, scale * agent.costLinEurPerKwh),
  );
  book.agents.forEach((agent, i) => {
    if (agent.costQuadEurPerKwh2 > 0)
      builder.addQuadraticCost(agentCol[i], agentCol[i], scale * agent.costQuadEurPerKwh2);
  });
  const tradeCount = book.tradeBuyer.length;
  const tradeCol = new Int32Array(tradeCount);
  const rowColumns: number[][] = book.agents.map((_, i) => [agentCol[i]]);
  const rowValues: number[][] = book.agents.map(() => [1]);
  for (let k = 0; k < tradeCount; k++) {
    tradeCol[k] = builder.addColumn(0, computeTradeCapKwh(book, k), scale * book.tradeCostEurPerKwh[k]);
    rowColumns[book.tradeSeller[k]].push(tradeCol[k]);
    rowValues[book.tradeSeller[k]].push(-1);
    rowColumns[book.tradeBuyer[k]].push(tradeCol[k]);
    rowValues[book.tradeBuyer[k]].push(1);
  }
  const agentRow = book.agents.map((_, i) => builder.addRow(0, 0, rowColumns[i], rowValues[i]));
  return { problem: builder.build(), agentCol, tradeCol, agentRow };
}

/**
 * Trade-form clearing (Sorin, Bobo & Pinson 2019, eq. (6)–(8), written with one volume per allowed pair):
 *
 *   min  Σ_i (a_i e_i²/2 + b_i e_i) + Σ_k c_k t_k
 *   s.t. e_i − Σ_{k: seller i} t_k + Σ_{k: buyer i} t_k = 0   (dual μ_i, the agent's price)   ∀ i
 *        eMin_i ≤ e_i ≤ eMax_i,   0 ≤ t_k ≤ min(eMax_seller, −eMin_buyer).
 *
 * The row dual μ_i = ∂objective/∂rhs is agent i's marginal value of energy; trade k is priced at the seller's
 * μ (what the seller receives; the buyer's μ is that plus c_k on active trades), or at the interior buyer's μ
 * less c_k when the seller sits at a bound. The uniform price is reported where it exists and is unique
 * (`findUniformPriceEurPerKwh`).
 */
export async function clearCentralised(book: MarketBook, options: SolveOptions = {}): Promise<MarketResult> {
  const solveOptions: SolveOptions = { timeLimitS: DEFAULT_TIME_LIMIT_S, ...options };
  const scale = computeObjectiveScale(book);
  const { problem, tradeCol, agentRow } = buildCentralisedProblem(book, scale);
  const tradeCount = book.tradeBuyer.length;
  const solution = await solveOptimisation(problem, solveOptions);
  const tradeKwh = new Float64Array(tradeCount);
  const priceEurPerKwh = new Float64Array(tradeCount);
  const isOptimal = solution.status === 'optimal';
  const agentPrice = Float64Array.from(agentRow, (row) => (isOptimal ? solution.rowDual[row] / scale : 0));
  if (isOptimal) {
    for (let k = 0; k < tradeCount; k++) {
      tradeKwh[k] = Math.max(0, solution.x[tradeCol[k]]);
    }
    // A trade's price is the seller's dual, or the interior buyer's dual less the trade cost: an agent at its
    // bound (or a trade at its capacity) carries a bound multiplier that would otherwise leak into the price.
    const eKwh = computePositionsKwh(book, tradeKwh);
    for (let k = 0; k < tradeCount; k++) {
      const b = book.tradeBuyer[k];
      priceEurPerKwh[k] = isStrictlyInside(book.agents[b], eKwh[b])
        ? agentPrice[b] - book.tradeCostEurPerKwh[k]
        : agentPrice[book.tradeSeller[k]];
    }
  }
  const result = buildMarketResult(
    book,
    {
      mechanism: 'centralised',
      status: solution.status,
      iterations: 1,
      priceEurPerKwh: isOptimal
        ? findUniformPriceEurPerKwh(book, tradeKwh, agentPrice, { relativePrice: 1e-6, interiorShare: 1e-6 })
        : null,
    },
    tradeKwh,
    priceEurPerKwh,
  );
  return isOptimal ? result : { ...result, objectiveEur: Number.NaN, socialWelfareEur: Number.NaN };
}

/**
 * A market interval cannot wait indefinitely: by default the clearing gives up after this long with status
 * `not_converged`.
 */
const DEFAULT_TIME_LIMIT_S = 60;

/**
 * Objective scale handed to the solver (the largest curvature becomes 1, prices come back by the same factor),
 * so that absolute tolerances, if a solver has them, act on well-scaled reduced costs.
 */
function computeObjectiveScale(book: MarketBook): number {
  let maxCurvature = 0;
  for (const agent of book.agents) maxCurvature = Math.max(maxCurvature, agent.costQuadEurPerKwh2);
  return maxCurvature > 0 ? 1 / maxCurvature : 1;
}

export function createCentralisedMechanism(options: SolveOptions = {}): MarketMechanism {
  return {
    name: 'centralised',
    clear: (book) => clearCentralised(book, options),
    settle: settleMarketResult,
  };
}
