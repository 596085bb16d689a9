// MATPOWER version-2 case files (.m) → validated Network, evaluating the file's own conversion code (e.g. case33bw).
import { basename } from 'node:path';
import { InputError } from '../../core/errors.ts';
import { createNetwork } from '../../grid/create-network.ts';
import type { BusType, GeneratorCost, Network, NetworkInput } from '../../grid/schema.ts';
import { readTextFile } from '../read-text-file.ts';
import { evaluateMatlab, type MatrixValue, type Value } from './interpreter.ts';
import { BRANCH, BUS, COST, GEN } from './matpower-constants.ts';
import { parseMatlab } from './parser.ts';

export interface MatpowerImportOptions {
  /**
   * Base voltage in kV for buses whose BASE_KV is 0 (MATPOWER allows it; case14 does it). Per-unit results do not
   * depend on it; only conversions to amperes and ohms do. Default 1 kV.
   */
  readonly fallbackBaseKv?: number;
}

const BUS_TYPES: Record<number, { type: BusType; inService: boolean }> = {
  1: { type: 'pq', inService: true },
  2: { type: 'pv', inService: true },
  3: { type: 'slack', inService: true },
  4: { type: 'pq', inService: false },
};

/** Minimum columns MATPOWER requires in a case file (caseformat). */
const MIN_COLUMNS = { bus: 13, gen: 10, branch: 11 } as const;

/**
 * Parse a MATPOWER case (format version 2) and return the validated Network in MATPOWER's own units: MW, MVAr and
 * per-unit on `baseMVA`. Statements after the matrices (such as case33bw's ohm→p.u. and kW→MW trailer) are evaluated.
 * `fileName` only names the source in error paths, e.g. `case33bw.m:line 42`.
 */
export function parseMatpowerCase(
  text: string,
  fileName = 'case.m',
  options: MatpowerImportOptions = {},
): Network {
  const result = evaluateMatlab(parseMatlab(text, fileName), fileName);
  if (result.outputs.length > 1) {
    throw InputError.single(
      'matpower_format',
      [fileName],
      `MATPOWER case format version 1 (${result.outputs.length} separate outputs) is not supported; save it as version 2`,
    );
  }
  const outputName = result.outputs[0] ?? 'mpc';
  const mpc = result.variables.get(outputName);
  if (mpc === undefined || mpc.kind !== 'struct') {
    throw InputError.single(
      'matpower_format',
      [fileName],
      `the case must assign a struct "${outputName}" (version 2 format)`,
    );
  }
  return createNetwork(
    convertCase(mpc.fields, outputName, result.functionName ?? stem(fileName), fileName, options),
  );
}

/** Read a MATPOWER `.m` file from disk; see parseMatpowerCase. A missing file is an InputError naming the path. */
export function readMatpowerCase(path: string, options: MatpowerImportOptions = {}): Network {
  return parseMatpowerCase(readTextFile(path), path, options);
}

function stem(fileName: string): string {
  return basename(fileName).replace(/\.m$/i, '');
}

