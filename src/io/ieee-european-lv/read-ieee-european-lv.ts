// IEEE European LV Test Feeder CSV package → balanced positive-sequence Network (single-phase loads as balanced).
import { join } from 'node:path';
import { InputError } from '../../core/errors.ts';
import { baseImpedanceOhm, kwToMw } from '../../core/units.ts';
import { createNetwork } from '../../grid/create-network.ts';
import type { Network, NetworkInput } from '../../grid/schema.ts';
import { readTextFile } from '../read-text-file.ts';
import { parseCsv } from './csv.ts';

export interface IeeeEuropeanLvOptions {
  /** System base power in MVA. Default 1. */
  readonly baseMva?: number;
  /** System frequency for line charging, Hz. Default 50. */
  readonly frequencyHz?: number;
  /**
   * Model the 11 kV source's Thevenin impedance (from ISC3, X/R = 4 as OpenDSS's Vsource default) between an ideal
   * 1.05 p.u. source bus `Source` and `SourceBus`. Default false: `SourceBus` itself is the slack at 1.05 p.u.
   */
  readonly sourceImpedance?: boolean;
}

/** Length units of OpenDSS, in km. */
const KM_PER_UNIT: Record<string, number> = {
  km: 1,
  m: 1e-3,
  cm: 1e-5,
  mi: 1.609344,
  kft: 0.3048,
  ft: 0.0003048,
  none: 1,
};

/** X/R ratio OpenDSS assumes for a Vsource given by short-circuit current (Vsource X1R1 default). */
const SOURCE_X_OVER_R = 4;

/**
 * Read the IEEE PES European LV Test Feeder from its CSV package directory (Lines.csv, LineCodes.csv, Loads.csv,
 * Transformer.csv, Source.csv) as a balanced positive-sequence equivalent: lines use R1/X1/C1; each single-phase
 * load becomes a balanced load of the same kW and power factor at its bus; the 11/0.416 kV transformer uses %XHL and
 * % resistance on its rating; the source bus is the slack at the voltage of Source.csv (1.05 p.u.). Bus ids are the
 * bus names as strings ("1" … "906", "SourceBus").
 */
