// Settlement rule for imbalances: a member's metered energy net of its traded position, at its location's prices.
import type { Leg } from './legs.ts';

/** One interval of a member's imbalance and the prices of its location. */
export interface ImbalanceInterval {
  /** Metered net export minus traded net sale (kWh): > 0 a surplus fed into the grid, < 0 a shortfall taken from it. */
  readonly imbalanceKwh: number;
  /** Retail prices of the member's location (PriceSchedule, EUR/kWh). */
  readonly importPriceEurPerKwh: number;
  readonly exportPriceEurPerKwh: number;
  /** The energy part of each price, kept by the energy supplier when the counterparty has one (EUR/kWh). */
  readonly energyImportPriceEurPerKwh?: number;
  readonly energyExportPriceEurPerKwh?: number;
}

/**
 * Who takes the other side of imbalances. The real difference between the simulation and the service: the
 * simulation has a retailer (`energyAccountId`) that keeps the energy part while the DSO (`networkAccountId`)
 * keeps the rest (network charge and any locational adder); the service has only the DSO that published the
 * PriceSchedule, which then takes all of it.
 */
export interface ImbalanceCounterparty {
  readonly networkAccountId: string;
  readonly energyAccountId?: string;
}

export interface ImbalanceSettlement {
  /** Money the member pays over the intervals (EUR; negative = it is paid). */
  readonly memberPaysEur: number;
  /** The energy part of it, to the energy account (0 without one). */
  readonly energyEur: number;
  /** Member, then energy account (if any), then network account. */
  readonly legs: readonly Leg[];
}

/**
 * Settle a member's imbalances over one or more intervals in one transaction: a surplus is bought from the member
 * at its location's export price, a shortfall sold to it at the import price; with an energy account that account
 * takes the energy part (surplus at the energy export price, shortfall at the energy import price) and the network
 * account the remainder, so the legs sum to zero.
 */
export function settleImbalance(
  memberAccountId: string,
  intervals: Iterable<ImbalanceInterval>,
  counterparty: ImbalanceCounterparty,
): ImbalanceSettlement {
  const withEnergy = counterparty.energyAccountId !== undefined;
  let pay = 0;
  let energy = 0;
  for (const i of intervals) {
    const r = i.imbalanceKwh;
    if (r < 0) {
      pay += -r * i.importPriceEurPerKwh;
      if (withEnergy) energy += -r * i.energyImportPriceEurPerKwh!;
    } else {
      pay -= r * i.exportPriceEurPerKwh;
      if (withEnergy) energy -= r * i.energyExportPriceEurPerKwh!;
    }
  }
  const legs: Leg[] = [{ accountId: memberAccountId, amountEur: -pay }];
  if (withEnergy) legs.push({ accountId: counterparty.energyAccountId!, amountEur: energy });
  legs.push({ accountId: counterparty.networkAccountId, amountEur: pay - energy });
  return { memberPaysEur: pay, energyEur: energy, legs };
}
