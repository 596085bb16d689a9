// CIGRE TF C6.04.02 benchmark networks (LV and MV JSON in data/cigre) → validated per-unit Network.
import { basename } from 'node:path';
import { InputError, parseInput } from '../../core/errors.ts';
import { baseImpedanceOhm } from '../../core/units.ts';
import { createNetwork } from '../../grid/create-network.ts';
import type { Network, NetworkInput } from '../../grid/schema.ts';
import { parseJson } from '../parse-json.ts';
import { readTextFile } from '../read-text-file.ts';
import {
  type CigreNetworkFile,
  cigreDerExtraSchema,
  cigreDerSchema,
  cigreNetworkSchema,
} from './cigre-schema.ts';

/** Which optional DER of the MV benchmark to include (pandapower's `with_der`). */
export type CigreDer = 'none' | 'pv_wind' | 'all';

export interface CigreImportOptions {
  /**
   * System base power in MVA. Default: 1 MVA when every transformer steps down to below 1 kV (the LV benchmark),
   * else 10 MVA (the MV benchmark). Per-unit voltages do not depend on it.
   */
  readonly baseMva?: number;
  /** Optional DER of the MV network: none (default, as pandapower), PV + wind, or all (adds fuel cells, CHP, batteries). */
  readonly der?: CigreDer;
  /** System frequency for line charging, Hz. Default 50 (European benchmark). */
  readonly frequencyHz?: number;
  /** Network name. Default: `cigre`. */
  readonly name?: string;
}

/**
 * Series reactance (p.u.) that stands in for a closed bus-to-bus switch, so every benchmark bus keeps its own id.
 * Its voltage drop at the benchmark's currents is below 1e-6 p.u.
 */
export const CLOSED_SWITCH_REACTANCE_PU = 1e-6;

const EXT_GRID_ID = 'ext_grid';

/**
 * Convert a CIGRE benchmark JSON document into a Network: bus ids are the bus names, lines use their standard type's
 * ohm/km and nF/km, transformers their short-circuit voltages on their own rating, and the external grid is the slack.
 * `source` names the document in error paths.
 */
export function parseCigreNetwork(
  json: unknown,
  source = 'cigre.json',
  options: CigreImportOptions = {},
): Network {
  const file = parseInput(cigreNetworkSchema, json, [source]);
  return createNetwork(convertCigre(file, json as Record<string, unknown>, source, options));
}

/** Read a CIGRE benchmark JSON file from disk; see parseCigreNetwork. */
export function readCigreNetwork(path: string, options: CigreImportOptions = {}): Network {
  const json = parseJson(readTextFile(path), path);
  return parseCigreNetwork(json, path, { name: basename(path).replace(/\.json$/i, ''), ...options });
}

/** True when a parsed JSON document looks like a CIGRE benchmark file (it has line standard types and an ext_grid). */
export function isCigreDocument(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'line_std_types' in json && 'ext_grid' in json;
}

