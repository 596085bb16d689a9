// Value category (viii) from the policy mechanisms: what `gridnest policy capacity-market|cfd --out DIR` wrote
// (capacity-market.json, cfd.json) as value-table rows and report facts. Baseline (no P2P) takes part in neither.
import { z } from 'zod';
import { parseInput } from '../core/errors.ts';
import type { ValueRow } from './metrics.ts';
import { BASELINE_RUN } from './run-definitions.ts';

const capacitySchema = z.object({
  study: z.string(),
  auction: z.object({
    clearingPriceEurPerMwYr: z.number(),
    bids: z.array(z.object({ id: z.string(), acceptedMw: z.number() })),
  }),
  platforms: z.array(z.object({ platform: z.string(), deratingFactor: z.number() })),
  platformNetRevenueEur: z.number(),
});
const cfdSchema = z.object({
  study: z.string(),
  platform: z.string(),
  settlement: z.object({ strikeEurPerMwh: z.number(), netPaymentEur: z.number(), volumeMwh: z.number() }),
});

export interface PolicyValue {
  readonly capacityMarket?: z.infer<typeof capacitySchema>;
  readonly cfd?: z.infer<typeof cfdSchema>;
}

/** Parse the policy outputs found in a folder (or a single capacity-market.json / cfd.json). */
export function parsePolicyValue(files: Readonly<Record<string, unknown>>): PolicyValue {
  const cm = files['capacity-market.json'];
  const cfd = files['cfd.json'];
  return {
    ...(cm !== undefined && { capacityMarket: parseInput(capacitySchema, cm, ['capacity-market.json']) }),
    ...(cfd !== undefined && { cfd: parseInput(cfdSchema, cfd, ['cfd.json']) }),
  };
}

const CATEGORY = 'deferred generation/transmission';

export function policyValueRows(p: PolicyValue, runs: readonly string[]): ValueRow[] {
  const perRun = (value: number) => Object.fromEntries(runs.map((r) => [r, r === BASELINE_RUN ? 0 : value]));
  const rows: ValueRow[] = [];
  if (p.capacityMarket) {
    const names = new Set(p.capacityMarket.platforms.map((x) => x.platform));
    const mw = p.capacityMarket.auction.bids
      .filter((b) => names.has(b.id))
      .reduce((a, b) => a + b.acceptedMw, 0);
    rows.push(
      {
        category: CATEGORY,
        metric: `platform capacity accepted in the capacity auction (derated, ${p.capacityMarket.study})`,
        unit: 'MW',
        values: perRun(mw),
        isHigherBetter: true,
        definition: `Derated MW of the platforms' offers accepted at ${p.capacityMarket.auction.clearingPriceEurPerMwYr} EUR/MW/yr (gridnest policy capacity-market); derating = mean delivered share in stress hours across seeds.`,
      },
      {
        category: CATEGORY,
        metric: `platforms' capacity revenue net of non-delivery penalties (${p.capacityMarket.study})`,
        unit: 'EUR/yr',
        values: perRun(p.capacityMarket.platformNetRevenueEur),
        isHigherBetter: true,
        definition: 'Capacity payments minus penalties for shortfall in the delivery year’s stress hours.',
      },
    );
  }
  if (p.cfd)
    rows.push({
      category: CATEGORY,
      metric: `CfD net difference payment to ${p.cfd.platform} (${p.cfd.study})`,
      unit: 'EUR',
      values: perRun(p.cfd.settlement.netPaymentEur),
      isHigherBetter: true,
      definition: `Σ (strike ${p.cfd.settlement.strikeEurPerMwh} EUR/MWh − reference) · PV + battery output over ${p.cfd.settlement.volumeMwh.toFixed(3)} MWh (gridnest policy cfd); negative: the platform paid back.`,
    });
  return rows;
}

export function policyValueFacts(p: PolicyValue): [string, string][] {
  return [
    ...(p.capacityMarket
      ? [
          [
            'capacity market',
            `clearing price ${p.capacityMarket.auction.clearingPriceEurPerMwYr} EUR/MW/yr; derating ${p.capacityMarket.platforms.map((x) => `${x.platform} ${x.deratingFactor.toFixed(3)}`).join(', ')}`,
          ] as [string, string],
        ]
      : []),
    ...(p.cfd
      ? [
          [
            'contract for difference',
            `${p.cfd.platform} at ${p.cfd.settlement.strikeEurPerMwh} EUR/MWh: net ${p.cfd.settlement.netPaymentEur.toFixed(2)} EUR`,
          ] as [string, string],
        ]
      : []),
  ];
}
