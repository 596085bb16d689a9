// Bilateral contract networks (Morstyn, Teytelboym & McCulloch 2019): discrete block contracts, descending offers, stable outcome.
import type { Status } from '../core/status.ts';
import {
  buildMarketResult,
  computeTradeCapKwh,
  evaluateAgentCostEur,
  findLocallyInfeasibleAgents,
  type MarketBook,
  type MarketResult,
} from './book.ts';
import { type MarketMechanism, type Negotiation, type NegotiationStep, runNegotiation } from './mechanism.ts';
import { settleMarketResult } from './settlement.ts';

export interface ContractNetworkOptions {
  /** Energy of one contract (kWh); default 1/100 of the largest bound range. */
  readonly blockKwh?: number;
  /** Price step of the offers (EUR/kWh); default 0.001. */
  readonly tickEurPerKwh?: number;
  readonly maxIterations?: number;
}

/**
 * A contract is one block of energy on one allowed pair at its own price: (buyer, seller, blockKwh, price).
 * Block j of pair k is contract `contractStart[k] + j`.
 */
interface ContractTable {
  readonly blockKwh: number;
  readonly pair: Int32Array;
  /** Price of each contract in whole ticks (integers, so that prices on the grid compare exactly). */
  readonly priceTicks: Float64Array;
}

/** An agent's view of one available contract: whether it sells on it and what one kWh brings (or costs) it. */
interface Candidate {
  contract: number;
  isSale: boolean;
  /** Sale: price received. Purchase: price plus trade cost paid. EUR/kWh. */
  unitEurPerKwh: number;
}

/**
 * The agent's choice function: its most profitable subset of the candidate contracts, built greedily from no
 * trade — each step adds the best of one more sale (highest price first), one more purchase (cheapest first) or
 * both, while the gain is strictly positive and the position stays within its bounds; a position forced by the
 * bounds (eMin > 0 or eMax < 0) is reached first. With a convex cost this is the agent's exact optimum for
 * one-sided agents (full substitutability, Morstyn et al. 2019 §III-B); for prosumers it is a greedy
 * approximation. Returns the chosen contracts.
 */
export function chooseContracts(
  book: MarketBook,
  agentIndex: number,
  candidates: readonly Candidate[],
  blockKwh: number,
): Set<number> {
  const agent = book.agents[agentIndex];
  const sales = candidates
    .filter((c) => c.isSale)
    .sort((x, y) => y.unitEurPerKwh - x.unitEurPerKwh || x.contract - y.contract);
  const purchases = candidates
    .filter((c) => !c.isSale)
    .sort((x, y) => x.unitEurPerKwh - y.unitEurPerKwh || x.contract - y.contract);
  const chosen = new Set<number>();
  const slackKwh = 1e-9 * Math.max(1, blockKwh);
  let eKwh = 0;
  let s = 0;
  let p = 0;
  const cost = (e: number) => evaluateAgentCostEur(agent, e);
  for (;;) {
    const canSell = s < sales.length && eKwh + blockKwh <= agent.eMaxKwh + slackKwh;
    const canBuy = p < purchases.length && eKwh - blockKwh >= agent.eMinKwh - slackKwh;
    const gainSale = canSell
      ? sales[s].unitEurPerKwh * blockKwh - (cost(eKwh + blockKwh) - cost(eKwh))
      : -Infinity;
    const gainBuy = canBuy
      ? -purchases[p].unitEurPerKwh * blockKwh - (cost(eKwh - blockKwh) - cost(eKwh))
      : -Infinity;
    const gainBoth =
      s < sales.length && p < purchases.length
        ? (sales[s].unitEurPerKwh - purchases[p].unitEurPerKwh) * blockKwh
        : -Infinity;
    const isShort = eKwh < agent.eMinKwh - slackKwh;
    const isLong = eKwh > agent.eMaxKwh + slackKwh;
    const best = Math.max(gainSale, gainBuy, gainBoth);
    if (isShort && canSell) {
      chosen.add(sales[s++].contract);
      eKwh += blockKwh;
    } else if (isLong && canBuy) {
      chosen.add(purchases[p++].contract);
      eKwh -= blockKwh;
    } else if (isShort || isLong || !(best > 1e-12)) {
      return chosen;
    } else if (best === gainSale) {
      chosen.add(sales[s++].contract);
      eKwh += blockKwh;
    } else if (best === gainBuy) {
      chosen.add(purchases[p++].contract);
      eKwh -= blockKwh;
    } else {
      chosen.add(sales[s++].contract);
      chosen.add(purchases[p++].contract);
    }
  }
}

/**
 * The cumulative-offer process of Hatfield & Milgrom (2005) as used for contract networks by Morstyn,
 * Teytelboym & McCulloch (2019, Algorithm 1), with sellers proposing: every block contract starts at a price
 * above any buyer's willingness to pay; each round every seller offers its chosen set of its contracts at their
 * current prices, every buyer holds its chosen set of ALL contracts offered to it so far (the offers are
 * cumulative: a seller cannot withdraw an offer, which is what makes rejections final under substitutability) and
 * rejects the rest, and each rejected contract's price falls by one tick, making it a new, not yet offered contract.
 * Prices only fall, so the process ends, when a round has no rejection; the held contracts are then a stable
 * outcome on the price grid (no buyer–seller pair can both gain from a further contract at a grid price) when
 * agents are one-sided with full substitutability.
 */
export class ContractNetworkNegotiation implements Negotiation {
  private readonly book: MarketBook;
  private readonly contracts: ContractTable;
  private readonly tickEurPerKwh: number;
  private readonly maxIterations: number;
  private readonly held = new Set<number>();
  /** 1 when the contract has been offered at its current price (cumulative offers). */
  private readonly isOffered: Uint8Array;
  private readonly sellerContracts: number[][];
  private iteration = 0;
  private status: Status = 'not_converged';
  private isDone = false;