function convertCigre(
  file: CigreNetworkFile,
  raw: Record<string, unknown>,
  source: string,
  options: CigreImportOptions,
): NetworkInput {
  const isLowVoltage = file.transformers.length > 0 && file.transformers.every((t) => t.vn_lv_kv < 1);
  const baseMva = options.baseMva ?? (isLowVoltage ? 1 : 10);
  const frequencyHz = options.frequencyHz ?? 50;
  const fail = (path: (string | number)[], message: string): never => {
    throw InputError.single('cigre_format', [source, ...path], message);
  };
  const vnKv = new Map(file.buses.map((b) => [b.name, b.vn_kv]));
  const busKv = (name: string, path: (string | number)[]) =>
    vnKv.get(name) ?? fail(path, `unknown bus "${name}"`);

  const buses: NonNullable<NetworkInput['buses']> = file.buses.map((b) => ({
    id: b.name,
    baseKv: b.vn_kv,
    inService: b.in_service,
    ...(b.name === file.ext_grid.bus
      ? { type: 'slack' as const, vmPu: file.ext_grid.vm_pu, vaDeg: file.ext_grid.va_degree }
      : { type: 'pq' as const }),
  }));
  busKv(file.ext_grid.bus, ['ext_grid', 'bus']);

  // A line with an open line switch at either end is out of service (the MV benchmark's three tie lines).
  const openLines = new Set(file.line_switches.filter((s) => !s.closed).map((s) => s.line));
  file.line_switches.forEach((s, i) => {
    if (!file.lines.some((l) => l.name === s.line))
      fail(['line_switches', i, 'line'], `unknown line "${s.line}"`);
  });

  const branches: NonNullable<NetworkInput['branches']> = [];
  file.lines.forEach((line, i) => {
    const type =
      file.line_std_types[line.std_type] ??
      fail(['lines', i, 'std_type'], `unknown line type "${line.std_type}"`);
    const kvFrom = busKv(line.from_bus, ['lines', i, 'from_bus']);
    const kvTo = busKv(line.to_bus, ['lines', i, 'to_bus']);
    if (kvFrom !== kvTo) fail(['lines', i], `line joins buses of ${kvFrom} kV and ${kvTo} kV`);
    const zBaseOhm = baseImpedanceOhm(kvFrom, baseMva);
    const lengthKm = line.length_km;
    const chargingSiemens = 2 * Math.PI * frequencyHz * type.c_nf_per_km * 1e-9 * lengthKm * line.parallel;
    branches.push({
      id: line.name,
      kind: 'line',
      fromBus: line.from_bus,
      toBus: line.to_bus,
      rPu: (type.r_ohm_per_km * lengthKm) / line.parallel / zBaseOhm,
      xPu: (type.x_ohm_per_km * lengthKm) / line.parallel / zBaseOhm,
      bPu: chargingSiemens * zBaseOhm,
      rateAMva: type.max_i_ka === undefined ? 0 : Math.sqrt(3) * kvFrom * type.max_i_ka * line.parallel,
      inService: line.in_service && !openLines.has(line.name),
    });
  });

  const shunts: NonNullable<NetworkInput['shunts']> = [];
  file.transformers.forEach((t, i) => {
    const kvHv = busKv(t.hv_bus, ['transformers', i, 'hv_bus']);
    const kvLv = busKv(t.lv_bus, ['transformers', i, 'lv_bus']);
    if (t.vkr_percent > t.vk_percent)
      fail(['transformers', i, 'vkr_percent'], 'vkr_percent exceeds vk_percent');
    // Off-nominal tap from the tap changer (pandapower: (tap_pos − tap_neutral) · tap_step_percent on tap_side).
    const tapStep = ((t.tap_pos ?? 0) - (t.tap_neutral ?? 0)) * ((t.tap_step_percent ?? 0) / 100);
    const vnHvKv = t.vn_hv_kv * (t.tap_side === 'hv' ? 1 + tapStep : 1);
    const vnLvKv = t.vn_lv_kv * (t.tap_side === 'lv' ? 1 + tapStep : 1);
    // Short-circuit impedance on the transformer rating, referred to the LV side, then to the system base.
    const toSystemBase = ((baseMva / t.sn_mva) * (vnLvKv / kvLv) ** 2) / t.parallel;
    const zPu = (t.vk_percent / 100) * toSystemBase;
    const rPu = (t.vkr_percent / 100) * toSystemBase;
    branches.push({
      id: t.name,
      kind: 'transformer',
      fromBus: t.hv_bus,
      toBus: t.lv_bus,
      rPu,
      xPu: Math.sqrt(zPu * zPu - rPu * rPu),
      bPu: 0,
      rateAMva: t.sn_mva * t.parallel,
      tapRatio: vnHvKv / kvHv / (vnLvKv / kvLv),
      shiftDeg: t.shift_degree,
      inService: t.in_service,
    });
    if (t.pfe_kw > 0 || t.i0_percent > 0) {
      // Magnetising branch lumped at the HV terminal: iron losses as conductance, the rest of i0 as inductive susceptance.
      const gMw = (t.pfe_kw / 1000) * t.parallel;
      const yMva = (t.i0_percent / 100) * t.sn_mva * t.parallel;
      shunts.push({
        id: `${t.name} magnetising`,
        bus: t.hv_bus,
        gMw,
        bMvar: -Math.sqrt(Math.max(0, yMva * yMva - gMw * gMw)),
        inService: t.in_service,
      });
    }
  });

  file.switches.forEach((s, i) => {
    const kvA = busKv(s.bus, ['switches', i, 'bus']);
    const kvB = busKv(s.element_bus, ['switches', i, 'element_bus']);
    if (kvA !== kvB) fail(['switches', i], `switch joins buses of ${kvA} kV and ${kvB} kV`);
    branches.push({
      id: s.name ?? `switch ${s.bus}-${s.element_bus}`,
      kind: 'line',
      fromBus: s.bus,
      toBus: s.element_bus,
      rPu: 0,
      xPu: CLOSED_SWITCH_REACTANCE_PU,
      inService: s.closed,
    });
  });

  const loads: NonNullable<NetworkInput['loads']> = file.loads.map((load) => {
    if (load.p_mw !== undefined)
      return {
        id: load.name,
        bus: load.bus,
        pMw: load.p_mw,
        qMvar: load.q_mvar ?? 0,
        inService: load.in_service,
      };
    // pandapower create_load_from_cosphi: underexcited (the default) consumes reactive power.
    const sn = load.sn_mva ?? 0;
    const cosPhi = load.cos_phi ?? 1;
    const sign = load.mode?.startsWith('overexcited') ? -1 : 1;
    return {
      id: load.name,
      bus: load.bus,
      pMw: sn * cosPhi,
      qMvar: sign * sn * Math.sqrt(1 - cosPhi * cosPhi),
      inService: load.in_service,
    };
  });

  const generators: NonNullable<NetworkInput['generators']> = [
    {
      id: EXT_GRID_ID,
      bus: file.ext_grid.bus,
      vmSetpointPu: file.ext_grid.vm_pu,
      pMinMw: -Number.MAX_VALUE,
      pMaxMw: Number.MAX_VALUE,
    },
  ];
  const der = options.der ?? 'none';
  if (der !== 'none') {
    const key = (prefix: string) => Object.keys(raw).find((k) => k.startsWith(prefix));
    const pvWindKey = key('der_pv_wind');
    const extraKey = key('der_extra');
    const pvWind =
      pvWindKey === undefined ? [] : parseInput(cigreDerSchema, raw[pvWindKey], [source, pvWindKey]);
    const extra =
      der === 'all' && extraKey !== undefined
        ? parseInput(cigreDerExtraSchema, raw[extraKey], [source, extraKey])
        : { sgens: [], storages: [] };
    // Static generators inject fixed P and Q at PQ buses; pMaxMw is the available power, so an OPF may curtail.
    for (const g of [...pvWind, ...extra.sgens]) {
      generators.push({
        id: g.name,
        bus: g.bus,
        pMw: g.p_mw,
        qMvar: g.q_mvar,
        pMinMw: 0,
        pMaxMw: Math.max(g.p_mw, 0),
        qMinMvar: g.q_mvar,
        qMaxMvar: g.q_mvar,
      });
    }
    // Network has no storage element: a battery's scheduled power enters as a load (positive = charging).
    for (const s of extra.storages) loads.push({ id: s.name, bus: s.bus, pMw: s.p_mw, qMvar: 0 });
  }

  return { name: options.name ?? 'cigre', baseMva, buses, loads, shunts, generators, branches };
}
