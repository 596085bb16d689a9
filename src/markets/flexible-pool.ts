// Day-ahead P2P pool clearing over the members' DER flexibility (issue 12, point 1).
//
// One optimisation over every member's home energy model (ders/schedule-prosumer.ts: curtailable PV, batteries, EVs,
// heat pumps, shiftable loads, all sequence-feasible across the horizon), coupled by a pool balance per interval k:
//     Σ_i sell_i,k − Σ_i buy_i,k = 0                                              (dual y_k)
// Objective: the members' total cost at their retail import/export prices, plus each buyer's P2P fee, minus its
// local premium. P2P payments are transfers between members and cancel in the sum, so inside the problem P2P is
// priced at any reference c_k (the highest export price, so no member sees meter arbitrage) and the P2P price is
//     π_k = c_k + y_k / Δ  (EUR/kWh)
// By LP duality the joint optimum, with P2P bought and sold at π_k, is an optimum of each member's own HEMS problem
// (a competitive equilibrium: no member gains by deviating as a price-taker), and since "no trade" is feasible the
// members' total cost can only fall. π_k lies between the highest export and the lowest import price among the
// members who trade; with linear costs it often sits at one of them (supply ≥ demand: the export price).
// Agreed range (optional, `PoolNetImportLimits`): the platform plans within the net position its DSO agreed,
//     minKw_k − s⁻_k ≤ Σ_i (import_i,k − export_i,k) ≤ maxKw_k + s⁺_k,   s± ≥ 0 at `penaltyEurPerKwh`
// (P2P nets out inside the pool, so the sum is the feeder's net consumption before losses). The slacks keep the
// problem feasible when EV energy or heat-pump comfort cannot fit; the penalty lies above every retail price, so
// the range holds whenever the members' flexibility allows it.
// Limitation: one fee per buyer and interval (its location's), not per buyer–seller pair.
// Units: kW, kWh, EUR/kWh; intervals of the members' common time index (same length and step).
import { InputError } from '../core/errors.ts';
import type { OptimisationStatus } from '../core/status.ts';
import type { ProsumerModel } from '../ders/prosumer-model.ts';
import {
  addProsumerToProblem,
  failedSchedule,
  type ProsumerSchedule,
  readSchedule,
  type ScheduleOptions,
} from '../ders/schedule-prosumer.ts';
import type { ProsumerTariff } from '../ders/tariff.ts';
import {
  type LpBasis,
  type OptimisationProblem,
  type OptimisationResult,
  type SolveOptions,
  solveOptimisation,
} from '../numeric/optimisation/index.ts';
import { ProblemBuilder } from '../numeric/optimisation/problem.ts';
import type { TradeToSettle } from '../settlement/trades.ts';

/** A platform member: its DER model and retail tariff; `tariff.p2p.feeEurPerKwh` is its fee as a buyer. */
export interface PoolMember {
  readonly model: ProsumerModel;
  readonly tariff: ProsumerTariff;
}

/**
 * Energy from one seller to one buyer in one interval (pro-rata allocation of the pool), ready to settle
 * (`settlement/trades.ts`); the account ids are the members' model ids.
 */
export type PoolTrade = TradeToSettle & { readonly intervalIndex: number };

export interface FlexiblePoolResult {
  readonly status: OptimisationStatus;
  /** Clearing price per interval (EUR/kWh); NaN when not optimal. */
  readonly priceEurPerKwh: Float64Array;
  /** Each member's schedule, costed with P2P at the clearing price (ProsumerSchedule.energyCostEur). */
  readonly schedules: readonly ProsumerSchedule[];
  readonly trades: readonly PoolTrade[];
  /** Members' total energy cost (EUR), P2P transfers cancelling. */
  readonly totalCostEur: number;
  /** Energy traded in the pool per interval (kWh). */
  readonly tradedKwh: Float64Array;
  /** The optimal LP basis (absent for a QP or when not optimal): `PoolSolveOptions.basis` of a later clearing. */
  readonly basis?: LpBasis;
}

/** The net position range a platform's members plan within (kW per interval of their index; see the header). */
export interface PoolNetImportLimits {
  readonly maxKw: ArrayLike<number>;
  readonly minKw: ArrayLike<number>;
  /** Cost of each kWh outside the range (EUR/kWh); default POOL_LIMIT_PENALTY_EUR_PER_KWH. */
  readonly penaltyEurPerKwh?: number;
}

