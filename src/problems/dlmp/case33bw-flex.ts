// Test fixture `case33bw-flex`: case33bw with bidding DG and flexible loads and tightened limits so they bind.
//
// Built in code from the bundled case33bw (Baran & Wu 1989): substation energy at 40 EUR/MWh; Vmin 0.95 p.u. at
// every bus (the base case falls to 0.913 p.u. at bus 18); ratings on the laterals 3–23 (1.2 MVA) and 6–26
// (1.6 MVA); three DG offers and three flexible demand bids with quadratic costs/utilities (so the optimum is
// unique and the DLMPs are smooth in demand). Voltage binds at the end of the main feeder (bus 18), the rating of
// 3–23 binds because of the flexible load at bus 24. The caller passes the case33bw network in (the CLI and the
// tests load it with io's loadCase), so that this problem does not reach out to the file system.
import { createNetwork } from '../../grid/create-network.ts';
import type { Network } from '../../grid/schema.ts';
import type { FlexBidInput } from './bids.ts';

export const CASE33BW_FLEX = 'case33bw-flex';

/** The case33bw-flex network and bids (cost unit EUR), built from `base`, the bundled case33bw network. */
export function createCase33bwFlex(base: Network): { network: Network; bids: FlexBidInput[] } {
  const ratings: Record<string, number> = { '3-23': 1.2, '6-26': 1.6 };
  const network = createNetwork({
    ...base,
    name: CASE33BW_FLEX,
    costCurrency: 'EUR',
    buses: base.buses.map((bus) => ({ ...bus, vmMinPu: 0.95, vmMaxPu: 1.05 })),
    generators: base.generators.map((g) => ({
      ...g,
      pMinMw: -10,
      cost: { kind: 'polynomial' as const, c2PerMw2H: 0, c1PerMwh: 40, c0PerH: 0 },
    })),
    branches: base.branches.map((branch) => ({
      ...branch,
      rateAMva: ratings[`${branch.fromBus}-${branch.toBus}`] ?? 0,
    })),
  });
  const bids: FlexBidInput[] = [
    { id: 'dg18', bus: 18, kind: 'generation', pMaxMw: 0.6, c1PerMwh: 45, c2PerMw2H: 40 },
    { id: 'dg33', bus: 33, kind: 'generation', pMaxMw: 0.6, c1PerMwh: 50, c2PerMw2H: 30 },
    { id: 'dg25', bus: 25, kind: 'generation', pMaxMw: 0.3, c1PerMwh: 60, c2PerMw2H: 50 },
    { id: 'flex24', bus: 24, kind: 'demand', pMaxMw: 0.6, c1PerMwh: 150, c2PerMw2H: 50 },
    { id: 'flex30', bus: 30, kind: 'demand', pMaxMw: 0.4, c1PerMwh: 120, c2PerMw2H: 60 },
    { id: 'flex14', bus: 14, kind: 'demand', pMaxMw: 0.3, c1PerMwh: 90, c2PerMw2H: 80 },
  ];
  return { network, bids };
}
