// Intra-platform P2P markets (M4): the MarketMechanism interface, four mechanisms, exchange format, PriceSchedule, settlement.
export { AdmmNegotiation, type AdmmOptions, clearAdmm, createAdmmMechanism } from './admm.ts';
export {
  buildMarketBook,
  computePositionsKwh,
  evaluateObjectiveEur,
  type MarketAgent,
  type MarketBook,
  type MarketResult,
  type TradeResult,
} from './book.ts';
export { clearCentralised, createCentralisedMechanism } from './centralised.ts';
export {
  ContractNetworkNegotiation,
  type ContractNetworkOptions,
  clearContractNetwork,
  createContractNetworkMechanism,
} from './contract-network.ts';
export {
  type BlockOrder,
  clearCallAuction,
  clearDoubleAuction,
  createDoubleAuctionMechanism,
  type DoubleAuctionOptions,
} from './double-auction.ts';
export { type MarketFile, marketFileSchema, parseMarketFile, parseMarketText } from './exchange-format.ts';
export {
  clearFlexiblePool,
  type FlexiblePoolResult,
  type PoolMember,
  type PoolTrade,
} from './flexible-pool.ts';
export {
  type MarketMechanism,
  MECHANISM_NAMES,
  type MechanismName,
  type Negotiation,
  type NegotiationStep,
  runNegotiation,
} from './mechanism.ts';
export { createMarketMechanism, type MechanismOptions, parseMechanismName } from './mechanisms.ts';
export {
  buildIntervalBook,
  clearDayAhead,
  type DayAheadMarket,
  type DayAheadResult,
  dayAheadMarketSchema,
  parseDayAheadMarket,
  settleDayAhead,
} from './multi-interval.ts';
export { type Fill, type LimitOrder, OrderBook } from './order-book.ts';
export { solvePoolByBisection } from './pool-reference.ts';
export { generateMarketBook, type RandomMarketOptions } from './random-market.ts';
export { type SettlementOptions, type SettlementSummary, settleMarketResult } from './settlement.ts';
