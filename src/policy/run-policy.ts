// Run the policy mechanisms of a policy study on simulations: derate the platforms' capacity offers from their
// delivery in stress hours across seeds, clear the auction, settle the obligations in a delivery-year run (its
// ledger), and settle a CfD on a platform's PV + battery output (its run's ledger).
import { createCoordination } from '../coordination/index.ts';
import { InputError } from '../core/errors.ts';
import { simulateSystem } from '../hierarchy/engine.ts';
import { accountIds } from '../hierarchy/settlement-accounts.ts';
import type { SystemModel } from '../hierarchy/system-model.ts';
import { microEurToEur } from '../ledger/money.ts';
import {
  type AuctionResult,
  bookCapacityMarket,
  clearCapacityAuction,
  deratingFactor,
  nonDeliveryPenalty,
  type Penalty,
} from './capacity-market.ts';
import { bookCfd, type CfdSettlement, settleCfd } from './cfd.ts';
import type { PolicyStudy } from './policy-study.ts';
import { cfdIntervalsFromRun, platformDeliveryMw, stressHours } from './simulated-delivery.ts';

export interface PolicyRunOptions {
  /** The system model of the study for a master seed (the CLI reads and resolves it). */
  readonly modelForSeed: (seed: number) => SystemModel;
  readonly onProgress?: (done: number, total: number, label: string) => void;
}

const CAPACITY_BUYER = 'capacity-buyer';

async function simulatePair(study: PolicyStudy, model: SystemModel) {
  const baseline = await simulateSystem(model, {
    coordination: createCoordination('none'),
    isBaseline: true,
  });
  const run = await simulateSystem(model, { coordination: createCoordination(study.coordination) });
  return { baseline, run };
}

function feederOf(model: SystemModel, platform: string, path: readonly (string | number)[]) {
  for (const d of model.dsos)
    for (const f of d.feeders) if (f.platformId === platform) return { dso: d.id, replicas: f.replicas };
  const known = model.dsos.flatMap((d) => d.feeders.map((f) => f.platformId));
  throw InputError.single(
    'unknown_platform',
    path,
    `no platform ${platform}; the study has ${known.join(', ')}`,
  );
}

export interface CapacityMarketOutcome {
  readonly study: string;
  readonly coordination: string;
  readonly seeds: readonly number[];
  readonly deliverySeed: number;
  readonly platforms: readonly {
    readonly platform: string;
    readonly offeredMw: number;
    readonly deratingFactor: number;
    readonly deliveredMwBySeed: readonly (readonly number[])[];
    readonly deliveryYearMw: readonly number[];
  }[];
  readonly auction: AuctionResult;
  readonly penalties: readonly Penalty[];
  readonly platformNetRevenueEur: number;
  readonly ledgerTotalMicroEur: string;
  readonly ledgerTransactions: number;
}