export function readIeeeEuropeanLv(dir: string, options: IeeeEuropeanLvOptions = {}): Network {
  const baseMva = options.baseMva ?? 1;
  const frequencyHz = options.frequencyHz ?? 50;
  const csv = (name: string, columns: readonly string[]) =>
    parseCsv(readTextFile(join(dir, name)), name, columns);

  const source = parseSource(readTextFile(join(dir, 'Source.csv')));
  const transformers = csv('Transformer.csv', [
    'name',
    'bus1',
    'bus2',
    'kv_pri',
    'kv_sec',
    'mva',
    'conn_pri',
    'conn_sec',
    '%xhl',
    '% resistance',
  ]);
  if (transformers.rows.length !== 1) {
    throw InputError.single(
      'ieee_lv_format',
      ['Transformer.csv'],
      `expected one substation transformer, found ${transformers.rows.length}`,
    );
  }
  const tr = transformers.rows[0];
  const hvBus = transformers.get(tr, 'bus1');
  const lvBus = transformers.get(tr, 'bus2');
  const kvPri = transformers.number(tr, 'kv_pri');
  const kvSec = transformers.number(tr, 'kv_sec');
  const ratingMva = transformers.number(tr, 'mva');
  if (Math.abs(source.kv - kvPri) > 1e-9) {
    throw InputError.single(
      'ieee_lv_format',
      ['Source.csv'],
      `source voltage ${source.kv} kV differs from the transformer primary ${kvPri} kV`,
    );
  }

  const codes = csv('LineCodes.csv', ['name', 'r1', 'x1', 'c1', 'units']);
  const codeByName = new Map(codes.rows.map((row) => [codes.get(row, 'name').toLowerCase(), row]));
  const kmPerUnit = (unit: string, file: string, line: number) => {
    const factor = KM_PER_UNIT[unit.toLowerCase()];
    if (factor === undefined)
      throw InputError.single('ieee_lv_format', [`${file}:line ${line}`], `unknown length unit "${unit}"`);
    return factor;
  };

  const busIds: string[] = [];
  const seen = new Set<string>();
  const addBus = (id: string) => {
    if (!seen.has(id)) {
      seen.add(id);
      busIds.push(id);
    }
  };
  addBus(hvBus);
  addBus(lvBus);

  const zBaseLvOhm = baseImpedanceOhm(kvSec, baseMva);
  const lines = csv('Lines.csv', ['name', 'bus1', 'bus2', 'length', 'units', 'linecode']);
  const branches: NonNullable<NetworkInput['branches']> = lines.rows.map((row) => {
    const codeName = lines.get(row, 'linecode');
    const code = codeByName.get(codeName.toLowerCase());
    if (code === undefined) {
      throw InputError.single(
        'ieee_lv_format',
        [`Lines.csv:line ${row.line}`],
        `unknown line code "${codeName}"`,
      );
    }
    // Length in the line code's unit (Lines.csv gives metres, LineCodes.csv per km).
    const lengthKm = lines.number(row, 'length') * kmPerUnit(lines.get(row, 'units'), 'Lines.csv', row.line);
    const length = lengthKm / kmPerUnit(codes.get(code, 'units'), 'LineCodes.csv', code.line);
    const from = lines.get(row, 'bus1');
    const to = lines.get(row, 'bus2');
    addBus(from);
    addBus(to);
    return {
      id: lines.get(row, 'name'),
      kind: 'line' as const,
      fromBus: from,
      toBus: to,
      rPu: (codes.number(code, 'r1') * length) / zBaseLvOhm,
      xPu: (codes.number(code, 'x1') * length) / zBaseLvOhm,
      // C1 is in nF per unit length.
      bPu: 2 * Math.PI * frequencyHz * codes.number(code, 'c1') * 1e-9 * length * zBaseLvOhm,
    };
  });

  // Substation transformer: %XHL and % resistance (total of both windings) on its own rating.
  const toSystemBase = baseMva / ratingMva;
  const isDeltaWye =
    transformers.get(tr, 'conn_pri').toLowerCase() !== transformers.get(tr, 'conn_sec').toLowerCase();
  branches.unshift({
    id: transformers.get(tr, 'name'),
    kind: 'transformer',
    fromBus: hvBus,
    toBus: lvBus,
    rPu: (transformers.number(tr, '% resistance') / 100) * toSystemBase,
    xPu: (transformers.number(tr, '%xhl') / 100) * toSystemBase,
    rateAMva: ratingMva,
    // Delta–wye (ANSI): the LV side lags the HV side by 30°.
    shiftDeg: isDeltaWye ? 30 : 0,
  });

  const loadsCsv = csv('Loads.csv', ['name', 'bus', 'kw', 'pf']);
  const loads: NonNullable<NetworkInput['loads']> = loadsCsv.rows.map((row) => {
    const pf = loadsCsv.number(row, 'pf');
    if (pf === 0 || Math.abs(pf) > 1) {
      throw InputError.single(
        'ieee_lv_format',
        [`Loads.csv:line ${row.line}`],
        `power factor ${pf} is not in [-1, 0) ∪ (0, 1]`,
      );
    }
    const pMw = kwToMw(loadsCsv.number(row, 'kw'));
    // OpenDSS: a negative power factor is leading (the load supplies reactive power).
    const qMvar = Math.sign(pf) * pMw * Math.tan(Math.acos(Math.abs(pf)));
    return { id: loadsCsv.get(row, 'name'), bus: loadsCsv.get(row, 'bus'), pMw, qMvar };
  });

  const slackBus = options.sourceImpedance ? 'Source' : hvBus;
  const buses: NonNullable<NetworkInput['buses']> = busIds.map((id) => ({
    id,
    baseKv: id === hvBus ? kvPri : kvSec,
    type: id === slackBus ? ('slack' as const) : ('pq' as const),
    vmPu: id === slackBus ? source.pu : 1,
  }));
  if (options.sourceImpedance) {
    // Thevenin impedance of the source: |Z| = V_LL / (√3 · I_sc3), split with X/R = 4.
    const zOhm = (kvPri * 1000) / (Math.sqrt(3) * source.isc3A);
    const rOhm = zOhm / Math.hypot(1, SOURCE_X_OVER_R);
    const zBaseHvOhm = baseImpedanceOhm(kvPri, baseMva);
    buses.unshift({ id: 'Source', baseKv: kvPri, type: 'slack', vmPu: source.pu });
    branches.unshift({
      id: 'source impedance',
      kind: 'line',
      fromBus: 'Source',
      toBus: hvBus,
      rPu: rOhm / zBaseHvOhm,
      xPu: (SOURCE_X_OVER_R * rOhm) / zBaseHvOhm,
    });
  }

  return createNetwork({
    name: 'ieee-european-lv',
    baseMva,
    buses,
    loads,
    generators: [
      {
        id: 'source',
        bus: slackBus,
        vmSetpointPu: source.pu,
        pMinMw: -Number.MAX_VALUE,
        pMaxMw: Number.MAX_VALUE,
      },
    ],
    branches,
  } satisfies NetworkInput);
}

/** Source.csv is `key=value` lines: Voltage=11 kV, pu=1.05, ISC3=3000 A, ISC1=5 A. */
function parseSource(text: string): { kv: number; pu: number; isc3A: number } {
  const values = new Map<string, { value: number; line: number }>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const match = /^\s*([A-Za-z0-9_]+)\s*=\s*([-+0-9.eE]+)/.exec(raw);
    if (match) values.set(match[1].toLowerCase(), { value: Number(match[2]), line: i + 1 });
  });
  const get = (key: string) => {
    const entry = values.get(key);
    if (entry === undefined || !Number.isFinite(entry.value) || entry.value <= 0) {
      throw InputError.single('ieee_lv_format', ['Source.csv'], `missing or invalid "${key}="`);
    }
    return entry.value;
  };
  return { kv: get('voltage'), pu: get('pu'), isc3A: get('isc3') };
}