/** Default cost of energy outside an agreed range (EUR/kWh): above any retail price the simulation produces. */
export const POOL_LIMIT_PENALTY_EUR_PER_KWH = 20;

/** Below this (kW) a pool volume counts as zero when trades are allocated. */
const VOLUME_EPSILON_KW = 1e-9;

/** Solves the pool's problem: `solveOptimisation` here, or e.g. `SolverThreads.solve` in a worker thread. */
export type PoolSolver = (problem: OptimisationProblem, options: SolveOptions) => Promise<OptimisationResult>;

/** How the pool LP is solved: the solver, and a basis of an earlier pool of the same members to start from. */
export interface PoolSolveOptions {
  readonly solve?: PoolSolver;
  /** Warm start (e.g. the day-ahead bid phase's basis for the plan phase): same optimum, far fewer iterations. */
  readonly basis?: LpBasis;
}

/** Clear the pool: every member's schedule and the P2P price per interval (see the header). */
export async function clearFlexiblePool(
  members: readonly PoolMember[],
  options: ScheduleOptions = {},
  limits?: PoolNetImportLimits,
  run: PoolSolveOptions = {},
): Promise<FlexiblePoolResult> {
  const { length, stepH } = checkMembers(members);
  const builder = new ProblemBuilder();
  const referenceEurPerKwh = referencePrices(members, length);
  const layouts = members.map(({ model, tariff }) =>
    addProsumerToProblem(builder, model, pricedTariff(tariff, referenceEurPerKwh, length), options),
  );
  const poolRows = Array.from({ length }, (_, k) => {
    const cols = layouts.flatMap((l) => [l.sell[k], l.buy[k]]);
    const vals = layouts.flatMap(() => [1, -1]);
    return builder.addRow(0, 0, cols, vals, `pool_${k}`);
  });
  if (limits) addRangeRows(builder, layouts, limits, length, stepH);
  const solve = run.solve ?? solveOptimisation;
  const solution = await solve(builder.build(), { basis: run.basis, keepBasis: true });
  if (solution.status !== 'optimal') {
    return {
      status: solution.status,
      priceEurPerKwh: new Float64Array(length).fill(Number.NaN),
      schedules: layouts.map((l) => failedSchedule(l, solution.status)),
      trades: [],
      totalCostEur: Number.NaN,
      tradedKwh: new Float64Array(length),
    };
  }
  const priceEurPerKwh = Float64Array.from(
    poolRows,
    (r, k) => referenceEurPerKwh[k] + solution.rowDual[r] / stepH,
  );
  const schedules = layouts.map((layout, i) =>
    readSchedule(
      { ...layout, tariff: pricedTariff(members[i].tariff, priceEurPerKwh, length) },
      solution.status,
      solution.x,
      solution.rowDual,
    ),
  );
  const trades = allocateTrades(schedules, members, priceEurPerKwh, stepH);
  const tradedKwh = new Float64Array(length);
  for (const t of trades) tradedKwh[t.intervalIndex] += t.eKwh;
  return {
    status: solution.status,
    priceEurPerKwh,
    schedules,
    trades,
    totalCostEur: schedules.reduce((sum, s) => sum + s.energyCostEur, 0),
    tradedKwh,
    basis: solution.basis,
  };
}

/** Σ (import − export) within [minKw, maxKw] per interval, softened by penalised slacks (see the header). */
function addRangeRows(
  builder: ProblemBuilder,
  layouts: readonly { readonly imp: Int32Array; readonly exp: Int32Array }[],
  limits: PoolNetImportLimits,
  length: number,
  stepH: number,
): void {
  if (limits.maxKw.length !== length || limits.minKw.length !== length)
    throw InputError.single(
      'length_mismatch',
      ['limits'],
      `has ${limits.maxKw.length}/${limits.minKw.length} intervals, the members ${length}`,
    );
  const penalty = stepH * (limits.penaltyEurPerKwh ?? POOL_LIMIT_PENALTY_EUR_PER_KWH);
  for (let k = 0; k < length; k++) {
    const cols = layouts.flatMap((l) => [l.imp[k], l.exp[k]]);
    const vals = layouts.flatMap(() => [1, -1]);
    if (Number.isFinite(limits.maxKw[k])) {
      const over = builder.addColumn(0, Number.POSITIVE_INFINITY, penalty, `over_${k}`);
      builder.addRow(
        Number.NEGATIVE_INFINITY,
        limits.maxKw[k],
        [...cols, over],
        [...vals, -1],
        `range_max_${k}`,
      );
    }
    if (Number.isFinite(limits.minKw[k])) {
      const under = builder.addColumn(0, Number.POSITIVE_INFINITY, penalty, `under_${k}`);
      builder.addRow(
        limits.minKw[k],
        Number.POSITIVE_INFINITY,
        [...cols, under],
        [...vals, 1],
        `range_min_${k}`,
      );
    }
  }
}

