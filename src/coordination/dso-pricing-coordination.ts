// Coordination `dso-pricing`: the DSO sends locational prices and P2P fees down and bids only deliverable flexibility up.

import { computeCongestionPriceSchedule } from './dso-congestion-pricing.ts';
import type { CoordinationMechanism } from './mechanism.ts';

/**
 * Unidirectional pricing (DESIGN.md M5-B). The PriceSchedule comes from `computeCongestionPriceSchedule` until
 * issue 6's `computeDsoPriceSchedule` (src/coordination/dso-pricing/) lands; swapping it changes only this file.
 */
export const dsoPricingCoordination: CoordinationMechanism = {
  name: 'dso-pricing',
  clipsBidsToDistributionLimits: true,
  priceSchedule: computeCongestionPriceSchedule,
};
