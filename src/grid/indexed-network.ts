// Conversion layer: turns a validated Network into dense, index-based arrays in per unit that solvers work on.
//
// Only in-service buses are indexed; elements attached to out-of-service buses are dropped. A PV bus without an
// in-service generator becomes PQ (as MATPOWER does). Voltages start from the case, with generator setpoints
// applied at PV and slack buses.
import { degToRad } from '../core/units.ts';
import type { ElementId, GeneratorCost, Network } from './schema.ts';

export const BUS_PQ = 0;
export const BUS_PV = 1;
export const BUS_SLACK = 2;

export interface IndexedNetwork {
  readonly baseMva: number;
  readonly busCount: number;
  /** Id of the bus at each index, and its position in `network.buses`. */
  readonly busIds: readonly ElementId[];
  readonly busPositionOfIndex: Int32Array;
  readonly busIndexById: ReadonlyMap<ElementId, number>;
  readonly busType: Int8Array;
  readonly baseKv: Float64Array;
  readonly vmMinPu: Float64Array;
  readonly vmMaxPu: Float64Array;
  /** Starting voltage magnitude (p.u.) and angle (rad). */
  readonly vmStartPu: Float64Array;
  readonly vaStartRad: Float64Array;
  /** Sum of in-service loads per bus (MW, MVAr, consumption positive). */
  readonly pLoadMw: Float64Array;
  readonly qLoadMvar: Float64Array;
  /** Bus shunts at 1 p.u.: active consumption (MW) and reactive injection (MVAr). */
  readonly gShuntMw: Float64Array;
  readonly bShuntMvar: Float64Array;
  readonly slackBus: Int32Array;

  /** In-service generators: position in `network.generators`, bus index, setpoints and limits. */
  readonly generatorCount: number;
  readonly generatorPosition: Int32Array;
  readonly generatorBus: Int32Array;
  readonly pGenMw: Float64Array;
  readonly qGenMvar: Float64Array;
  readonly pGenMinMw: Float64Array;
  readonly pGenMaxMw: Float64Array;
  readonly qGenMinMvar: Float64Array;
  readonly qGenMaxMvar: Float64Array;
  readonly generatorCost: readonly (GeneratorCost | undefined)[];

  /** In-service branches: position in `network.branches`, end bus indices and π-model data in p.u. */
  readonly branchCount: number;
  readonly branchPosition: Int32Array;
  readonly branchFrom: Int32Array;
  readonly branchTo: Int32Array;
  readonly branchRPu: Float64Array;
  readonly branchXPu: Float64Array;
  readonly branchBPu: Float64Array;
  readonly branchTap: Float64Array;
  readonly branchShiftRad: Float64Array;
  readonly branchRateMva: Float64Array;
}

/** Build the index-based view of a validated network (see createNetwork). Pure: the network is not changed. */
export function indexNetwork(network: Network): IndexedNetwork {
  const busIds: ElementId[] = [];
  const busPosition: number[] = [];
  const busIndexById = new Map<ElementId, number>();
  network.buses.forEach((bus, position) => {
    if (!bus.inService) return;
    busIndexById.set(bus.id, busIds.length);
    busIds.push(bus.id);
    busPosition.push(position);
  });
  const n = busIds.length;
  const busType = new Int8Array(n);
  const baseKv = new Float64Array(n);
  const vmMinPu = new Float64Array(n);
  const vmMaxPu = new Float64Array(n);
  const vmStartPu = new Float64Array(n);
  const vaStartRad = new Float64Array(n);
  busPosition.forEach((position, i) => {
    const bus = network.buses[position];
    busType[i] = bus.type === 'slack' ? BUS_SLACK : bus.type === 'pv' ? BUS_PV : BUS_PQ;
    baseKv[i] = bus.baseKv;
    vmMinPu[i] = bus.vmMinPu;
    vmMaxPu[i] = bus.vmMaxPu;
    vmStartPu[i] = bus.vmPu;
    vaStartRad[i] = degToRad(bus.vaDeg);
  });

  const pLoadMw = new Float64Array(n);
  const qLoadMvar = new Float64Array(n);
  for (const load of network.loads) {
    const i = busIndexById.get(load.bus);
    if (!load.inService || i === undefined) continue;
    pLoadMw[i] += load.pMw;
    qLoadMvar[i] += load.qMvar;
  }
  const gShuntMw = new Float64Array(n);
  const bShuntMvar = new Float64Array(n);
  for (const shunt of network.shunts) {
    const i = busIndexById.get(shunt.bus);
    if (!shunt.inService || i === undefined) continue;
    gShuntMw[i] += shunt.gMw;
    bShuntMvar[i] += shunt.bMvar;
  }

  const gens = network.generators
    .map((g, position) => ({ g, position, bus: busIndexById.get(g.bus) }))
    .filter((e): e is typeof e & { bus: number } => e.g.inService && e.bus !== undefined);
  const hasGenerator = new Uint8Array(n);
  for (const { g, bus } of gens) {
    hasGenerator[bus] = 1;
    if (busType[bus] !== BUS_PQ) vmStartPu[bus] = g.vmSetpointPu;
  }
  for (let i = 0; i < n; i++) if (busType[i] === BUS_PV && !hasGenerator[i]) busType[i] = BUS_PQ;

  const branches = network.branches
    .map((b, position) => ({ b, position, from: busIndexById.get(b.fromBus), to: busIndexById.get(b.toBus) }))
    .filter(
      (e): e is typeof e & { from: number; to: number } =>
        e.b.inService && e.from !== undefined && e.to !== undefined,
    );

  const slackBus: number[] = [];
  for (let i = 0; i < n; i++) if (busType[i] === BUS_SLACK) slackBus.push(i);

  return {
    baseMva: network.baseMva,
    busCount: n,
    busIds,
    busPositionOfIndex: Int32Array.from(busPosition),
    busIndexById,
    busType,
    baseKv,
    vmMinPu,
    vmMaxPu,
    vmStartPu,
    vaStartRad,
    pLoadMw,
    qLoadMvar,
    gShuntMw,
    bShuntMvar,
    slackBus: Int32Array.from(slackBus),
    generatorCount: gens.length,
    generatorPosition: Int32Array.from(gens, (e) => e.position),
    generatorBus: Int32Array.from(gens, (e) => e.bus),
    pGenMw: Float64Array.from(gens, (e) => e.g.pMw),
    qGenMvar: Float64Array.from(gens, (e) => e.g.qMvar),
    pGenMinMw: Float64Array.from(gens, (e) => e.g.pMinMw),
    pGenMaxMw: Float64Array.from(gens, (e) => e.g.pMaxMw),
    qGenMinMvar: Float64Array.from(gens, (e) => e.g.qMinMvar),
    qGenMaxMvar: Float64Array.from(gens, (e) => e.g.qMaxMvar),
    generatorCost: gens.map((e) => e.g.cost),
    branchCount: branches.length,
    branchPosition: Int32Array.from(branches, (e) => e.position),
    branchFrom: Int32Array.from(branches, (e) => e.from),
    branchTo: Int32Array.from(branches, (e) => e.to),
    branchRPu: Float64Array.from(branches, (e) => e.b.rPu),
    branchXPu: Float64Array.from(branches, (e) => e.b.xPu),
    branchBPu: Float64Array.from(branches, (e) => e.b.bPu),
    branchTap: Float64Array.from(branches, (e) => e.b.tapRatio),
    branchShiftRad: Float64Array.from(branches, (e) => degToRad(e.b.shiftDeg)),
    branchRateMva: Float64Array.from(branches, (e) => e.b.rateAMva),
  };
}