function checkMembers(members: readonly PoolMember[]): { length: number; stepH: number } {
  if (members.length === 0) throw InputError.single('empty', ['members'], 'a pool needs at least one member');
  const { length, stepH } = members[0].model;
  const ids = new Set<string>();
  members.forEach(({ model }, i) => {
    if (model.length !== length || model.stepH !== stepH)
      throw InputError.single(
        'length_mismatch',
        ['members', i, 'model'],
        `has ${model.length} intervals of ${model.stepH} h, member 0 has ${length} of ${stepH} h`,
      );
    if (ids.has(model.id)) throw InputError.single('duplicate_id', ['members', i, 'model', 'id'], model.id);
    ids.add(model.id);
  });
  return { length, stepH };
}

/**
 * The P2P price used inside the joint problem (it cancels there): per interval the highest price any member gets
 * for exporting, or for selling to a buyer net of that buyer's fee, so no member could buy P2P and export at a gain.
 */
function referencePrices(members: readonly PoolMember[], length: number): Float64Array {
  const reference = new Float64Array(length).fill(Number.NEGATIVE_INFINITY);
  for (const { tariff } of members) {
    for (let k = 0; k < length; k++) {
      const fee = tariff.p2p?.feeEurPerKwh[k] ?? 0;
      reference[k] = Math.max(
        reference[k],
        tariff.exportPriceEurPerKwh[k],
        tariff.exportPriceEurPerKwh[k] - fee,
      );
    }
  }
  return reference;
}

function pricedTariff(tariff: ProsumerTariff, priceEurPerKwh: Float64Array, length: number): ProsumerTariff {
  return {
    ...tariff,
    p2p: {
      priceEurPerKwh,
      feeEurPerKwh: tariff.p2p?.feeEurPerKwh ?? new Float64Array(length),
      limitKw: tariff.p2p?.limitKw,
    },
  };
}

/**
 * Split each interval's pool pro rata on net positions (a member that both buys and sells in an interval trades
 * only the difference, never with itself): buyer b receives netBuy_b·netSell_s/Σ netSell from seller s.
 */
function allocateTrades(
  schedules: readonly ProsumerSchedule[],
  members: readonly PoolMember[],
  priceEurPerKwh: Float64Array,
  stepH: number,
): PoolTrade[] {
  const trades: PoolTrade[] = [];
  for (let k = 0; k < priceEurPerKwh.length; k++) {
    const netBuyKw = schedules.map((s) => Math.max(0, s.p2pBuyKw[k] - s.p2pSellKw[k]));
    const netSellKw = schedules.map((s) => Math.max(0, s.p2pSellKw[k] - s.p2pBuyKw[k]));
    const supplyKw = netSellKw.reduce((sum, v) => sum + v, 0);
    if (supplyKw <= VOLUME_EPSILON_KW) continue;
    schedules.forEach((buyer, b) => {
      if (netBuyKw[b] <= VOLUME_EPSILON_KW) return;
      schedules.forEach((seller, s) => {
        if (netSellKw[s] <= VOLUME_EPSILON_KW) return;
        trades.push({
          intervalIndex: k,
          buyerAccountId: buyer.id,
          sellerAccountId: seller.id,
          eKwh: ((netBuyKw[b] * netSellKw[s]) / supplyKw) * stepH,
          priceEurPerKwh: priceEurPerKwh[k],
          feeEurPerKwh: members[b].tariff.p2p?.feeEurPerKwh[k] ?? 0,
        });
      });
    });
  }
  return trades;
}
