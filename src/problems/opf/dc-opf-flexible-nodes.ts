// DC OPF with price-responsive flexible nodes (aggregated distribution bids) as dispatchable loads, LMPs included.
//
// A flexible node j at bus i consumes c_j = cMin_j + Σ_s x_js, 0 ≤ x_js ≤ block_js, with willingness to pay
// w_js (per MWh) for block s. It enters the DC OPF of dc-opf.ts as a pseudo-generator with output p_j = −c_j and
// the convex piecewise-linear cost −benefit(c_j) (blocks taken in order of falling w): maximising welfare
// Σ benefit − Σ generation cost subject to the same nodal balances, so the LMP at i is the price at which the node's
// marginal block is indifferent. The inflexible part cMin may be negative (a net-exporting distribution area).
import { InputError } from '../../core/errors.ts';
import type { ElementId, Generator, Network } from '../../grid/schema.ts';
import { type DcOpfResult, solveDcOpf } from './dc-opf.ts';

/** One price-responsive aggregate at a transmission bus (MW, positive consuming; prices per MWh in case currency). */
export interface FlexibleNode {
  readonly id: string;
  readonly bus: ElementId;
  /** Consumption that does not respond to price (MW). */
  readonly minMw: number;
  /** Additional consumption blocks above minMw, each wanted at prices up to its willingness to pay. */
  readonly blocks: readonly { readonly mw: number; readonly willingnessPerMwh: number }[];
}

export interface FlexibleNodeResult {
  readonly id: string;
  readonly bus: ElementId;
  /** Cleared consumption (MW). */
  readonly consumptionMw: number;
  readonly lmpPerMwh: number;
}

export interface DcOpfFlexibleResult extends DcOpfResult {
  readonly flexibleNodes: readonly FlexibleNodeResult[];
}

/**
 * Solve the DC OPF of `network` with its bus loads replaced by `loadMw` (per bus id, MW; buses not listed keep
 * the case loads) plus the flexible nodes. Infeasibility is a status, never an exception.
 */
export async function solveDcOpfWithFlexibleNodes(
  network: Network,
  flexibleNodes: readonly FlexibleNode[],
  loadMw?: ReadonlyMap<string, number>,
): Promise<DcOpfFlexibleResult> {
  const busIds = new Set(network.buses.map((b) => String(b.id)));
  const generators: Generator[] = [...network.generators];
  flexibleNodes.forEach((node, j) => {
    if (!busIds.has(String(node.bus)))
      throw InputError.single('unknown_bus', ['flexibleNodes', j, 'bus'], `unknown bus ${node.bus}`);
    const blocks = [...node.blocks]
      .filter((b) => b.mw > 1e-9)
      .sort((a, b) => b.willingnessPerMwh - a.willingnessPerMwh);
    const totalMw = blocks.reduce((s, b) => s + b.mw, 0);
    // Breakpoints from deepest consumption (p = −cMax) to p = −cMin; cost(−cMin) = 0.
    const points: { pMw: number; costPerH: number }[] = [{ pMw: -node.minMw, costPerH: 0 }];
    let p = -node.minMw;
    let cost = 0;
    for (const block of blocks) {
      p -= block.mw;
      cost -= block.willingnessPerMwh * block.mw;
      points.unshift({ pMw: p, costPerH: cost });
    }
    generators.push({
      id: `flex:${node.id}`,
      bus: node.bus,
      pMw: -node.minMw,
      qMvar: 0,
      pMinMw: -node.minMw - totalMw,
      pMaxMw: -node.minMw,
      qMinMvar: 0,
      qMaxMvar: 0,
      vmSetpointPu: 1,
      inService: true,
      cost:
        points.length >= 2
          ? { kind: 'piecewise-linear', points }
          : { kind: 'polynomial', c2PerMw2H: 0, c1PerMwh: 0, c0PerH: 0 },
    });
  });
  const loads = loadMw
    ? network.loads.map((l) => (loadMw.has(String(l.bus)) ? { ...l, pMw: 0 } : l))
    : [...network.loads];
  if (loadMw) {
    for (const [bus, pMw] of loadMw) {
      if (!busIds.has(bus)) throw InputError.single('unknown_bus', ['loadMw', bus], `unknown bus ${bus}`);
      const id = network.buses.find((b) => String(b.id) === bus)!.id;
      loads.push({ id: `load:${bus}`, bus: id, pMw, qMvar: 0, inService: true });
    }
  }
  const result = await solveDcOpf({ ...network, loads, generators });
  const lmpByBus = new Map(result.buses.map((b) => [String(b.id), b.lmpPerMwh]));
  const pByGen = new Map(result.generators.map((g) => [String(g.id), g.pMw]));
  return {
    ...result,
    generators: result.generators.filter((g) => !String(g.id).startsWith('flex:')),
    flexibleNodes:
      result.status === 'optimal'
        ? flexibleNodes.map((node) => ({
            id: node.id,
            bus: node.bus,
            consumptionMw: -(pByGen.get(`flex:${node.id}`) ?? 0),
            lmpPerMwh: lmpByBus.get(String(node.bus)) ?? Number.NaN,
          }))
        : [],
  };
}
