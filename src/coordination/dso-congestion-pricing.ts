// A minimal DSO pricing rule used until issue 6's probabilistic DLMP pricing (./dso-pricing/) is wired in.
//
// For each location ℓ and interval k the DSO forecasts the location's import x̂ = replicas·baseImportKw and compares
// it with the distribution limit L (feeder transformer and MV branch limits allocated to ℓ). If x̂ > L it needs a
// reduction R = x̂ − L and raises the import price by the congestion adder
//     a = min(aMax, max(0, p* − w))   where p* is the lowest wholesale-equivalent price at which the location's
//                                     sell-side bid steps (less consumption) add up to R (or the highest step price)
// and symmetrically lowers the export price when −x̂ exceeds the export limit, using buy-side steps. Prices:
//     import = w + margin + network charge + a,   export = w − margin − a_exp,
// and P2P trades inside a location pay a fee f (to the DSO). This is a one-shot, deterministic forecast-based
// pricing (no scenarios), a simplification of Morstyn et al. (2020) stated in the coordination README.
import type { PriceSchedule } from '../core/price-schedule.ts';
import {
  type DsoPricingInput,
  energyPricesEurPerKwh,
  type LocationBidStep,
  schedulePrice,
} from './mechanism.ts';

const MARGIN_ABOVE_STEP_EUR_PER_KWH = 0.005;

/** Price at which steps of one side, taken in merit order, add up to `neededKw` (per location, all replicas). */
function priceForVolume(
  steps: readonly LocationBidStep[],
  side: 'buy' | 'sell',
  replicas: number,
  neededKw: number,
): number | null {
  const ordered = steps
    .filter((s) => s.side === side && s.kw > 0)
    .sort((a, b) =>
      side === 'sell'
        ? a.limitPriceEurPerKwh - b.limitPriceEurPerKwh
        : b.limitPriceEurPerKwh - a.limitPriceEurPerKwh,
    );
  let total = 0;
  for (const step of ordered) {
    total += step.kw * replicas;
    if (total >= neededKw) return step.limitPriceEurPerKwh;
  }
  return ordered.length > 0 ? ordered[ordered.length - 1].limitPriceEurPerKwh : null;
}

/** Locational import/export prices with congestion adders, and a P2P fee inside each location. */
export function computeCongestionPriceSchedule(input: DsoPricingInput): PriceSchedule {
  const n = input.index.length;
  const { tariff } = input;
  const locations = input.locations.map((location) => {
    const importPrice: number[] = new Array(n);
    const exportPrice: number[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const w = input.wholesaleEurPerKwh[k];
      const energy = energyPricesEurPerKwh(w, tariff);
      const forecastKw = location.baseImportKw[k] * location.replicas;
      let importAdder = 0;
      let exportAdder = 0;
      const excessImport = forecastKw - location.importLimitKw[k];
      if (excessImport > 0) {
        const p = priceForVolume(location.bids[k] ?? [], 'sell', location.replicas, excessImport);
        importAdder = tariff.maxCongestionAdderEurPerKwh;
        if (p !== null)
          importAdder = Math.min(importAdder, Math.max(0, p - w) + MARGIN_ABOVE_STEP_EUR_PER_KWH);
      }
      const excessExport = -forecastKw - location.exportLimitKw[k];
      if (excessExport > 0) {
        const p = priceForVolume(location.bids[k] ?? [], 'buy', location.replicas, excessExport);
        exportAdder = tariff.maxCongestionAdderEurPerKwh;
        if (p !== null)
          exportAdder = Math.min(exportAdder, Math.max(0, w - p) + MARGIN_ABOVE_STEP_EUR_PER_KWH);
      }
      importPrice[k] = schedulePrice(energy.importEurPerKwh + tariff.networkChargeEurPerKwh + importAdder);
      exportPrice[k] = schedulePrice(energy.exportEurPerKwh - exportAdder);
    }
    return {
      locationId: location.locationId,
      importPriceEurPerKwh: importPrice,
      exportPriceEurPerKwh: exportPrice,
    };
  });
  return {
    currency: 'EUR',
    startUtc: input.index.startUtc,
    intervalMinutes: input.index.stepMin,
    intervalCount: n,
    locations,
    fees: input.locations.map((l) => ({
      buyerLocationId: l.locationId,
      sellerLocationId: l.locationId,
      feeEurPerKwh: new Array(n).fill(schedulePrice(tariff.p2pFeeEurPerKwh)),
    })),
  };
}
