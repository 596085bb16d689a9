// OpenDSS script → phase-domain ThreePhaseNetwork: element records to SI matrices, default nodes, bus voltage bases.
import {
  fromSequence,
  scaleComplexMatrix,
  symmetricFromLowerTriangle,
} from '../../three-phase/complex-matrix.ts';
import type {
  ComplexMatrix,
  ThreePhaseBus,
  ThreePhaseLine,
  ThreePhaseNetwork,
  ThreePhaseRegulator,
  ThreePhaseTransformer,
} from '../../three-phase/model.ts';
import {
  type ImpedanceData,
  interpretLine,
  interpretLineCode,
  interpretTransformer,
  interpretVsource,
  type LineData,
} from './dss-branches.ts';
import { type DssScript, runDssScript } from './dss-script.ts';
import {
  interpretCapacitor,
  interpretLoad,
  interpretLoadShape,
  interpretRegControl,
  type LoadShapeData,
} from './dss-shunts.ts';
import { dssError, metresPerUnit } from './dss-values.ts';

export interface OpenDssFeeder {
  readonly network: ThreePhaseNetwork;
  /** Load shape name of each load (network.loads order), if it has one. */
  readonly loadShapeOfLoad: readonly (string | undefined)[];
  readonly loadShapes: ReadonlyMap<string, LoadShapeData>;
  /** Directory of the script (load-shape files are relative to it). */
  readonly dir: string;
}

const range = (n: number) => Array.from({ length: n }, (_, k) => k + 1);

function fullMatrix(n: number, values: readonly number[]): ComplexMatrix {
  const re: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) re.push(values[i * n + j] ?? 0);
  return symmetricFromLowerTriangle(n, re, []);
}

function withImaginary(re: ComplexMatrix, im: ComplexMatrix): ComplexMatrix {
  return { n: re.n, re: re.re, im: im.re };
}

/** Total series impedance and shunt admittance of a line from its per-unit-length data. */
function lineMatrices(line: LineData, n: number, frequencyHz: number, element: string, script: DssScript) {
  const z: ImpedanceData = line.impedance;
  const at = script.elements.get(element)?.at ?? { file: '', line: 0 };
  const codeUnits = z.units;
  const lineUnits = line.lengthUnits;
  const factor =
    lineUnits === undefined || lineUnits === 'none' || codeUnits === 'none'
      ? 1
      : metresPerUnit({ key: 'units', value: lineUnits, at }, element) /
        metresPerUnit({ key: 'units', value: codeUnits, at }, element);
  const scale = line.length * factor;
  if ((z.rMatrix || z.cMatrix) && z.nphases !== n)
    throw dssError(at, element, `phases=${n} does not match the ${z.nphases}-phase impedance matrices`);
  const series =
    z.rMatrix && z.xMatrix
      ? withImaginary(fullMatrix(n, z.rMatrix), fullMatrix(n, z.xMatrix))
      : fromSequence(n, { re: z.seq.r1, im: z.seq.x1 }, { re: z.seq.r0, im: z.seq.x0 });
  const cNf = z.cMatrix
    ? fullMatrix(n, z.cMatrix)
    : fromSequence(n, { re: z.seq.c1, im: 0 }, { re: z.seq.c0, im: 0 });
  const omega = 2 * Math.PI * frequencyHz;
  const shunt: ComplexMatrix = {
    n,
    re: new Float64Array(n * n),
    im: cNf.re.map((c) => c * 1e-9 * omega * scale),
  };
  return { zOhm: scaleComplexMatrix(series, scale), yShuntS: shunt };
}

/** Line-to-line kV of a winding as seen on its bus. */
function windingKvLl(t: ThreePhaseTransformer, w: 0 | 1): number {
  const wd = t.windings[w];
  return t.phases === 1 && wd.connection === 'wye' ? wd.kv * Math.sqrt(3) : wd.kv;
}

/**
 * Each bus's base (line-to-line kV): the source kV carried through lines and transformer ratios, snapped to the
 * nearest of `Set voltagebases` (as OpenDSS's Calcvoltagebases picks the closest base).
 */
function assignBases(
  ids: readonly string[],
  network: Omit<ThreePhaseNetwork, 'buses'>,
  sourceKv: readonly number[],
  bases: readonly number[],
): ThreePhaseBus[] {
  const estimate = new Map<string, number>();
  const queue: string[] = [];
  network.sources.forEach((s, k) => {
    estimate.set(s.bus, sourceKv[k]);
    queue.push(s.bus);
  });
  const edges = new Map<string, { to: string; ratio: number }[]>();
  const link = (a: string, b: string, ratio: number) => {
    edges.set(a, [...(edges.get(a) ?? []), { to: b, ratio }]);
    edges.set(b, [...(edges.get(b) ?? []), { to: a, ratio: 1 / ratio }]);
  };
  for (const line of network.lines) link(line.fromBus, line.toBus, 1);
  for (const t of network.transformers)
    link(t.windings[0].bus, t.windings[1].bus, windingKvLl(t, 1) / windingKvLl(t, 0));
  while (queue.length > 0) {
    const bus = queue.shift() as string;
    const kv = estimate.get(bus) as number;
    for (const { to, ratio } of edges.get(bus) ?? []) {
      if (estimate.has(to)) continue;
      estimate.set(to, kv * ratio);
      queue.push(to);
    }
  }
  return ids.map((id) => {
    const kv = estimate.get(id);
    if (kv === undefined) return { id };
    if (bases.length === 0) return { id, baseKvLl: kv };
    const nearest = bases.reduce((best, b) =>
      Math.abs(Math.log(b / kv)) < Math.abs(Math.log(best / kv)) ? b : best,
    );
    return { id, baseKvLl: nearest };
  });
}

