// Turns a validated study and its network into the indexed data the lower level is built from (kW, per bus).
import { InputError } from '../core/errors.ts';
import { mwToKw } from '../core/units.ts';
import { type IndexedNetwork, indexNetwork } from '../grid/indexed-network.ts';
import { buildRadialTree, type RadialTree } from '../grid/radial-tree.ts';
import type { Network } from '../grid/schema.ts';
import { createSyntheticRadialFeeder } from '../grid/synthetic-networks.ts';
import {
  aggregateDay,
  createSyntheticYear,
  type RepresentativeDay,
  selectRepresentativeDays,
} from './representative-days.ts';
import { capitalRecoveryFactor, type PlanningStudy } from './study-schema.ts';

export interface PlanningInstance {
  readonly study: PlanningStudy;
  readonly net: IndexedNetwork;
  readonly tree: RadialTree;
  /** Representative days with profiles averaged to study.profiles.stepsPerDay steps. */
  readonly days: readonly RepresentativeDay[];
  readonly stepHours: number;
  /** (1 + annualRate)^horizonYears. */
  readonly loadMultiplier: number;
  /** Peak active / reactive load of each bus at the planning year (kW / kvar). */
  readonly peakLoadKw: Float64Array;
  readonly peakLoadKvar: Float64Array;
  /** Buses with a load, each hosting one aggregated prosumer class. */
  readonly prosumerBuses: readonly number[];
  /** Branch ids (as strings) by indexed branch. */
  readonly branchIds: readonly string[];
  /** Rating of each bus's parent branch (kW, index = child bus; unused at the root). */
  readonly parentRatingKw: Float64Array;
  /** For each candidate: the child bus of its branch (reinforce), or its bus (battery), or −1 (transformer). */
  readonly candidateBus: readonly number[];
  readonly candidateAnnualisedCapexEur: readonly number[];
  /** Adoption bounds of each bus's prosumer class at the planning year (kWp, kWh; 0 where no load). */
  readonly pvMaxKwp: Float64Array;
  readonly batteryMaxKwh: Float64Array;
}

/** The network a study names: the given one (from loadCase at the edge) or its synthetic feeder. */
export function resolveStudyNetwork(study: PlanningStudy, loaded?: Network): Network {
  if (study.network.synthetic) {
    return createSyntheticRadialFeeder(study.network.synthetic.busCount, study.network.synthetic.seed);
  }
  if (!loaded)
    throw InputError.single('missing_network', ['network', 'case'], 'the case network was not loaded');
  return loaded;
}

/** Validate the study against its network and reduce the synthetic year to representative days. */
export function preparePlanningInstance(study: PlanningStudy, network: Network): PlanningInstance {
  const net = indexNetwork(network);
  const tree = buildRadialTree(net);
  const loadMultiplier = (1 + study.loadGrowth.annualRate) ** study.loadGrowth.horizonYears;
  const scale = loadMultiplier * study.network.loadScale;
  const peakLoadKw = Float64Array.from(net.pLoadMw, (p) => mwToKw(p) * scale);
  const peakLoadKvar = Float64Array.from(net.qLoadMvar, (q) => mwToKw(q) * scale);
  const prosumerBuses = [...peakLoadKw.keys()].filter((i) => peakLoadKw[i] > 0);
  const branchIds = Array.from(net.branchPosition, (pos) => String(network.branches[pos].id));
  const childOfBranch = new Int32Array(net.branchCount).fill(-1);
  for (let c = 0; c < net.busCount; c++)
    if (tree.parentBranch[c] >= 0) childOfBranch[tree.parentBranch[c]] = c;
  const parentRatingKw = new Float64Array(net.busCount).fill(study.network.branchRatingKw);
  for (const [id, ratingKw] of Object.entries(study.network.branchRatingsKw)) {
    const k = branchIds.indexOf(id);
    if (k < 0) {
      throw InputError.single(
        'unknown_branch',
        ['network', 'branchRatingsKw', id],
        `no in-service branch ${id}`,
      );
    }
    parentRatingKw[childOfBranch[k]] = ratingKw;
  }
  const busIds = net.busIds.map(String);
  const candidateBus = study.candidates.map((candidate, i) => {
    if (candidate.kind === 'upgrade-transformer') return -1;
    if (candidate.kind === 'reinforce-branch') {
      const k = branchIds.indexOf(candidate.branchId);
      if (k < 0) {
        throw InputError.single(
          'unknown_branch',
          ['candidates', i, 'branchId'],
          `no in-service branch ${candidate.branchId}`,
        );
      }
      return childOfBranch[k];
    }
    const bus = busIds.indexOf(candidate.busId);
    if (bus < 0)
      throw InputError.single(
        'unknown_bus',
        ['candidates', i, 'busId'],
        `no in-service bus ${candidate.busId}`,
      );
    return bus;
  });
  const perBus = (base: number, byBus: Readonly<Record<string, number>>, path: readonly string[]) => {
    const perKw = new Float64Array(net.busCount).fill(base);
    for (const [id, value] of Object.entries(byBus)) {
      const bus = busIds.indexOf(id);
      if (bus < 0) throw InputError.single('unknown_bus', [...path, id], `no in-service bus ${id}`);
      perKw[bus] = value;
    }
    return perKw.map((v, i) => v * peakLoadKw[i]);
  };
  const { pv, battery } = study.adoption;
  const pvMaxKwp = perBus(pv.maxKwpPerKwLoad, pv.maxKwpPerKwLoadByBus, [
    'adoption',
    'pv',
    'maxKwpPerKwLoadByBus',
  ]);
  const batteryMaxKwh = perBus(battery.maxKwhPerKwLoad, battery.maxKwhPerKwLoadByBus, [
    'adoption',
    'battery',
    'maxKwhPerKwLoadByBus',
  ]);
  const { stepsPerDay, representativeDays, seed } = study.profiles;
  const days = selectRepresentativeDays(createSyntheticYear(seed), representativeDays).map((day) => ({
    ...day,
    ...aggregateDay(day, stepsPerDay),
  }));
  return {
    study,
    net,
    tree,
    days,
    stepHours: 24 / stepsPerDay,
    loadMultiplier,
    branchIds,
    peakLoadKw,
    peakLoadKvar,
    prosumerBuses,
    parentRatingKw,
    candidateBus,
    candidateAnnualisedCapexEur: study.candidates.map(
      (c) => c.capexEur * capitalRecoveryFactor(c.discountRate, c.lifetimeYears),
    ),
    pvMaxKwp,
    batteryMaxKwh,
  };
}
