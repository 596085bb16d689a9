// Coordination `none`: platforms ignore the grid; every location sees the wholesale price plus flat adders.
import type { PriceSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW } from '../core/units.ts';
import {
  type CoordinationMechanism,
  type DsoPricingInput,
  energyPricesEurPerKwh,
  schedulePrice,
} from './mechanism.ts';

/**
 * The same retail prices at every location: import = wholesale + margin + flat network charge, export =
 * wholesale − margin; no P2P fees. The DSO passes its raw aggregate flexibility to the TSO.
 */
export function flatPriceSchedule(input: DsoPricingInput): PriceSchedule {
  const n = input.index.length;
  const importPrice: number[] = new Array(n);
  const exportPrice: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const energy = energyPricesEurPerKwh(input.wholesalePriceEurPerMwh[k] / KW_PER_MW, input.tariff);
    importPrice[k] = schedulePrice(energy.importEurPerKwh + input.tariff.networkChargeEurPerKwh);
    exportPrice[k] = schedulePrice(energy.exportEurPerKwh);
  }
  return {
    currency: 'EUR',
    startUtc: input.index.startUtc,
    intervalMinutes: input.index.stepMin,
    intervalCount: n,
    locations: input.locations.map((l) => ({
      locationId: l.locationId,
      importPriceEurPerKwh: [...importPrice],
      exportPriceEurPerKwh: [...exportPrice],
    })),
    fees: [],
  };
}

export const noneCoordination: CoordinationMechanism = {
  name: 'none',
  clipsBidsToDistributionLimits: false,
  pricesHouseholds: false,
  priceSchedule: async (input) => flatPriceSchedule(input),
};
