// OpenDSS Vsource, LineCode, Line and Transformer parameters (applied in order, as OpenDSS does) → typed records.
import type { DssParameter } from './dss-lexer.ts';
import {
  dssArray,
  dssBus,
  dssError,
  dssFlag,
  dssMatrix,
  dssNumber,
  dssText,
  dssWords,
} from './dss-values.ts';

/** An element as the script left it: its class, name and every parameter given to New/Edit/BatchEdit, in order. */
export interface DssElement {
  readonly cls: string;
  readonly name: string;
  readonly at: DssParameter['at'];
  readonly parameters: DssParameter[];
}

export type Handlers = Record<string, (p: DssParameter) => void>;

/** Apply each parameter through its handler; anything else is an error naming file, line and element. */
export function applyParameters(
  element: DssElement,
  handlers: Handlers,
  ignored: readonly string[] = [],
): void {
  const label = `${element.cls}.${element.name}`;
  for (const p of element.parameters) {
    if (p.key === undefined) throw dssError(p.at, label, `positional value '${p.value}' is not supported`);
    const handler = handlers[p.key];
    if (handler) handler(p);
    else if (!ignored.includes(p.key)) throw dssError(p.at, label, `property '${p.key}' is not supported`);
  }
}

export interface VsourceData {
  bus: string;
  nodes?: number[];
  baseKv: number;
  pu: number;
  angleDeg: number;
  /** Positive- and zero-sequence Thevenin impedances, ohm. */
  z1: { re: number; im: number };
  z0: { re: number; im: number };
}

/**
 * OpenDSS Vsource: Z1 = kV²/MVAsc3 at X1/R1, Z0 from |2·Z1 + Z0| = 3·kV²/MVAsc1 at X0/R0 (MVAsc = √3·kV·Isc/1000
 * when short-circuit currents are given), or R1/X1/R0/X0 directly.
 */
