// Settlement rule for deviations from an agreed exchange: what lies outside a tolerance band is charged a penalty.
import type { Leg } from './legs.ts';

/**
 * The penalty on a deviation from an agreed exchange (EUR): (|deviation| − band)⁺ · duration · penalty. Used for a
 * DSO's real-time imbalance against its agreed TSO schedule outside the agreed uncertainty band, and the place for
 * the post-operation settlement between platforms that coordinate without communication (DESIGN.md M5-C), which
 * charges deviations so that predicting honestly pays. Power and band in one unit (kW or MW), the penalty per
 * that unit · hour (EUR/kWh or EUR/MWh).
 */
export function deviationPenaltyEur(
  deviationPower: number,
  bandPower: number,
  durationH: number,
  penaltyEurPerEnergy: number,
): number {
  return Math.max(0, Math.abs(deviationPower) - bandPower) * durationH * penaltyEurPerEnergy;
}

/** The deviating party pays the penalty to the party it deviated against. */
export function deviationLegs(
  deviatorAccountId: string,
  receiverAccountId: string,
  penaltyEur: number,
): Leg[] {
  return [
    { accountId: deviatorAccountId, amountEur: -penaltyEur },
    { accountId: receiverAccountId, amountEur: penaltyEur },
  ];
}
