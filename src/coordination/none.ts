// Coordination `none`: platforms ignore the grid; every location sees the wholesale price plus flat adders.
import type { PriceSchedule } from '../core/price-schedule.ts';
import {
  type CoordinationMechanism,
  type DsoPricingInput,
  flatRetailPricesEurPerKwh,
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
    const retail = flatRetailPricesEurPerKwh(input.wholesaleEurPerMwh[k], input.tariff);
    importPrice[k] = schedulePrice(retail.importEurPerKwh);
    exportPrice[k] = schedulePrice(retail.exportEurPerKwh);
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

/** The `none` mechanism (it has no options). */
export function createNoneCoordination(): CoordinationMechanism {
  return {
    name: 'none',
    config: { name: 'none' },
    clipsBidsToDistributionLimits: false,
    pricesHouseholds: false,
    priceSchedule: async (input) => flatPriceSchedule(input),
  };
}

/** @deprecated use `createNoneCoordination()`; kept for the `gridnest/coordination` export. */
export const noneCoordination: CoordinationMechanism = createNoneCoordination();
