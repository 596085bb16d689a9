// Runs an OpenDSS script: Clear, New, Edit, BatchEdit, Redirect, Compile, Set, Calcvoltagebases; output and solve
// commands are accepted and do nothing; anything else is an InputError naming file and line.
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readTextFile } from '../read-text-file.ts';
import type { DssElement } from './dss-branches.ts';
import { type DssCommand, type DssParameter, lexDss, unwrap } from './dss-lexer.ts';
import { dssArray, dssError, dssNumber, dssText } from './dss-values.ts';

/** Classes that become part of the network. */
export const SUPPORTED_CLASSES = [
  'vsource',
  'linecode',
  'line',
  'load',
  'transformer',
  'regcontrol',
  'capacitor',
  'loadshape',
] as const;
/** Meters and monitors record results in OpenDSS and do not change the power flow. */
const IGNORED_CLASSES = ['energymeter', 'monitor'];
const NO_OP_COMMANDS = [
  'solve',
  'show',
  'plot',
  'closedi',
  'export',
  'visualize',
  'summary',
  'calcvoltagebases',
  'calcv',
  'latlongcoords',
  'buscoords',
];
/** `Set` options that only concern OpenDSS's reports and time loop. */
const IGNORED_SET_OPTIONS = [
  'mode',
  'number',
  'stepsize',
  'year',
  'hour',
  'sec',
  'time',
  'demand',
  'diverbose',
  'overloadreport',
  'voltexcept',
  'casename',
  'datapath',
  'editor',
  'maxiter',
  'maxcontroliter',
  'tolerance',
  'algorithm',
];

export interface DssScript {
  circuitName: string;
  readonly elements: Map<string, DssElement>;
  voltageBasesKv: number[];
  frequencyHz: number;
  controlMode: 'static' | 'off';
  loadMult: number;
  /** Directory of the first script, for files the elements name (load shapes). */
  readonly dir: string;
}

/** `dir/name` matched case-insensitively (OpenDSS scripts come from Windows: `IEEELineCodes.dss` vs `.DSS`). */
function resolveFile(dir: string, name: string): string {
  const parts = name.replaceAll('\\', '/').split('/');
  let current = dir;
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    let entries: string[] = [];
    try {
      entries = readdirSync(current);
    } catch {
      return join(current, part);
    }
    current = join(current, entries.find((e) => e.toLowerCase() === part.toLowerCase()) ?? part);
  }
  return current;
}

function elementName(p: DssParameter | undefined, at: DssCommand['at']): { cls: string; name: string } {
  const text = p ? unwrap(p.value).toLowerCase() : '';
  const dot = text.indexOf('.');
  if (!p || dot <= 0) throw dssError(at, text || '(none)', 'expected Class.Name');
  return { cls: text.slice(0, dot), name: text.slice(dot + 1) };
}

function checkClass(cls: string, at: DssCommand['at'], label: string): boolean {
  if ((SUPPORTED_CLASSES as readonly string[]).includes(cls)) return true;
  if (IGNORED_CLASSES.includes(cls)) return false;
  throw dssError(
    at,
    label,
    `element class '${cls}' is not supported (supported: ${SUPPORTED_CLASSES.join(', ')})`,
  );
}

function runCommands(script: DssScript, commands: DssCommand[], dir: string): void {
  for (const command of commands) {
    const { verb, parameters, at } = command;
    const target = parameters[0]?.key === 'object' ? { ...parameters[0], key: undefined } : parameters[0];
    if (verb === 'clear') {
      script.elements.clear();
    } else if (verb === 'new') {
      let { cls, name } = elementName(target, at);
      const rest = parameters.slice(1);
      if (cls === 'circuit') {
        script.circuitName = name;
        cls = 'vsource';
        name = 'source';
      }
      if (!checkClass(cls, at, `${cls}.${name}`)) continue;
      script.elements.set(`${cls}.${name}`, { cls, name, at, parameters: rest });
    } else if (verb === 'edit') {
      const { cls, name } = elementName(target, at);
      if (!checkClass(cls, at, `${cls}.${name}`)) continue;
      const element = script.elements.get(`${cls}.${name}`);
      if (!element) throw dssError(at, `${cls}.${name}`, 'Edit of an element that does not exist');
      element.parameters.push(...parameters.slice(1));
    } else if (verb === 'batchedit') {
      const { cls, name } = elementName(target, at);
      if (!checkClass(cls, at, `${cls}.${name}`)) continue;
      const pattern = new RegExp(`^${name}$`, 'i');
      for (const element of script.elements.values())
        if (element.cls === cls && pattern.test(element.name))
          element.parameters.push(...parameters.slice(1));
    } else if (verb === 'redirect' || verb === 'compile') {
      if (!target) throw dssError(at, verb, 'expected a file name');
      const path = resolveFile(dir, unwrap(target.value));
      runCommands(script, lexDss(readTextFile(path), basename(path)), dirname(path));
    } else if (verb === 'set') {
      for (const p of parameters) applySet(script, p);
    } else if (!NO_OP_COMMANDS.includes(verb)) {
      throw dssError(at, verb, `command '${verb}' is not supported`);
    }
  }
}

function applySet(script: DssScript, p: DssParameter): void {
  const key = p.key ?? '';
  if (key === 'voltagebases') script.voltageBasesKv = dssArray(p, 'set');
  else if (key === 'defaultbasefrequency') script.frequencyHz = dssNumber(p, 'set');
  else if (key === 'loadmult') script.loadMult = dssNumber(p, 'set');
  else if (key === 'controlmode') {
    const mode = dssText(p);
    if (mode !== 'off' && mode !== 'static')
      throw dssError(p.at, 'set', `controlmode '${p.value}' is not supported (static or off)`);
    script.controlMode = mode;
  } else if (!IGNORED_SET_OPTIONS.includes(key))
    throw dssError(p.at, 'set', `option '${key || p.value}' is not supported`);
}

/** Execute `path` (and every file it redirects to) and return the elements it defines. */
export function runDssScript(path: string): DssScript {
  const script: DssScript = {
    circuitName: basename(path).replace(/\.dss$/i, ''),
    elements: new Map(),
    voltageBasesKv: [],
    frequencyHz: 60,
    controlMode: 'static',
    loadMult: 1,
    dir: dirname(path),
  };
  runCommands(script, lexDss(readTextFile(path), basename(path)), dirname(path));
  return script;
}
