// Double-entry money in integer micro-euros: the ledger used by markets, simulation and the service.
export {
  type Account,
  type AccountKind,
  Ledger,
  type Posting,
  ROUNDING_ACCOUNT_ID,
  type Transaction,
} from './ledger.ts';
export { MICRO_EUR_PER_EUR, type MicroEur, microEurToEur, roundEurToMicroEur } from './money.ts';