export function interpretVsource(element: DssElement): VsourceData {
  const label = `vsource.${element.name}`;
  let bus = 'sourcebus';
  let nodes: number[] | undefined;
  let baseKv = 115;
  let pu = 1;
  let angleDeg = 0;
  let mvaSc3 = 2000;
  let mvaSc1 = 2100;
  let x1r1 = 4;
  let x0r0 = 3;
  let direct: { r1: number; x1: number; r0: number; x0: number } | undefined;
  const num = (p: DssParameter) => dssNumber(p, label);
  const setDirect = (key: 'r1' | 'x1' | 'r0' | 'x0') => (p: DssParameter) => {
    direct = { ...(direct ?? { r1: 1.65, x1: 6.6, r0: 1.9, x0: 5.7 }), [key]: num(p) };
  };
  applyParameters(
    element,
    {
      bus1: (p) => ({ bus, nodes } = dssBus(p.value, p, label)),
      basekv: (p) => (baseKv = num(p)),
      pu: (p) => (pu = num(p)),
      angle: (p) => (angleDeg = num(p)),
      mvasc3: (p) => (mvaSc3 = num(p)),
      mvasc1: (p) => (mvaSc1 = num(p)),
      isc3: (p) => (mvaSc3 = (Math.sqrt(3) * baseKv * num(p)) / 1000),
      isc1: (p) => (mvaSc1 = (Math.sqrt(3) * baseKv * num(p)) / 1000),
      x1r1: (p) => (x1r1 = num(p)),
      x0r0: (p) => (x0r0 = num(p)),
      r1: setDirect('r1'),
      x1: setDirect('x1'),
      r0: setDirect('r0'),
      x0: setDirect('x0'),
      phases: (p) => {
        if (num(p) !== 3) throw dssError(p.at, label, 'only three-phase sources are supported');
      },
    },
    ['basefreq', 'frequency'],
  );
  if (direct)
    return {
      bus,
      nodes,
      baseKv,
      pu,
      angleDeg,
      z1: { re: direct.r1, im: direct.x1 },
      z0: { re: direct.r0, im: direct.x0 },
    };
  const z1Mag = (baseKv * baseKv) / mvaSc3;
  const r1 = z1Mag / Math.sqrt(1 + x1r1 * x1r1);
  const x1 = r1 * x1r1;
  // |2·Z1 + R0·(1 + j·X0/R0)| = 3·kV²/MVAsc1, a quadratic in R0.
  const target = (3 * baseKv * baseKv) / mvaSc1;
  const a = 1 + x0r0 * x0r0;
  const b = 4 * (r1 + x1 * x0r0);
  const c = 4 * (r1 * r1 + x1 * x1) - target * target;
  const r0 = (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
  return { bus, nodes, baseKv, pu, angleDeg, z1: { re: r1, im: x1 }, z0: { re: r0, im: r0 * x0r0 } };
}

/** Series R, X (ohm) and shunt C (nF) per unit length, as sequence values or full matrices. */
export interface ImpedanceData {
  nphases: number;
  seq: { r1: number; x1: number; r0: number; x0: number; c1: number; c0: number };
  rMatrix?: number[];
  xMatrix?: number[];
  cMatrix?: number[];
  units: string;
}

export const DEFAULT_IMPEDANCE: ImpedanceData = {
  nphases: 3,
  seq: { r1: 0.058, x1: 0.1206, r0: 0.1784, x0: 0.4047, c1: 3.4, c0: 1.6 },
  units: 'none',
};

/** Handlers shared by LineCode and Line for impedance data; `data()` gives the record being edited. */
export function impedanceHandlers(label: string, data: () => ImpedanceData): Handlers {
  const seq = (key: keyof ImpedanceData['seq'], clears: 'z' | 'c') => (p: DssParameter) => {
    const d = data();
    d.seq = { ...d.seq, [key]: dssNumber(p, label) };
    if (clears === 'z') {
      d.rMatrix = undefined;
      d.xMatrix = undefined;
    } else d.cMatrix = undefined;
  };
  const matrix = (key: 'rMatrix' | 'xMatrix' | 'cMatrix') => (p: DssParameter) => {
    const m = dssMatrix(p, label);
    const d = data();
    d.nphases = m.n;
    d[key] = m.values;
  };
  return {
    r1: seq('r1', 'z'),
    x1: seq('x1', 'z'),
    r0: seq('r0', 'z'),
    x0: seq('x0', 'z'),
    c1: seq('c1', 'c'),
    c0: seq('c0', 'c'),
    rmatrix: matrix('rMatrix'),
    xmatrix: matrix('xMatrix'),
    cmatrix: matrix('cMatrix'),
    units: (p) => {
      data().units = dssText(p);
    },
  };
}

const AMPACITY = ['normamps', 'emergamps', 'faultrate', 'pctperm', 'repair', 'basefreq'];

export function interpretLineCode(element: DssElement): ImpedanceData {
  const label = `linecode.${element.name}`;
  const data: ImpedanceData = { ...DEFAULT_IMPEDANCE, seq: { ...DEFAULT_IMPEDANCE.seq } };
  applyParameters(
    element,
    {
      ...impedanceHandlers(label, () => data),
      nphases: (p) => (data.nphases = dssNumber(p, label)),
    },
    AMPACITY,
  );
  return data;
}

export interface LineData {
  bus1: { bus: string; nodes?: number[] };
  bus2: { bus: string; nodes?: number[] };
  phases?: number;
  impedance: ImpedanceData;
  /** Length in the line's units; `lengthUnits` undefined means the impedance's own units. */
  length: number;
  lengthUnits?: string;
  enabled: boolean;
}

export function interpretLine(element: DssElement, lineCodes: ReadonlyMap<string, ImpedanceData>): LineData {
  const label = `line.${element.name}`;
  const line: LineData = {
    bus1: { bus: '' },
    bus2: { bus: '' },
    impedance: { ...DEFAULT_IMPEDANCE, seq: { ...DEFAULT_IMPEDANCE.seq } },
    length: 1,
    enabled: true,
  };
  const own = impedanceHandlers(label, () => line.impedance);
  const handlers: Handlers = {
    bus1: (p) => (line.bus1 = dssBus(p.value, p, label)),
    bus2: (p) => (line.bus2 = dssBus(p.value, p, label)),
    phases: (p) => (line.phases = dssNumber(p, label)),
    length: (p) => (line.length = dssNumber(p, label)),
    units: (p) => (line.lengthUnits = dssText(p)),
    linecode: (p) => {
      const code = lineCodes.get(dssText(p));
      if (!code) throw dssError(p.at, label, `linecode '${p.value}' is not defined`);
      line.impedance = { ...code, seq: { ...code.seq } };
    },
    switch: (p) => {
      if (!dssFlag(p, label)) return;
      line.impedance = {
        nphases: line.impedance.nphases,
        seq: { r1: 1, x1: 1, r0: 1, x0: 1, c1: 1.1, c0: 1 },
        units: 'none',
      };
      line.length = 0.001;
      line.lengthUnits = 'none';
    },
    enabled: (p) => (line.enabled = dssFlag(p, label)),
  };
  for (const key of ['r1', 'x1', 'r0', 'x0', 'c1', 'c0', 'rmatrix', 'xmatrix', 'cmatrix'])
    handlers[key] = (p) => {
      // Impedances given on the line itself are per unit of the line's length.
      line.impedance.units = 'none';
      own[key](p);
    };
  applyParameters(element, handlers, AMPACITY);
  if (line.bus1.bus === '' || line.bus2.bus === '')
    throw dssError(element.at, label, 'bus1 and bus2 are required');
  return line;
}

export interface WindingData {
  bus: string;
  nodes?: number[];
  conn: 'wye' | 'delta';
  kv: number;
  kva: number;
  rPct: number;
  tap: number;
  maxTap: number;
  minTap: number;
  numTaps: number;
}

export interface TransformerData {
  phases: number;
  windings: [WindingData, WindingData];
  xhlPct: number;
}

function connection(p: DssParameter, word: string, label: string): 'wye' | 'delta' {
  const w = word.toLowerCase();
  if (w === 'wye' || w === 'y' || w === 'ln') return 'wye';
  if (w === 'delta' || w === 'd' || w === 'll') return 'delta';
  throw dssError(p.at, label, `conn: '${word}' is not wye or delta`);
}

export function interpretTransformer(element: DssElement): TransformerData {
  const label = `transformer.${element.name}`;
  const winding = (): WindingData => ({
    bus: '',
    conn: 'wye',
    kv: 12.47,
    kva: 1000,
    rPct: 0.2,
    tap: 1,
    maxTap: 1.1,
    minTap: 0.9,
    numTaps: 32,
  });
  const data: TransformerData = { phases: 3, windings: [winding(), winding()], xhlPct: 7 };
  let w = 0;
  const num = (p: DssParameter) => dssNumber(p, label);
  const each = (p: DssParameter, count: number, set: (wd: WindingData, k: number) => void) => {
    if (count !== 2)
      throw dssError(p.at, label, `${p.key}: expected 2 values (two-winding transformers only)`);
    data.windings.forEach(set);
  };
  const zeroOnly = (p: DssParameter) => {
    if (num(p) !== 0)
      throw dssError(p.at, label, `${p.key}: magnetising branch is not supported (must be 0)`);
  };
  applyParameters(
    element,
    {
      phases: (p) => (data.phases = num(p)),
      windings: (p) => {
        if (num(p) !== 2) throw dssError(p.at, label, 'only two-winding transformers are supported');
      },
      wdg: (p) => {
        w = num(p) - 1;
        if (w !== 0 && w !== 1) throw dssError(p.at, label, 'wdg must be 1 or 2');
      },
      bus: (p) => Object.assign(data.windings[w], { nodes: undefined }, dssBus(p.value, p, label)),
      conn: (p) => (data.windings[w].conn = connection(p, dssText(p), label)),
      kv: (p) => (data.windings[w].kv = num(p)),
      kva: (p) => (data.windings[w].kva = num(p)),
      '%r': (p) => (data.windings[w].rPct = num(p)),
      tap: (p) => (data.windings[w].tap = num(p)),
      maxtap: (p) => (data.windings[w].maxTap = num(p)),
      mintap: (p) => (data.windings[w].minTap = num(p)),
      numtaps: (p) => (data.windings[w].numTaps = num(p)),
      buses: (p) => {
        const words = dssWords(p);
        each(p, words.length, (wd, k) => Object.assign(wd, { nodes: undefined }, dssBus(words[k], p, label)));
      },
      conns: (p) => {
        const words = dssWords(p);
        each(p, words.length, (wd, k) => (wd.conn = connection(p, words[k], label)));
      },
      ...Object.fromEntries(
        (
          [
            ['kvs', 'kv'],
            ['kvas', 'kva'],
            ['taps', 'tap'],
            ['%rs', 'rPct'],
          ] as const
        ).map(([key, field]) => [
          key,
          (p: DssParameter) => {
            const values = dssArray(p, label);
            each(p, values.length, (wd, k) => (wd[field] = values[k]));
          },
        ]),
      ),
      xhl: (p) => (data.xhlPct = num(p)),
      '%loadloss': (p) => {
        const half = num(p) / 2;
        for (const wd of data.windings) wd.rPct = half;
      },
      '%noloadloss': zeroOnly,
      '%imag': zeroOnly,
    },
    ['xht', 'xlt', 'sub', 'bank', 'normhkva', 'emerghkva'],
  );
  for (const wd of data.windings)
    if (wd.bus === '') throw dssError(element.at, label, 'both windings need a bus');
  return data;
}
