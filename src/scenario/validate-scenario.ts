// Validates a scenario document: schema first, then every cross-reference, with issues naming the field path.
import { InputError, type InputIssue, parseInput } from '../core/errors.ts';
import { type Scenario, scenarioSchema } from './schema.ts';

/**
 * Parse and check a scenario: schema (types, ranges, format version), unique ids, every referenced network,
 * platform, controller, prosumer and profile exists, platform members sit on the platform's network, controller
 * parents form a tree, controller steps are multiples of the time grid's step, and buses of inline networks exist.
 * Throws an InputError listing every issue with its path (e.g. `prosumers[3].pv[0].profile`).
 */
export function validateScenario(input: unknown): Scenario {
  const scenario = parseInput(scenarioSchema, input);
  const issues: InputIssue[] = [];
  const issue = (path: (string | number)[], code: string, message: string): void => {
    issues.push({ code, path, message });
  };
  const unique = (items: readonly { id: string }[], table: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) issue([table, i, 'id'], 'duplicate_id', `duplicate id "${item.id}"`);
      seen.add(item.id);
    });
    return seen;
  };
  const networks = unique(scenario.networks, 'networks');
  const prosumers = unique(scenario.prosumers, 'prosumers');
  const h = scenario.hierarchy;
  const platforms = new Set(h.platforms.map((p) => p.id));
  unique(h.platforms, 'hierarchy.platforms');
  const controllers = unique(h.controllers, 'hierarchy.controllers');
  const levelOf = new Map(scenario.networks.map((n) => [n.id, n.level]));
  const inlineBuses = new Map(
    scenario.networks
      .filter((n) => n.source.kind === 'inline')
      .map((n) => [
        n.id,
        new Set(n.source.kind === 'inline' ? n.source.network.buses.map((b) => String(b.id)) : []),
      ]),
  );
  const checkNetwork = (path: (string | number)[], id: string): void => {
    if (!networks.has(id)) issue(path, 'unknown_network', `unknown network "${id}"`);
  };
  const checkBus = (path: (string | number)[], network: string, bus: string | number): void => {
    const buses = inlineBuses.get(network);
    if (buses && !buses.has(String(bus)))
      issue(path, 'unknown_bus', `bus ${JSON.stringify(bus)} is not in network "${network}"`);
  };
  h.distributionNetworks.forEach((d, i) => {
    const path = ['hierarchy', 'distributionNetworks', i];
    checkNetwork([...path, 'network'], d.network);
    if (levelOf.get(d.network) === 'transmission') {
      issue([...path, 'network'], 'bad_level', 'a distribution attachment must name an mv or lv network');
    }
    if (d.transmissionNetwork !== undefined) {
      checkNetwork([...path, 'transmissionNetwork'], d.transmissionNetwork);
      if (networks.has(d.transmissionNetwork) && levelOf.get(d.transmissionNetwork) !== 'transmission') {
        issue([...path, 'transmissionNetwork'], 'bad_level', 'must name a transmission-level network');
      }
      checkBus([...path, 'transmissionBus'], d.transmissionNetwork, d.transmissionBus);
    }
    if (d.parent) {
      checkNetwork([...path, 'parent', 'network'], d.parent.network);
      if (levelOf.get(d.network) !== 'lv')
        issue([...path, 'parent'], 'bad_level', 'only an lv network has an MV parent');
      if (networks.has(d.parent.network) && levelOf.get(d.parent.network) !== 'mv') {
        issue(
          [...path, 'parent', 'network'],
          'bad_level',
          'the parent of an lv network must be an mv network',
        );
      }
      checkBus([...path, 'parent', 'bus'], d.parent.network, d.parent.bus);
    }
  });
  const prosumerNetwork = new Map(scenario.prosumers.map((p) => [p.id, p.network]));
  h.platforms.forEach((p, i) => {
    checkNetwork(['hierarchy', 'platforms', i, 'network'], p.network);
    p.members.forEach((m, j) => {
      const path = ['hierarchy', 'platforms', i, 'members', j];
      if (!prosumers.has(m)) issue(path, 'unknown_prosumer', `unknown prosumer "${m}"`);
      else if (prosumerNetwork.get(m) !== p.network) {
        issue(
          path,
          'wrong_network',
          `prosumer "${m}" is on network "${prosumerNetwork.get(m)}", not "${p.network}"`,
        );
      }
    });
  });
  const parentOf = new Map(h.controllers.map((c) => [c.id, c.parent]));
  h.controllers.forEach((c, i) => {
    const path = ['hierarchy', 'controllers', i];
    if (c.parent !== undefined && !controllers.has(c.parent)) {
      issue([...path, 'parent'], 'unknown_controller', `unknown controller "${c.parent}"`);
    }
    for (const [j, n] of c.networks.entries()) checkNetwork([...path, 'networks', j], n);
    if (c.platform !== undefined && !platforms.has(c.platform)) {
      issue([...path, 'platform'], 'unknown_platform', `unknown platform "${c.platform}"`);
    }
    const ratio = c.stepMin / scenario.time.stepMin;
    if (Math.abs(ratio - Math.round(ratio)) > 1e-9 || ratio < 1) {
      issue(
        [...path, 'stepMin'],
        'bad_step',
        `must be a whole multiple of time.stepMin (${scenario.time.stepMin})`,
      );
    }
    const seen = new Set([c.id]);
    for (let p = c.parent; p !== undefined; p = parentOf.get(p)) {
      if (seen.has(p)) {
        issue([...path, 'parent'], 'cycle', `controller parents form a cycle through "${p}"`);
        break;
      }
      seen.add(p);
    }
  });
  const profiles = new Set(Object.keys(scenario.profiles));
  const checkProfile = (path: (string | number)[], name: string): void => {
    if (!profiles.has(name)) issue(path, 'unknown_profile', `unknown profile "${name}"`);
  };
  scenario.prosumers.forEach((p, i) => {
    const path = ['prosumers', i];
    checkNetwork([...path, 'network'], p.network);
    checkBus([...path, 'bus'], p.network, p.bus);
    for (const [j, l] of p.loads.entries()) checkProfile([...path, 'loads', j, 'profile'], l.profile);
    for (const [j, v] of p.pv.entries()) checkProfile([...path, 'pv', j, 'profile'], v.profile);
    for (const [j, v] of p.heatPumps.entries()) {
      checkProfile([...path, 'heatPumps', j, 'outdoorProfile'], v.outdoorProfile);
    }
    const evs = new Set(p.evs.map((e) => e.id));
    p.preferences.autonomy.evMilestones.forEach((m, j) => {
      if (!evs.has(m.evId)) {
        issue(
          [...path, 'preferences', 'autonomy', 'evMilestones', j, 'evId'],
          'unknown_ev',
          `unknown EV "${m.evId}"`,
        );
      }
    });
  });
  Object.entries(scenario.profiles).forEach(([name, p]) => {
    if (p.kind === 'daily' && Math.abs(p.stepMin * p.values.length - 1440) > 1e-9) {
      issue(['profiles', name, 'values'], 'bad_profile', 'stepMin × number of values must be 1440 (one day)');
    }
  });
  if (issues.length > 0) throw new InputError(issues);
  return scenario;
}
