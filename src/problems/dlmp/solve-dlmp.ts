// Distribution OPF with DLMPs: loss-factor iteration around AC power flows, then a final LP/QP with frozen factors.
//
// Iteration (successive linearisation): c⁰ = fixed loads with every bid at its lower bound; repeat
//   1. AC power flow at c^k → |V|, branch flows, losses L^k and marginal loss factors LF^k (linearisation.ts)
//   2. solve the OPF of dlmp-problem.ts linearised at c^k → dispatch and c^{k+1}
// until max_i |c^{k+1}_i − c^k_i| ≤ toleranceMw. The reported DLMPs are the duals of the last LP/QP, whose loss
// factors and operating point are returned as `linearisation` so that a caller can re-solve with them frozen
// (finite-difference checks, what-if studies).
import { InputError } from '../../core/errors.ts';
import type { OptimisationStatus } from '../../core/status.ts';
import { BUS_SLACK } from '../../grid/indexed-network.ts';
import type { ElementId, Network } from '../../grid/schema.ts';
import { type FlexBidInput, indexBids } from './bids.ts';
import { type DlmpProblemSpec, type SlackSupply, solveDlmpProblem } from './dlmp-problem.ts';
import {
  buildFeederModel,
  type FeederLinearisation,
  type FeederModel,
  lineariseFeeder,
  parentBranchRatesMva,
} from './linearisation.ts';

export interface DlmpOptions {
  /** Substation (energy) price per MWh; default: the slack generators' cost curve. */
  readonly energyPricePerMwh?: number;
  /** false: lossless LinDistFlow (zero losses and loss factors). Default true. */
  readonly includeLosses?: boolean;
  readonly maxLossIterations?: number;
  /** Stop the loss-factor iteration when no net consumption changes by more than this (MW); default 1e-6. */
  readonly toleranceMw?: number;
  /** Sides of the inscribed polygon approximating S ≤ rate; default 16 (≤ 1.9 % conservative). */
  readonly polygonSides?: number;
  /** Override the fixed net consumption per in-service bus (MW, indexed like the network's in-service buses). */
  readonly fixedLoadMw?: Float64Array;
  /** Re-solve with this frozen linearisation instead of iterating (from a previous result). */
  readonly linearisation?: FeederLinearisation;
  /** Reuse a prepared feeder model (repeated solves of one network). */
  readonly feeder?: FeederModel;
}

export interface DlmpBusResult {
  readonly id: ElementId;
  readonly dlmpPerMwh: number;
  readonly energyPerMwh: number;
  readonly lossPerMwh: number;
  readonly congestionPerMwh: number;
  readonly voltagePerMwh: number;
  /** Net consumption (MW, generation negative) at the optimum. */
  readonly netLoadMw: number;
  /** Voltage magnitude of the linearised model at the optimum (p.u.). */
  readonly vmPu: number;
  readonly marginalLossFactor: number;
}

export interface DlmpResult {
  readonly status: OptimisationStatus;
  readonly message?: string;
  /** Objective: generation cost − demand utility + substation cost (case cost unit per h). */
  readonly objectivePerH: number;
  readonly lossIterations: number;
  readonly isLossIterationConverged: boolean;
  /** Series losses (MW) at the last operating point. */
  readonly lossesMw: number;
  readonly slackPMw: number;
  readonly buses: readonly DlmpBusResult[];
  readonly bids: readonly { id: ElementId; bus: ElementId; kind: string; pMw: number }[];
  readonly branches: readonly {
    id: ElementId;
    pMw: number;
    pLimitMw: number | null;
    /** Shadow price of the branch limit, per MWh of flow from parent to child (0 when not binding). */
    shadowPricePerMwh: number;
  }[];
  /** The frozen linearisation of the final LP/QP (pass back as options.linearisation to re-solve). */
  readonly linearisation: FeederLinearisation;
}

