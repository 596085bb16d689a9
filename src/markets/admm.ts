// Consensus ADMM for P2P markets with product differentiation (Sorin, Bobo & Pinson 2019): agents update only their own trades.
import type { Status } from '../core/status.ts';
import {
  buildMarketResult,
  computeTradeCapKwh,
  findLocallyInfeasibleAgents,
  findUniformPriceEurPerKwh,
  type MarketBook,
  type MarketResult,
} from './book.ts';
import { type MarketMechanism, type Negotiation, type NegotiationStep, runNegotiation } from './mechanism.ts';
import { settleMarketResult } from './settlement.ts';

export interface AdmmOptions {
  /** Stop when both normalised residuals (see `AdmmNegotiation`) are at most this; default 1e-6. */
  readonly tolerance?: number;
  readonly maxIterations?: number;
  /** Initial penalty ρ (EUR/kWh²); default: the median curvature of the agents' costs. */
  readonly rhoEurPerKwh2?: number;
  /** Residual balancing (Boyd et al. 2011 §3.4.1): rescale ρ by 2 when one residual exceeds 10× the other. */
  readonly isRhoAdaptive?: boolean;
  /** Rounds between ρ updates; default 20. */
  readonly rhoUpdateInterval?: number;
}

const DEFAULTS = { tolerance: 1e-6, maxIterations: 20_000, isRhoAdaptive: true, rhoUpdateInterval: 20 };

/**
 * Sorin, Bobo & Pinson (2019), Algorithm eq. (14)–(16), with one volume per allowed pair. Agent n holds its own
 * signed copy y_nm of each of its trades (positive = it sells); the consensus requires y_nm + y_mn = 0. Round k:
 *
 *   y_n^{k+1} = argmin C_n(Σ_m y_nm) + Σ_m c_nm·(−y_nm)⁺ + ρ/2·Σ_m (y_nm − (y_nm^k − y_mn^k)/2 − λ_nm^k/ρ)²
 *               s.t. eMin_n ≤ Σ_m y_nm ≤ eMax_n, sign and capacity bounds on each y_nm        (local, private)
 *   λ_nm^{k+1} = λ_nm^k − ρ/2·(y_nm^{k+1} + y_mn^{k+1})                                       (per-trade price)
 *
 * The local problem is solved exactly: y_nm = clip(w_nm − μ/ρ) with the agent's marginal price μ found by a
 * safeguarded Newton search on the monotone piecewise-linear balance E_C(μ) = Σ_m y_nm(μ). λ converges to the
 * trade price (what the buyer pays the seller, excluding c_nm). Residuals, normalised by the data's scales:
 * primal ‖y_nm + y_mn‖_∞ / E, dual ρ·‖Δ consensus‖_∞ / P, with E the largest bound range and P the largest
 * marginal cost magnitude. All state is in typed arrays allocated once; a round allocates nothing.
 */
export class AdmmNegotiation implements Negotiation {
  private readonly book: MarketBook;
  private readonly options: typeof DEFAULTS & AdmmOptions;
  private readonly tradeCount: number;
  private readonly capKwh: Float64Array;
  private readonly sellKwh: Float64Array;
  private readonly buyKwh: Float64Array;
  private readonly nextSellKwh: Float64Array;
  private readonly nextBuyKwh: Float64Array;
  private readonly priceEurPerKwh: Float64Array;
  private readonly agentStart: Int32Array;
  private readonly agentTrade: Int32Array;
  private readonly agentIsSeller: Uint8Array;
  private readonly target: Float64Array;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly agentPrice: Float64Array;
  private readonly energyScaleKwh: number;
  private readonly priceScaleEurPerKwh: number;
  private rho: number;
  private iteration = 0;
  private status: Status = 'not_converged';
  private isDone = false;