function convertCase(
  fields: ReadonlyMap<string, Value>,
  structName: string,
  name: string,
  file: string,
  options: MatpowerImportOptions,
): NetworkInput {
  const fieldPath = (field: string) => [`${file}:${structName}.${field}`];
  const missing = (field: string, what: string) =>
    InputError.single('missing_matrix', fieldPath(field), `missing ${structName}.${field} (${what})`);

  const version = fields.get('version');
  const versionText =
    version?.kind === 'string' ? version.value : version?.kind === 'matrix' ? String(version.data[0]) : '2';
  if (versionText !== '2') {
    throw InputError.single(
      'matpower_format',
      fieldPath('version'),
      `unsupported case format version "${versionText}" (need "2")`,
    );
  }

  const baseMva = fields.get('baseMVA');
  if (baseMva === undefined) throw missing('baseMVA', 'system MVA base');
  if (baseMva.kind !== 'matrix' || baseMva.data.length !== 1) {
    throw InputError.single('matpower_format', fieldPath('baseMVA'), 'baseMVA must be a scalar');
  }

  const table = (field: 'bus' | 'gen' | 'branch', what: string): MatrixValue => {
    const value = fields.get(field);
    if (value === undefined) throw missing(field, what);
    if (value.kind !== 'matrix')
      throw InputError.single(
        'matpower_format',
        fieldPath(field),
        `${structName}.${field} must be a numeric matrix`,
      );
    if (value.rows > 0 && value.cols < MIN_COLUMNS[field]) {
      throw InputError.single(
        'matpower_format',
        rowPath(file, structName, field, value, 0),
        `${structName}.${field} has ${value.cols} columns; MATPOWER needs at least ${MIN_COLUMNS[field]}`,
      );
    }
    return value;
  };
  const bus = table('bus', 'bus data');
  const gen = table('gen', 'generator data');
  const branch = table('branch', 'branch data');
  const fallbackBaseKv = options.fallbackBaseKv ?? 1;
  const busNames = fields.get('bus_name');
  // `+ 0` turns the file's `-0` entries (case9241pegase has them) into 0, which JSON round-trips unchanged.
  const at = (m: MatrixValue, r: number, col: number) =>
    col <= m.cols ? m.data[r * m.cols + col - 1] + 0 : 0;

  const input = {
    name,
    baseMva: baseMva.data[0],
    buses: [] as NonNullable<NetworkInput['buses']>,
    loads: [] as NonNullable<NetworkInput['loads']>,
    shunts: [] as NonNullable<NetworkInput['shunts']>,
    generators: [] as NonNullable<NetworkInput['generators']>,
    branches: [] as NonNullable<NetworkInput['branches']>,
  } satisfies NetworkInput;

  for (let r = 0; r < bus.rows; r++) {
    const id = at(bus, r, BUS.I);
    const typeCode = at(bus, r, BUS.TYPE);
    const kind = BUS_TYPES[typeCode];
    if (!Number.isInteger(id) || id < 1) {
      throw InputError.single(
        'matpower_format',
        rowPath(file, structName, 'bus', bus, r),
        `bus number ${id} is not a positive integer`,
      );
    }
    if (kind === undefined) {
      throw InputError.single(
        'matpower_format',
        rowPath(file, structName, 'bus', bus, r),
        `bus ${id}: type ${typeCode} is not 1 (PQ), 2 (PV), 3 (reference) or 4 (isolated)`,
      );
    }
    const baseKv = at(bus, r, BUS.BASE_KV);
    const busName =
      busNames?.kind === 'cell' && busNames.items.length === bus.rows ? busNames.items[r] : undefined;
    input.buses.push({
      id,
      ...(busName?.kind === 'string' ? { name: busName.value.trim() } : {}),
      type: kind.type,
      baseKv: baseKv > 0 ? baseKv : fallbackBaseKv,
      vmPu: at(bus, r, BUS.VM),
      vaDeg: at(bus, r, BUS.VA),
      vmMaxPu: limit(at(bus, r, BUS.VMAX)),
      vmMinPu: limit(at(bus, r, BUS.VMIN)),
      inService: kind.inService,
      zone: at(bus, r, BUS.ZONE),
    });
    const pd = at(bus, r, BUS.PD);
    const qd = at(bus, r, BUS.QD);
    if (pd !== 0 || qd !== 0)
      input.loads.push({ id, bus: id, pMw: pd, qMvar: qd, inService: kind.inService });
    const gs = at(bus, r, BUS.GS);
    const bs = at(bus, r, BUS.BS);
    if (gs !== 0 || bs !== 0)
      input.shunts.push({ id, bus: id, gMw: gs, bMvar: bs, inService: kind.inService });
  }

  const costs = convertCosts(fields.get('gencost'), gen.rows, file, structName);
  for (let r = 0; r < gen.rows; r++) {
    const cost = costs[r];
    input.generators.push({
      id: r + 1,
      bus: at(gen, r, GEN.BUS),
      pMw: at(gen, r, GEN.PG),
      qMvar: at(gen, r, GEN.QG),
      qMaxMvar: limit(at(gen, r, GEN.QMAX)),
      qMinMvar: limit(at(gen, r, GEN.QMIN)),
      vmSetpointPu: at(gen, r, GEN.VG),
      inService: at(gen, r, GEN.STATUS) > 0,
      pMaxMw: limit(at(gen, r, GEN.PMAX)),
      pMinMw: limit(at(gen, r, GEN.PMIN)),
      ...(cost ? { cost } : {}),
    });
  }

  for (let r = 0; r < branch.rows; r++) {
    const tap = at(branch, r, BRANCH.TAP);
    const shift = at(branch, r, BRANCH.SHIFT);
    input.branches.push({
      id: r + 1,
      kind: tap !== 0 || shift !== 0 ? 'transformer' : 'line',
      fromBus: at(branch, r, BRANCH.F_BUS),
      toBus: at(branch, r, BRANCH.T_BUS),
      rPu: at(branch, r, BRANCH.R),
      xPu: at(branch, r, BRANCH.X),
      bPu: at(branch, r, BRANCH.B),
      rateAMva: at(branch, r, BRANCH.RATE_A),
      tapRatio: tap === 0 ? 1 : tap,
      shiftDeg: shift,
      inService: at(branch, r, BRANCH.STATUS) > 0,
    });
  }
  return { ...input, ...(fields.has('gencost') ? { costCurrency: '$' } : {}) };
}