/** Build the phase-domain network an OpenDSS script defines. */
export function openDssToNetwork(script: DssScript): OpenDssFeeder {
  const byClass = (cls: string) => [...script.elements.values()].filter((e) => e.cls === cls);
  const lineCodes = new Map(byClass('linecode').map((e) => [e.name, interpretLineCode(e)]));
  const vsources = byClass('vsource').map((e) => ({ e, data: interpretVsource(e) }));
  if (vsources.length === 0)
    throw dssError({ file: script.circuitName, line: 0 }, 'circuit', 'no New Circuit (Vsource) defined');
  const f = script.frequencyHz;
  const sources = vsources.map(({ e, data }) => ({
    id: e.name,
    bus: data.bus,
    nodes: data.nodes ?? [1, 2, 3],
    vLnV: (data.pu * data.baseKv * 1000) / Math.sqrt(3),
    angleDeg: data.angleDeg,
    zOhm: fromSequence(3, data.z1, data.z0),
  }));
  const lines: ThreePhaseLine[] = [];
  for (const e of byClass('line')) {
    const data = interpretLine(e, lineCodes);
    if (!data.enabled) continue;
    const n = data.phases ?? data.impedance.nphases;
    lines.push({
      id: e.name,
      fromBus: data.bus1.bus,
      toBus: data.bus2.bus,
      fromNodes: data.bus1.nodes ?? range(n),
      toNodes: data.bus2.nodes ?? range(n),
      ...lineMatrices(data, n, f, `line.${e.name}`, script),
    });
  }
  const transformerData = byClass('transformer').map((e) => ({ e, data: interpretTransformer(e) }));
  const transformers: ThreePhaseTransformer[] = transformerData.map(({ e, data }) => ({
    id: e.name,
    phases: data.phases,
    xhlPct: data.xhlPct,
    windings: data.windings.map((w) => ({
      bus: w.bus,
      nodes: w.nodes ?? range(data.phases),
      connection: w.conn,
      kv: w.kv,
      kva: w.kva,
      rPct: w.rPct,
      tapPu: w.tap,
    })) as unknown as ThreePhaseTransformer['windings'],
  }));
  const loadElements = byClass('load')
    .map((e) => ({ e, data: interpretLoad(e) }))
    .filter((l) => l.data.enabled);
  const loads = loadElements.map(({ e, data }) => ({
    id: e.name,
    bus: data.bus,
    nodes: data.nodes ?? range(data.phases),
    phases: data.phases,
    connection: data.conn,
    kv: data.kv,
    pKw: data.pKw * script.loadMult,
    qKvar: data.qKvar * script.loadMult,
    model: data.model,
    vMinPu: data.vMinPu,
    vMaxPu: data.vMaxPu,
  }));
  const capacitors = byClass('capacitor').map((e) => {
    const data = interpretCapacitor(e);
    return { id: e.name, ...data, nodes: data.nodes ?? range(data.phases), connection: data.conn };
  });
  const regulators: ThreePhaseRegulator[] = [];
  if (script.controlMode !== 'off') {
    for (const e of byClass('regcontrol')) {
      const data = interpretRegControl(e);
      if (!data.enabled) continue;
      const t = transformerData.find((x) => x.e.name === data.transformer);
      if (!t)
        throw dssError(e.at, `regcontrol.${e.name}`, `transformer '${data.transformer}' is not defined`);
      const w = t.data.windings[data.winding - 1];
      regulators.push({
        id: e.name,
        transformer: data.transformer,
        winding: data.winding,
        vregV: data.vreg,
        bandV: data.band,
        ptRatio: data.ptRatio,
        ctPrimA: data.ctPrim,
        rV: data.r,
        xV: data.x,
        minTapPu: w.minTap,
        maxTapPu: w.maxTap,
        numTaps: w.numTaps,
      });
    }
  }
  const ids: string[] = [];
  const seen = new Set<string>();
  const add = (bus: string) => {
    if (!seen.has(bus)) {
      seen.add(bus);
      ids.push(bus);
    }
  };
  for (const s of sources) add(s.bus);
  for (const l of lines) {
    add(l.fromBus);
    add(l.toBus);
  }
  for (const t of transformers) for (const w of t.windings) add(w.bus);
  for (const x of [...loads, ...capacitors]) add(x.bus);
  const partial = {
    name: script.circuitName,
    frequencyHz: f,
    sources,
    lines,
    transformers,
    loads,
    capacitors,
    regulators,
  };
  const buses = assignBases(
    ids,
    partial,
    vsources.map((v) => v.data.baseKv),
    script.voltageBasesKv,
  );
  return {
    network: { ...partial, buses },
    loadShapeOfLoad: loadElements.map((l) => l.data.shape),
    loadShapes: new Map(byClass('loadshape').map((e) => [e.name, interpretLoadShape(e)])),
    dir: script.dir,
  };
}

/** Read an OpenDSS `.dss` file (with everything it redirects to) as a three-phase network. */
export function readOpenDss(path: string): OpenDssFeeder {
  return openDssToNetwork(runDssScript(path));
}
