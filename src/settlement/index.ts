// Settlement rules shared by the markets, the simulation and the service: pure functions returning ledger legs.
export { deviationLegs, deviationPenaltyEur } from './deviation.ts';
export {
  type ImbalanceCounterparty,
  type ImbalanceInterval,
  type ImbalanceSettlement,
  settleImbalance,
} from './imbalance.ts';
export { formatEurPerKwh, formatKwh, type Leg } from './legs.ts';
export { describeTrade, platformFeeLegs, type TradeToSettle, tradeLegs } from './trades.ts';