  constructor(book: MarketBook, options: AdmmOptions = {}) {
    this.book = book;
    this.options = { ...DEFAULTS, ...options };
    const n = book.agents.length;
    const tradeCount = book.tradeBuyer.length;
    this.tradeCount = tradeCount;
    this.capKwh = new Float64Array(tradeCount);
    for (let k = 0; k < tradeCount; k++) this.capKwh[k] = computeTradeCapKwh(book, k);
    this.sellKwh = new Float64Array(tradeCount);
    this.buyKwh = new Float64Array(tradeCount);
    this.nextSellKwh = new Float64Array(tradeCount);
    this.nextBuyKwh = new Float64Array(tradeCount);
    // Adjacency in compressed rows: the trades of agent i are agentTrade[agentStart[i] .. agentStart[i+1]).
    this.agentStart = new Int32Array(n + 1);
    for (let k = 0; k < tradeCount; k++) {
      this.agentStart[book.tradeBuyer[k] + 1]++;
      this.agentStart[book.tradeSeller[k] + 1]++;
    }
    for (let i = 0; i < n; i++) this.agentStart[i + 1] += this.agentStart[i];
    const fill = this.agentStart.slice(0, n);
    this.agentTrade = new Int32Array(2 * tradeCount);
    this.agentIsSeller = new Uint8Array(2 * tradeCount);
    for (let k = 0; k < tradeCount; k++) {
      const js = fill[book.tradeSeller[k]]++;
      this.agentTrade[js] = k;
      this.agentIsSeller[js] = 1;
      this.agentTrade[fill[book.tradeBuyer[k]]++] = k;
    }
    this.target = new Float64Array(2 * tradeCount);
    this.lower = new Float64Array(2 * tradeCount);
    this.upper = new Float64Array(2 * tradeCount);
    for (let j = 0; j < 2 * tradeCount; j++) {
      const cap = this.capKwh[this.agentTrade[j]];
      this.lower[j] = this.agentIsSeller[j] ? 0 : -cap;
      this.upper[j] = this.agentIsSeller[j] ? cap : 0;
    }
    let energyScale = 0;
    let priceScale = 0;
    const curvatures: number[] = [];
    const marginals: number[] = [];
    for (const agent of book.agents) {
      energyScale = Math.max(energyScale, agent.eMaxKwh - agent.eMinKwh);
      const extreme = Math.max(Math.abs(agent.eMinKwh), Math.abs(agent.eMaxKwh));
      priceScale = Math.max(
        priceScale,
        Math.abs(agent.costLinEurPerKwh) + agent.costQuadEurPerKwh2 * extreme,
      );
      if (agent.costQuadEurPerKwh2 > 0) curvatures.push(agent.costQuadEurPerKwh2);
      marginals.push(agent.costLinEurPerKwh);
    }
    for (let k = 0; k < tradeCount; k++)
      priceScale = Math.max(priceScale, Math.abs(book.tradeCostEurPerKwh[k]));
    this.energyScaleKwh = energyScale > 0 ? energyScale : 1;
    this.priceScaleEurPerKwh = priceScale > 0 ? priceScale : 1;
    this.rho =
      options.rhoEurPerKwh2 ??
      (curvatures.length > 0 ? median(curvatures) : this.priceScaleEurPerKwh / this.energyScaleKwh);
    // Start every trade price at the median marginal cost at zero, a neutral first guess.
    this.priceEurPerKwh = new Float64Array(tradeCount).fill(marginals.length > 0 ? median(marginals) : 0);
    this.agentPrice = new Float64Array(n);
    for (let i = 0; i < n; i++) this.agentPrice[i] = book.agents[i].costLinEurPerKwh;
    if (findLocallyInfeasibleAgents(book).length > 0) {
      this.status = 'infeasible';
      this.isDone = true;
    }
  }

  get rhoEurPerKwh2(): number {
    return this.rho;
  }

  step(): NegotiationStep {
    if (this.isDone) return { iteration: this.iteration, isDone: true, primalResidual: 0, dualResidual: 0 };
    const { book, agentStart, agentTrade, agentIsSeller, target, sellKwh, buyKwh, nextSellKwh, nextBuyKwh } =
      this;
    const rho = this.rho;
    for (let i = 0; i < book.agents.length; i++) {
      const start = agentStart[i];
      const end = agentStart[i + 1];
      for (let j = start; j < end; j++) {
        const k = agentTrade[j];
        const average = 0.5 * (sellKwh[k] + buyKwh[k]);
        target[j] = agentIsSeller[j]
          ? average + this.priceEurPerKwh[k] / rho
          : -average + (this.priceEurPerKwh[k] + book.tradeCostEurPerKwh[k]) / rho;
      }
      const mu = this.solveAgentPrice(i, start, end, rho);
      this.agentPrice[i] = mu;
      for (let j = start; j < end; j++) {
        const k = agentTrade[j];
        const y = clip(target[j] - mu / rho, this.lower[j], this.upper[j]);
        if (agentIsSeller[j]) nextSellKwh[k] = y;
        else nextBuyKwh[k] = -y;
      }
    }
    let primal = 0;
    let change = 0;
    for (let k = 0; k < this.tradeCount; k++) {
      const gap = nextSellKwh[k] - nextBuyKwh[k];
      this.priceEurPerKwh[k] -= 0.5 * rho * gap;
      primal = Math.max(primal, Math.abs(gap));
      change = Math.max(change, Math.abs(0.5 * (nextSellKwh[k] + nextBuyKwh[k] - sellKwh[k] - buyKwh[k])));
      sellKwh[k] = nextSellKwh[k];
      buyKwh[k] = nextBuyKwh[k];
    }
    this.iteration++;
    const primalResidual = primal / this.energyScaleKwh;
    const dualResidual = (rho * change) / this.priceScaleEurPerKwh;
    if (primalResidual <= this.options.tolerance && dualResidual <= this.options.tolerance) {
      this.status = 'converged';
      this.isDone = true;
    } else if (this.iteration >= this.options.maxIterations) {
      this.isDone = true;
    } else if (this.options.isRhoAdaptive && this.iteration % this.options.rhoUpdateInterval === 0) {
      if (primalResidual > 10 * dualResidual) this.rho *= 2;
      else if (dualResidual > 10 * primalResidual) this.rho /= 2;
    }
    return { iteration: this.iteration, isDone: this.isDone, primalResidual, dualResidual };
  }