  constructor(book: MarketBook, options: ContractNetworkOptions = {}) {
    this.book = book;
    let rangeKwh = 0;
    let startPrice = 0;
    for (const agent of book.agents) {
      rangeKwh = Math.max(rangeKwh, agent.eMaxKwh - agent.eMinKwh);
      startPrice = Math.max(
        startPrice,
        agent.costLinEurPerKwh + agent.costQuadEurPerKwh2 * Math.abs(agent.eMinKwh),
      );
    }
    const blockKwh = options.blockKwh ?? (rangeKwh > 0 ? rangeKwh / 100 : 1);
    this.tickEurPerKwh = options.tickEurPerKwh ?? 0.001;
    this.maxIterations = options.maxIterations ?? 100_000;
    const startTicks = Math.ceil(startPrice / this.tickEurPerKwh + 1);
    const pair: number[] = [];
    for (let k = 0; k < book.tradeBuyer.length; k++) {
      const blocks = Math.floor(computeTradeCapKwh(book, k) / blockKwh + 1e-9);
      for (let j = 0; j < blocks; j++) pair.push(k);
    }
    this.contracts = {
      blockKwh,
      pair: Int32Array.from(pair),
      priceTicks: new Float64Array(pair.length).fill(startTicks),
    };
    this.isOffered = new Uint8Array(pair.length);
    this.sellerContracts = book.agents.map(() => []);
    pair.forEach((k, contract) => {
      this.sellerContracts[book.tradeSeller[k]].push(contract);
    });
    if (findLocallyInfeasibleAgents(book).length > 0) {
      this.status = 'infeasible';
      this.isDone = true;
    }
  }

  step(): NegotiationStep {
    if (this.isDone) return { iteration: this.iteration, isDone: true, primalResidual: 0, dualResidual: 0 };
    const { book, contracts } = this;
    // Sellers add their chosen contracts to the cumulative offers; each buyer then holds its chosen subset of
    // everything offered to it at the current prices.
    book.agents.forEach((_, i) => {
      const candidates = this.sellerContracts[i].map((contract) => ({
        contract,
        isSale: true,
        unitEurPerKwh: this.priceOf(contract),
      }));
      for (const contract of chooseContracts(book, i, candidates, contracts.blockKwh))
        this.isOffered[contract] = 1;
    });
    const offersToBuyer: Candidate[][] = book.agents.map(() => []);
    for (let contract = 0; contract < contracts.pair.length; contract++) {
      if (!this.isOffered[contract]) continue;
      const k = contracts.pair[contract];
      offersToBuyer[book.tradeBuyer[k]].push({
        contract,
        isSale: false,
        unitEurPerKwh: this.priceOf(contract) + book.tradeCostEurPerKwh[k],
      });
    }
    this.held.clear();
    let offered = 0;
    let rejected = 0;
    book.agents.forEach((_, i) => {
      const offers = offersToBuyer[i];
      if (offers.length === 0) return;
      offered += offers.length;
      const chosen = chooseContracts(book, i, offers, contracts.blockKwh);
      for (const offer of offers) {
        if (chosen.has(offer.contract)) this.held.add(offer.contract);
        else {
          contracts.priceTicks[offer.contract] -= 1;
          this.isOffered[offer.contract] = 0;
          rejected++;
        }
      }
    });
    this.iteration++;
    if (rejected === 0) {
      this.status = 'converged';
      this.isDone = true;
    } else if (this.iteration >= this.maxIterations) this.isDone = true;
    return {
      iteration: this.iteration,
      isDone: this.isDone,
      primalResidual: offered > 0 ? rejected / offered : 0,
      dualResidual: 0,
    };
  }

  /** The held contracts, for stability checks: id, pair index, energy and price of each. */
  heldContracts(): { contract: number; pair: number; eKwh: number; priceEurPerKwh: number }[] {
    return [...this.held].map((contract) => ({
      contract,
      pair: this.contracts.pair[contract],
      eKwh: this.contracts.blockKwh,
      priceEurPerKwh: this.priceOf(contract),
    }));
  }

  private priceOf(contract: number): number {
    return this.contracts.priceTicks[contract] * this.tickEurPerKwh;
  }

  get blockKwh(): number {
    return this.contracts.blockKwh;
  }

  get tick(): number {
    return this.tickEurPerKwh;
  }

  result(): MarketResult {
    const tradeCount = this.book.tradeBuyer.length;
    const tradeKwh = new Float64Array(tradeCount);
    const paidEur = new Float64Array(tradeCount);
    for (const contract of this.held) {
      const k = this.contracts.pair[contract];
      tradeKwh[k] += this.contracts.blockKwh;
      paidEur[k] += this.contracts.blockKwh * this.priceOf(contract);
    }
    const priceEurPerKwh = paidEur.map((paid, k) => (tradeKwh[k] > 0 ? paid / tradeKwh[k] : 0));
    return buildMarketResult(
      this.book,
      {
        mechanism: 'contract-network',
        status: this.status,
        iterations: this.iteration,
        priceEurPerKwh: null,
      },
      tradeKwh,
      priceEurPerKwh,
    );
  }
}

export function clearContractNetwork(book: MarketBook, options: ContractNetworkOptions = {}): MarketResult {
  return runNegotiation(new ContractNetworkNegotiation(book, options), options.maxIterations ?? 100_000);
}

export function createContractNetworkMechanism(options: ContractNetworkOptions = {}): MarketMechanism {
  return {
    name: 'contract-network',
    clear: async (book) => clearContractNetwork(book, options),
    negotiate: (book) => new ContractNetworkNegotiation(book, options),
    settle: settleMarketResult,
  };
}
