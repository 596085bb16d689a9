// OpenDSS Load, Capacitor, RegControl and LoadShape parameters → typed records (OpenDSS defaults where unset).
import type { LoadModel } from '../../three-phase/model.ts';
import { applyParameters, type DssElement } from './dss-branches.ts';
import type { DssParameter } from './dss-lexer.ts';
import { dssBus, dssError, dssFlag, dssNumber, dssText } from './dss-values.ts';

const LOAD_MODELS: Record<number, LoadModel> = {
  1: 'constant-power',
  2: 'constant-impedance',
  5: 'constant-current',
};

export interface ShuntData {
  bus: string;
  nodes?: number[];
  phases: number;
  conn: 'wye' | 'delta';
  kv: number;
}

export interface LoadData extends ShuntData {
  pKw: number;
  qKvar: number;
  model: LoadModel;
  vMinPu: number;
  vMaxPu: number;
  /** Lower-case name of the yearly (or daily) load shape, if any. */
  shape?: string;
  enabled: boolean;
}

function shuntHandlers(label: string, data: ShuntData) {
  return {
    bus1: (p: DssParameter) => Object.assign(data, { nodes: undefined }, dssBus(p.value, p, label)),
    phases: (p: DssParameter) => (data.phases = dssNumber(p, label)),
    kv: (p: DssParameter) => (data.kv = dssNumber(p, label)),
    conn: (p: DssParameter) => {
      const w = dssText(p);
      if (w === 'wye' || w === 'y' || w === 'ln') data.conn = 'wye';
      else if (w === 'delta' || w === 'd' || w === 'll') data.conn = 'delta';
      else throw dssError(p.at, label, `conn: '${p.value}' is not wye or delta`);
    },
  };
}

/** OpenDSS Load: kvar from pf (negative pf = leading) unless kvar was given last; model 1, 2 or 5. */
export function interpretLoad(element: DssElement): LoadData {
  const label = `load.${element.name}`;
  const data: LoadData = {
    bus: '',
    phases: 3,
    conn: 'wye',
    kv: 12.47,
    pKw: 10,
    qKvar: 0,
    model: 'constant-power',
    vMinPu: 0.95,
    vMaxPu: 1.05,
    enabled: true,
  };
  let pf = 0.88;
  let kvar: number | undefined;
  const num = (p: DssParameter) => dssNumber(p, label);
  applyParameters(
    element,
    {
      ...shuntHandlers(label, data),
      kw: (p) => (data.pKw = num(p)),
      pf: (p) => {
        pf = num(p);
        kvar = undefined;
      },
      kvar: (p) => (kvar = num(p)),
      model: (p) => {
        const model = LOAD_MODELS[num(p)];
        if (!model) throw dssError(p.at, label, `model=${p.value} is not supported (1, 2 or 5)`);
        data.model = model;
      },
      vminpu: (p) => (data.vMinPu = num(p)),
      vmaxpu: (p) => (data.vMaxPu = num(p)),
      yearly: (p) => (data.shape = dssText(p)),
      daily: (p) => (data.shape = data.shape ?? dssText(p)),
      enabled: (p) => (data.enabled = dssFlag(p, label)),
    },
    ['class', 'status', 'duty', 'xfkva', 'allocationfactor', 'normamps', 'emergamps'],
  );
  if (data.bus === '') throw dssError(element.at, label, 'bus1 is required');
  data.qKvar = kvar ?? Math.sign(pf) * data.pKw * Math.tan(Math.acos(Math.min(1, Math.abs(pf))));
  return data;
}

export interface CapacitorData extends ShuntData {
  kvar: number;
}

export function interpretCapacitor(element: DssElement): CapacitorData {
  const label = `capacitor.${element.name}`;
  const data: CapacitorData = { bus: '', phases: 3, conn: 'wye', kv: 12.47, kvar: 1200 };
  applyParameters(element, {
    ...shuntHandlers(label, data),
    kvar: (p) => (data.kvar = dssNumber(p, label)),
  });
  if (data.bus === '') throw dssError(element.at, label, 'bus1 is required');
  return data;
}

export interface RegControlData {
  transformer: string;
  winding: 1 | 2;
  vreg: number;
  band: number;
  ptRatio: number;
  ctPrim: number;
  r: number;
  x: number;
  enabled: boolean;
}

export function interpretRegControl(element: DssElement): RegControlData {
  const label = `regcontrol.${element.name}`;
  const data: RegControlData = {
    transformer: '',
    winding: 1,
    vreg: 120,
    band: 3,
    ptRatio: 60,
    ctPrim: 300,
    r: 0,
    x: 0,
    enabled: true,
  };
  const num = (p: DssParameter) => dssNumber(p, label);
  applyParameters(
    element,
    {
      transformer: (p) => (data.transformer = dssText(p)),
      winding: (p) => {
        const w = num(p);
        if (w !== 1 && w !== 2) throw dssError(p.at, label, 'winding must be 1 or 2');
        data.winding = w;
      },
      vreg: (p) => (data.vreg = num(p)),
      band: (p) => (data.band = num(p)),
      ptratio: (p) => (data.ptRatio = num(p)),
      ctprim: (p) => (data.ctPrim = num(p)),
      r: (p) => (data.r = num(p)),
      x: (p) => (data.x = num(p)),
      enabled: (p) => (data.enabled = dssFlag(p, label)),
    },
    ['delay', 'tapdelay', 'maxtapchange', 'ptphase', 'debugtrace'],
  );
  if (data.transformer === '') throw dssError(element.at, label, 'transformer is required');
  return data;
}

export interface LoadShapeData {
  npts: number;
  minutes: number;
  /** Inline multipliers, or the file named by `mult=(file=…)` (relative to the script). */
  mult?: number[];
  multFile?: string;
}

export function interpretLoadShape(element: DssElement): LoadShapeData {
  const label = `loadshape.${element.name}`;
  const data: LoadShapeData = { npts: 0, minutes: 60 };
  applyParameters(
    element,
    {
      npts: (p) => (data.npts = dssNumber(p, label)),
      minterval: (p) => (data.minutes = dssNumber(p, label)),
      interval: (p) => (data.minutes = dssNumber(p, label) * 60),
      mult: (p) => {
        const file = /file\s*=\s*([^)\]"']+)/i.exec(p.value);
        if (file) data.multFile = file[1].trim().replaceAll('\\', '/');
        else
          data.mult = p.value
            .replace(/[[\]()"']/g, ' ')
            .trim()
            .split(/[\s,]+/)
            .map(Number);
      },
    },
    ['useactual'],
  );
  return data;
}