export async function runCapacityMarket(
  study: PolicyStudy,
  options: PolicyRunOptions,
): Promise<CapacityMarketOutcome> {
  const cm = study.capacityMarket;
  if (!cm) throw InputError.single('missing', ['capacityMarket'], 'the study has no capacity market');
  const seeds = [...cm.deratingSeeds, cm.deliverySeed];
  const first = options.modelForSeed(seeds[0]);
  cm.platformBids.forEach((b, i) => {
    feederOf(first, b.platform, ['capacityMarket', 'platformBids', i, 'platform']);
  });
  const tsoStepMin = first.config.resolutionsMin.tso;
  const delivered: number[][][] = cm.platformBids.map(() => []);
  let deliveryRun: Awaited<ReturnType<typeof simulatePair>> | undefined;
  for (let s = 0; s < seeds.length; s++) {
    options.onProgress?.(s, seeds.length, `seed ${seeds[s]}`);
    const pair = await simulatePair(study, s === 0 ? first : options.modelForSeed(seeds[s]));
    const hours = stressHours(pair.baseline.recorder.tso, cm.stressHours);
    cm.platformBids.forEach((b, i) => {
      delivered[i].push(
        platformDeliveryMw(
          pair.baseline.recorder.platform,
          pair.run.recorder.platform,
          b.platform,
          hours,
          tsoStepMin,
        ),
      );
    });
    if (s === seeds.length - 1) deliveryRun = pair;
  }
  options.onProgress?.(seeds.length, seeds.length, 'auction');
  const platforms = cm.platformBids.map((b, i) => ({
    platform: b.platform,
    offeredMw: b.offeredMw,
    deratingFactor: deratingFactor(b.offeredMw, delivered[i].slice(0, -1)),
    deliveredMwBySeed: delivered[i].slice(0, -1),
    deliveryYearMw: delivered[i][delivered[i].length - 1],
  }));
  const auction = clearCapacityAuction({ targetMw: cm.targetMw, priceCapEurPerMwYr: cm.priceCapEurPerMwYr }, [
    ...platforms.map((p, i) => ({
      id: p.platform,
      offeredMw: p.offeredMw,
      priceEurPerMwYr: cm.platformBids[i].priceEurPerMwYr,
      deratingFactor: p.deratingFactor,
    })),
    ...cm.otherBids,
  ]);
  const penalties = platforms.map((p) => {
    const accepted = auction.bids.find((b) => b.id === p.platform)!;
    return nonDeliveryPenalty(
      {
        id: p.platform,
        obligationMw: accepted.acceptedMw,
        deliveredMw: p.deliveryYearMw,
        intervalH: p.deliveryYearMw.map(() => tsoStepMin / 60),
      },
      {
        penaltyEurPerMwh: cm.penaltyEurPerMwh,
        capShareOfPayment: cm.penaltyCapShareOfPayment,
        paymentEur: accepted.paymentEurPerYr,
      },
    );
  });
  const ledger = deliveryRun!.run.ledger;
  const before = ledger.transactionCount;
  bookCapacityMarket(ledger, auction, penalties, {
    buyerAccountId: CAPACITY_BUYER,
    accountOf: (id) =>
      platforms.some((p) => p.platform === id) ? accountIds.platform(id) : `capacity:${id}`,
  });
  const platformNetRevenueEur = platforms.reduce((a, p) => {
    const pay = auction.bids.find((b) => b.id === p.platform)!.paymentEurPerYr;
    return a + pay - penalties.find((x) => x.id === p.platform)!.penaltyEur;
  }, 0);
  return {
    study: study.name,
    coordination: study.coordination,
    seeds: cm.deratingSeeds,
    deliverySeed: cm.deliverySeed,
    platforms,
    auction,
    penalties,
    platformNetRevenueEur,
    ledgerTotalMicroEur: ledger.totalBalance().toString(),
    ledgerTransactions: ledger.transactionCount - before,
  };
}

export interface CfdOutcome {
  readonly study: string;
  readonly coordination: string;
  readonly platform: string;
  readonly reference: string;
  readonly seed: number;
  readonly settlement: CfdSettlement;
  readonly platformBalanceEur: number;
  readonly ledgerTotalMicroEur: string;
  readonly ledgerTransactions: number;
}

export async function runCfd(study: PolicyStudy, options: PolicyRunOptions): Promise<CfdOutcome> {
  const cfd = study.cfd;
  if (!cfd) throw InputError.single('missing', ['cfd'], 'the study has no cfd section');
  const model = options.modelForSeed(cfd.seed ?? 1);
  const { dso, replicas } = feederOf(model, cfd.platform, ['cfd', 'platform']);
  options.onProgress?.(0, 1, `simulate ${study.coordination}`);
  const run = await simulateSystem(model, { coordination: createCoordination(study.coordination) });
  options.onProgress?.(1, 1, 'settle');
  const intervals = cfdIntervalsFromRun(
    {
      prosumer: run.recorder.prosumer,
      tso: run.recorder.tso,
      platform: cfd.platform,
      dso,
      replicas,
      prosumerStepMin: model.config.resolutionsMin.prosumer,
      tsoStepMin: model.config.resolutionsMin.tso,
    },
    cfd.reference,
  );
  const settlement = settleCfd(
    { strikeEurPerMwh: cfd.strikeEurPerMwh, counterpartyAccountId: cfd.counterpartyAccountId },
    intervals,
  );
  const before = run.ledger.transactionCount;
  const platformAccountId = accountIds.platform(cfd.platform);
  const balanceBefore = run.ledger.hasAccount(platformAccountId)
    ? run.ledger.balanceOf(platformAccountId)
    : 0n;
  bookCfd(run.ledger, settlement, { platformAccountId, counterpartyAccountId: cfd.counterpartyAccountId });
  return {
    study: study.name,
    coordination: study.coordination,
    platform: cfd.platform,
    reference: cfd.reference,
    seed: model.scenario.seeds.master,
    settlement,
    platformBalanceEur: microEurToEur(run.ledger.balanceOf(platformAccountId) - balanceBefore),
    ledgerTotalMicroEur: run.ledger.totalBalance().toString(),
    ledgerTransactions: run.ledger.transactionCount - before,
  };
}