/** Solve the distribution OPF of a radial network with flexible bids and return DLMPs split into components. */
export async function solveDlmp(
  network: Network,
  bidInputs: readonly FlexBidInput[] = [],
  options: DlmpOptions = {},
): Promise<DlmpResult> {
  const feeder = options.feeder ?? buildFeederModel(network);
  const { net, lin } = feeder;
  const n = net.busCount;
  const bids = indexBids(net, bidInputs);
  const polygonSides = options.polygonSides ?? 16;
  if (!Number.isInteger(polygonSides) || polygonSides < 4) {
    throw InputError.single('bad_option', ['polygonSides'], 'must be an integer of at least 4');
  }
  const fixedLoadMw = options.fixedLoadMw ?? defaultFixedLoad(feeder);
  if (fixedLoadMw.length !== n) {
    throw InputError.single('bad_length', ['fixedLoadMw'], `expected ${n} values, got ${fixedLoadMw.length}`);
  }
  const fixedLoadMvar = Float64Array.from(net.qLoadMvar, (q, i) => q - feeder.fixedGenMvar[i]);
  const spec: DlmpProblemSpec = {
    fixedLoadMw,
    bids,
    slack: slackSupply(feeder, options.energyPricePerMwh),
    vmMinPu: net.vmMinPu,
    vmMaxPu: net.vmMaxPu,
    parentRateMva: parentBranchRatesMva(feeder),
    polygonSides,
  };
  const isLossless = options.includeLosses === false;
  const maxIterations = options.maxLossIterations ?? 20;
  const toleranceMw = options.toleranceMw ?? 1e-6;
  let point =
    options.linearisation ??
    lineariseFeeder(
      feeder,
      netLoadWithBidsAt(
        fixedLoadMw,
        bids,
        bids.map((b) => b.pMinMw),
      ),
      fixedLoadMvar,
      isLossless,
    );
  let solution = await solveDlmpProblem(feeder, point, spec);
  let iterations = 1;
  let isConverged = options.linearisation !== undefined || isLossless;
  while (!isConverged && solution.status === 'optimal' && iterations < maxIterations) {
    const change = maxAbsDifference(solution.netLoadMw, point.netLoadMw);
    if (change <= toleranceMw) {
      isConverged = true;
      break;
    }
    point = lineariseFeeder(feeder, solution.netLoadMw, fixedLoadMvar, false);
    solution = await solveDlmpProblem(feeder, point, spec);
    iterations++;
  }
  if (!isConverged && solution.status === 'optimal') {
    isConverged = maxAbsDifference(solution.netLoadMw, point.netLoadMw) <= toleranceMw;
  }
  const branchIdOf = (k: number) => network.branches[net.branchPosition[k]].id;
  return {
    status: solution.status,
    ...(solution.status === 'infeasible'
      ? { message: 'no dispatch of the bids meets the voltage and branch limits of the linearised feeder' }
      : {}),
    objectivePerH: solution.objectivePerH,
    lossIterations: iterations,
    isLossIterationConverged: isConverged,
    lossesMw: point.lossesMw,
    slackPMw: solution.slackPMw,
    buses: net.busIds.map((id, i) => ({
      id,
      dlmpPerMwh: solution.dlmpPerMwh[i],
      energyPerMwh: solution.energyPerMwh,
      lossPerMwh: solution.lossPerMwh[i],
      congestionPerMwh: solution.congestionPerMwh[i],
      voltagePerMwh: solution.voltagePerMwh[i],
      netLoadMw: solution.netLoadMw[i],
      vmPu: solution.vmPu[i],
      marginalLossFactor: point.lossFactor[i],
    })),
    bids: bidInputs.map((bid, g) => ({
      id: bid.id,
      bus: bid.bus,
      kind: bid.kind,
      pMw: solution.bidPMw[g],
    })),
    branches: Array.from(lin.tree.order.subarray(1), (c) => ({
      id: branchIdOf(lin.tree.parentBranch[c]),
      pMw: solution.pParentBranchMw[c],
      pLimitMw: Number.isFinite(solution.pLimitHighMw[c]) ? solution.pLimitHighMw[c] : null,
      shadowPricePerMwh: solution.branchShadowPerMwh[c],
    })),
    linearisation: point,
  };
}

/** Network loads minus fixed non-slack generator setpoints (MW per bus). */
export function defaultFixedLoad(feeder: FeederModel): Float64Array {
  return Float64Array.from(feeder.net.pLoadMw, (p, i) => p - feeder.fixedGenMw[i]);
}

/** Net consumption with each bid at the given quantity. */
export function netLoadWithBidsAt(
  fixedLoadMw: Float64Array,
  bids: readonly { bus: number; isDemand: boolean }[],
  quantitiesMw: readonly number[] | Float64Array,
): Float64Array {
  const out = Float64Array.from(fixedLoadMw);
  bids.forEach((bid, g) => {
    out[bid.bus] += (bid.isDemand ? 1 : -1) * quantitiesMw[g];
  });
  return out;
}

function maxAbsDifference(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The substation supply: the slack generators' (summed) limits and cost, or a given energy price. */
function slackSupply(feeder: FeederModel, energyPricePerMwh: number | undefined): SlackSupply {
  const { net } = feeder;
  let pMinMw = 0;
  let pMaxMw = 0;
  let cost: SlackSupply | undefined;
  let count = 0;
  for (let g = 0; g < net.generatorCount; g++) {
    if (net.busType[net.generatorBus[g]] !== BUS_SLACK) continue;
    count++;
    pMinMw += net.pGenMinMw[g];
    pMaxMw += net.pGenMaxMw[g];
    const c = net.generatorCost[g];
    if (c?.kind === 'polynomial') cost = { c1PerMwh: c.c1PerMwh, c2PerMw2H: c.c2PerMw2H, pMinMw, pMaxMw };
  }
  const limits = count > 0 ? { pMinMw, pMaxMw } : { pMinMw: -Infinity, pMaxMw: Infinity };
  if (energyPricePerMwh !== undefined) {
    if (!Number.isFinite(energyPricePerMwh)) {
      throw InputError.single('bad_option', ['energyPricePerMwh'], 'must be a finite number');
    }
    return { c1PerMwh: energyPricePerMwh, c2PerMw2H: 0, pMinMw: -Infinity, pMaxMw: Infinity };
  }
  if (!cost || count !== 1) {
    const position = net.generatorPosition.find((_, g) => net.busType[net.generatorBus[g]] === BUS_SLACK);
    throw InputError.single(
      'missing_cost',
      position === undefined ? ['energyPricePerMwh'] : ['generators', position, 'cost'],
      'the substation needs a polynomial cost (one slack generator) or an energy price',
    );
  }
  return {
    ...cost,
    ...limits,
    pMinMw: Math.max(limits.pMinMw, -1e12),
    pMaxMw: Math.min(limits.pMaxMw, 1e12),
  };
}
