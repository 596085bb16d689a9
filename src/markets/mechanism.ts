// The one interface every intra-platform market mechanism implements: clear a book, step a negotiation, settle.
import type { Ledger } from '../ledger/ledger.ts';
import type { MarketBook, MarketResult } from './book.ts';
import type { SettlementOptions, SettlementSummary } from './settlement.ts';

/** Mechanism names shared by the CLI, API and scenarios (DESIGN.md). */
export const MECHANISM_NAMES = ['centralised', 'admm', 'contract-network', 'double-auction'] as const;
export type MechanismName = (typeof MECHANISM_NAMES)[number];

/** Progress of one round of an iterative negotiation. */
export interface NegotiationStep {
  readonly iteration: number;
  readonly isDone: boolean;
  /** Disagreement between the two sides of the trades (mechanism-specific unit, normalised to 1 = scale). */
  readonly primalResidual: number;
  /** Change of the agreed trades in the last round (normalised like primalResidual). */
  readonly dualResidual: number;
}

/** An iterative negotiation in progress: each step is one round in which every agent updates its own trades. */
export interface Negotiation {
  step(): NegotiationStep;
  /** The outcome so far (final once a step reported isDone). */
  result(): MarketResult;
}

export interface MarketMechanism {
  readonly name: MechanismName;
  /** Clear the book to completion. Numerical outcomes are a status in the result, never an exception. */
  clear(book: MarketBook): Promise<MarketResult>;
  /** Start an iterative negotiation (admm, contract-network); undefined for one-shot mechanisms. */
  readonly negotiate?: (book: MarketBook) => Negotiation;
  /** Book every trade of a result into the ledger (buyer, seller, fee recipient); conserved exactly. */
  settle(result: MarketResult, ledger: Ledger, options?: SettlementOptions): SettlementSummary;
}

/** Run a negotiation until it reports done or `maxIterations` rounds have passed. */
export function runNegotiation(negotiation: Negotiation, maxIterations: number): MarketResult {
  for (let round = 0; round < maxIterations; round++) {
    if (negotiation.step().isDone) break;
  }
  return negotiation.result();
}