/** MATPOWER uses ±Inf (or huge numbers) for "no limit"; the schema wants finite numbers. */
function limit(value: number): number {
  if (value === Number.POSITIVE_INFINITY) return Number.MAX_VALUE;
  if (value === Number.NEGATIVE_INFINITY) return -Number.MAX_VALUE;
  return value;
}

/** `file:line N` of a literal row, or `file:mpc.field(r, :)` when the row was built by code. */
function rowPath(file: string, structName: string, field: string, m: MatrixValue, r: number): string[] {
  const line = m.rowLines?.[r];
  return [line !== undefined ? `${file}:line ${line}` : `${file}:${structName}.${field}(${r + 1},:)`];
}

/**
 * gencost rows → cost per generator. Model 2 (polynomial cn … c0) up to quadratic; model 1 (piecewise linear
 * breakpoints). Start-up/shut-down costs are not represented; a second block of ngen rows (reactive-power costs)
 * is ignored.
 */
function convertCosts(
  value: Value | undefined,
  ngen: number,
  file: string,
  structName: string,
): (GeneratorCost | undefined)[] {
  if (value === undefined) return [];
  const field = 'gencost';
  if (value.kind !== 'matrix') {
    throw InputError.single(
      'matpower_format',
      [`${file}:${structName}.${field}`],
      `${structName}.${field} must be a numeric matrix`,
    );
  }
  if (value.rows !== ngen && value.rows !== 2 * ngen) {
    throw InputError.single(
      'matpower_format',
      [`${file}:${structName}.${field}`],
      `${structName}.${field} has ${value.rows} rows; expected one per generator (${ngen}) or two per generator (${2 * ngen})`,
    );
  }
  const costs: (GeneratorCost | undefined)[] = [];
  for (let r = 0; r < ngen; r++) {
    const row = value.data.subarray(r * value.cols, (r + 1) * value.cols);
    const fail = (message: string): never => {
      throw InputError.single(
        'matpower_cost',
        rowPath(file, structName, field, value, r),
        `${structName}.${field} row ${r + 1}: ${message}`,
      );
    };
    if (value.cols < COST.COST - 1) fail(`needs at least ${COST.NCOST} columns`);
    const model = row[COST.MODEL - 1];
    const n = row[COST.NCOST - 1];
    if (!Number.isInteger(n) || n < 0) fail(`NCOST ${n} is not a non-negative integer`);
    const params = row.subarray(COST.COST - 1);
    if (model === 2) {
      if (params.length < n) fail(`polynomial with ${n} coefficients but only ${params.length} cost columns`);
      const coefficients = Array.from(params.subarray(0, n));
      // Accept higher orders whose leading coefficients are zero; otherwise the cost is not representable.
      while (coefficients.length > 3 && coefficients[0] === 0) coefficients.shift();
      if (coefficients.length > 3) {
        fail(
          `polynomial cost of degree ${coefficients.length - 1} is not supported (at most quadratic: NCOST ≤ 3)`,
        );
      }
      const [c2, c1, c0] = [0, 0, 0, ...coefficients].slice(-3);
      costs.push({ kind: 'polynomial', c2PerMw2H: c2, c1PerMwh: c1, c0PerH: c0 });
    } else if (model === 1) {
      if (params.length < 2 * n)
        fail(`piecewise-linear cost with ${n} points needs ${2 * n} cost columns, found ${params.length}`);
      costs.push({
        kind: 'piecewise-linear',
        points: Array.from({ length: n }, (_, k) => ({ pMw: params[2 * k], costPerH: params[2 * k + 1] })),
      });
    } else {
      fail(`cost model ${model} is not 1 (piecewise linear) or 2 (polynomial)`);
    }
  }
  return costs;
}
