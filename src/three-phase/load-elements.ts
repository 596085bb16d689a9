// Loads and capacitors expanded to two-terminal elements (node to node or to ground) with their rated voltage.
import type { NodeNumber, ThreePhaseNetwork, WindingConnection } from './model.ts';
import {
  GROUND,
  type NodeIndex,
  type PrimitiveElement,
  twoTerminalPrimitive,
} from './primitive-admittance.ts';

const MODEL_CODE = { 'constant-power': 0, 'constant-impedance': 1, 'constant-current': 2 } as const;

/** Struct-of-arrays of all load elements: terminals, rated element voltage, rated power, model and limits. */
export interface LoadElements {
  readonly count: number;
  /** Load index (in network.loads) of each element. */
  readonly load: Int32Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Rated element voltage, V. */
  readonly vNomV: Float64Array;
  /** Rated element power, W and var (consumption positive). */
  readonly pW: Float64Array;
  readonly qVar: Float64Array;
  /** 0 constant power, 1 constant impedance, 2 constant current. */
  readonly model: Uint8Array;
  readonly vMinPu: Float64Array;
  readonly vMaxPu: Float64Array;
}

interface ShuntSpec {
  readonly bus: string;
  readonly nodes: readonly NodeNumber[];
  readonly phases: number;
  readonly connection: WindingConnection;
  readonly kv: number;
}

/** Terminal pairs and element voltage (V) of a wye or delta shunt device, as OpenDSS connects loads. */
export function shuntTerminals(
  spec: ShuntSpec,
  index: NodeIndex,
): { pairs: [number, number][]; vNomV: number } {
  const { bus, nodes, phases, connection } = spec;
  if (connection === 'wye') {
    const neutral = index.of(bus, nodes[phases] ?? 0);
    const pairs: [number, number][] = [];
    for (let k = 0; k < phases; k++) pairs.push([index.of(bus, nodes[k]), neutral]);
    return { pairs, vNomV: (spec.kv * 1000) / (phases > 1 ? Math.sqrt(3) : 1) };
  }
  if (phases === 1)
    return { pairs: [[index.of(bus, nodes[0]), index.of(bus, nodes[1] ?? 0)]], vNomV: spec.kv * 1000 };
  const pairs: [number, number][] = [];
  for (let k = 0; k < phases; k++)
    pairs.push([index.of(bus, nodes[k]), index.of(bus, nodes[(k + 1) % phases])]);
  return { pairs, vNomV: spec.kv * 1000 };
}

export function buildLoadElements(network: ThreePhaseNetwork, index: NodeIndex): LoadElements {
  const rows: { load: number; from: number; to: number; vNomV: number; pW: number; qVar: number }[] = [];
  network.loads.forEach((load, i) => {
    const { pairs, vNomV } = shuntTerminals(load, index);
    for (const [from, to] of pairs) {
      rows.push({
        load: i,
        from,
        to,
        vNomV,
        pW: (load.pKw * 1000) / pairs.length,
        qVar: (load.qKvar * 1000) / pairs.length,
      });
    }
  });
  const count = rows.length;
  const loads = network.loads;
  return {
    count,
    load: Int32Array.from(rows, (r) => r.load),
    from: Int32Array.from(rows, (r) => r.from),
    to: Int32Array.from(rows, (r) => r.to),
    vNomV: Float64Array.from(rows, (r) => r.vNomV),
    pW: Float64Array.from(rows, (r) => r.pW),
    qVar: Float64Array.from(rows, (r) => r.qVar),
    model: Uint8Array.from(rows, (r) => MODEL_CODE[loads[r.load].model]),
    vMinPu: Float64Array.from(rows, (r) => loads[r.load].vMinPu),
    vMaxPu: Float64Array.from(rows, (r) => loads[r.load].vMaxPu),
  };
}

/** Admittance conj(S)/V² of each load element at its rated voltage: the part of the load kept in the matrix. */
export function loadNominalPrimitives(elements: LoadElements): PrimitiveElement[] {
  const out: PrimitiveElement[] = [];
  for (let e = 0; e < elements.count; e++) {
    const v2 = elements.vNomV[e] ** 2;
    out.push(
      twoTerminalPrimitive(elements.from[e], elements.to[e], elements.pW[e] / v2, -elements.qVar[e] / v2),
    );
  }
  return out;
}

/** Capacitor banks as susceptances Q/V² per element. */
export function capacitorPrimitives(network: ThreePhaseNetwork, index: NodeIndex): PrimitiveElement[] {
  const out: PrimitiveElement[] = [];
  for (const capacitor of network.capacitors) {
    const { pairs, vNomV } = shuntTerminals(capacitor, index);
    const bS = (capacitor.kvar * 1000) / pairs.length / (vNomV * vNomV);
    for (const [from, to] of pairs) out.push(twoTerminalPrimitive(from, to, 0, bS));
  }
  return out;
}

export { GROUND };