  /**
   * Agent i's local problem: find μ with E_C(μ) = F(μ), where F(μ) = Σ_j clip(w_j − μ/ρ, lo_j, hi_j) is the sum
   * of its trades (non-increasing in μ) and E_C(μ) = clamp((μ − b)/a, eMin, eMax) its cost-optimal position
   * (for a = 0 a step at μ = b). H = E_C − F is non-decreasing; a Newton step from the last round's μ, kept
   * inside a bracket and replaced by bisection when it leaves it, finds the root.
   */
  private solveAgentPrice(i: number, start: number, end: number, rho: number): number {
    const agent = this.book.agents[i];
    const a = agent.costQuadEurPerKwh2;
    const b = agent.costLinEurPerKwh;
    const { target, lower, upper } = this;
    // Bracket: below every breakpoint H = eMin − Σhi ≤ 0, above every breakpoint H = eMax − Σlo ≥ 0.
    let lo = a > 0 ? b + a * agent.eMinKwh : b;
    let hi = a > 0 ? b + a * agent.eMaxKwh : b;
    for (let j = start; j < end; j++) {
      lo = Math.min(lo, rho * (target[j] - upper[j]));
      hi = Math.max(hi, rho * (target[j] - lower[j]));
    }
    lo -= 1;
    hi += 1;
    let mu = Math.min(Math.max(this.agentPrice[i], lo), hi);
    const tolerance = 1e-12 * this.energyScaleKwh;
    for (let round = 0; round < 200; round++) {
      let sum = 0;
      let slope = 0;
      for (let j = start; j < end; j++) {
        const y = target[j] - mu / rho;
        if (y <= lower[j]) sum += lower[j];
        else if (y >= upper[j]) sum += upper[j];
        else {
          sum += y;
          slope += 1 / rho;
        }
      }
      let position: number;
      if (a > 0) {
        const free = (mu - b) / a;
        if (free <= agent.eMinKwh) position = agent.eMinKwh;
        else if (free >= agent.eMaxKwh) position = agent.eMaxKwh;
        else {
          position = free;
          slope += 1 / a;
        }
      } else {
        position = mu < b ? agent.eMinKwh : mu > b ? agent.eMaxKwh : clip(sum, agent.eMinKwh, agent.eMaxKwh);
      }
      const h = position - sum;
      if (Math.abs(h) <= tolerance) return mu;
      if (h > 0) hi = mu;
      else lo = mu;
      if (hi - lo <= 1e-15 * Math.max(1, Math.abs(mu))) return mu;
      const newton = slope > 0 ? mu - h / slope : Number.NaN;
      mu = newton > lo && newton < hi ? newton : 0.5 * (lo + hi);
    }
    return mu;
  }

  result(): MarketResult {
    const tradeKwh = new Float64Array(this.tradeCount);
    if (this.status !== 'infeasible') {
      for (let k = 0; k < this.tradeCount; k++) tradeKwh[k] = 0.5 * (this.sellKwh[k] + this.buyKwh[k]);
    }
    const prices = Float64Array.from(this.priceEurPerKwh);
    return buildMarketResult(
      this.book,
      {
        mechanism: 'admm',
        status: this.status,
        iterations: this.iteration,
        priceEurPerKwh:
          this.status === 'converged'
            ? findUniformPriceEurPerKwh(this.book, tradeKwh, this.agentPrice, {
                relativePrice: 1e-3,
                interiorShare: 1e-3,
              })
            : null,
      },
      tradeKwh,
      prices,
    );
  }
}

function clip(value: number, lower: number, upper: number): number {
  return Math.min(Math.max(value, lower), upper);
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Clear a book by consensus ADMM to convergence (or `maxIterations`). */
export function clearAdmm(book: MarketBook, options: AdmmOptions = {}): MarketResult {
  return runNegotiation(new AdmmNegotiation(book, options), options.maxIterations ?? DEFAULTS.maxIterations);
}

export function createAdmmMechanism(options: AdmmOptions = {}): MarketMechanism {
  return {
    name: 'admm',
    clear: async (book) => clearAdmm(book, options),
    negotiate: (book) => new AdmmNegotiation(book, options),
    settle: settleMarketResult,
  };
}
