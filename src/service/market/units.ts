// Conversions between API units (kWh, EUR/kWh) and the integers the service stores (Wh, micro-euros per kWh).
import { MICRO_EUR_PER_EUR } from '../../ledger/money.ts';

const WH_PER_KWH = 1000;

export const kwhToWh = (eKwh: number): number => Math.round(eKwh * WH_PER_KWH);
export const whToKwh = (eWh: number): number => eWh / WH_PER_KWH;
export const eurToMicroEur = (amountEur: number): number => Math.round(amountEur * MICRO_EUR_PER_EUR);
export const microEurToEurNumber = (amount: number): number => amount / MICRO_EUR_PER_EUR;
