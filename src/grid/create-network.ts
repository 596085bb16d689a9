// Builds a validated Network from untrusted input: schema checks, then references, impedances and slack per island.
// Only what makes a case unsolvable is an error; unusual but valid data (negative R or X) is a warning
// (network-warnings.ts).
import { InputError, type InputIssue, parseInput } from '../core/errors.ts';
import { type ElementId, type Network, type NetworkInput, networkSchema } from './schema.ts';
import { busPositions, findIslands } from './topology.ts';

/**
 * Validate a network description and return it with defaults filled in. Throws an InputError whose issues name
 * every offending element (e.g. `branches[3].toBus: unknown bus 99`).
 */
export function createNetwork(input: NetworkInput | unknown): Network {
  const network = parseInput(networkSchema, input);
  const issues = [...checkIds(network), ...checkReferences(network), ...checkBranches(network)];
  if (issues.length === 0) issues.push(...checkSlackPerIsland(network));
  if (issues.length > 0) throw new InputError(issues);
  return network;
}

type Table = 'buses' | 'loads' | 'shunts' | 'generators' | 'branches';

function checkIds(network: Network): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const table of ['buses', 'loads', 'shunts', 'generators', 'branches'] as const satisfies Table[]) {
    const seen = new Map<ElementId, number>();
    network[table].forEach((element, i) => {
      const first = seen.get(element.id);
      if (first !== undefined) {
        issues.push({
          code: 'duplicate_id',
          path: [table, i, 'id'],
          message: `duplicate id ${JSON.stringify(element.id)} (also ${table}[${first}])`,
        });
      } else seen.set(element.id, i);
    });
  }
  return issues;
}

function checkReferences(network: Network): InputIssue[] {
  const issues: InputIssue[] = [];
  const position = busPositions(network);
  const check = (table: Table, i: number, field: string, bus: ElementId) => {
    if (!position.has(bus)) {
      issues.push({
        code: 'unknown_bus',
        path: [table, i, field],
        message: `unknown bus ${JSON.stringify(bus)}`,
      });
    }
  };
  network.loads.forEach((e, i) => {
    check('loads', i, 'bus', e.bus);
  });
  network.shunts.forEach((e, i) => {
    check('shunts', i, 'bus', e.bus);
  });
  network.generators.forEach((e, i) => {
    check('generators', i, 'bus', e.bus);
  });
  network.branches.forEach((e, i) => {
    check('branches', i, 'fromBus', e.fromBus);
    check('branches', i, 'toBus', e.toBus);
  });
  network.buses.forEach((bus, i) => {
    if (bus.vmMinPu > bus.vmMaxPu) {
      issues.push({ code: 'bad_limits', path: ['buses', i, 'vmMinPu'], message: 'vmMinPu exceeds vmMaxPu' });
    }
  });
  network.generators.forEach((g, i) => {
    if (g.pMinMw > g.pMaxMw) {
      issues.push({
        code: 'bad_limits',
        path: ['generators', i, 'pMinMw'],
        message: 'pMinMw exceeds pMaxMw',
      });
    }
    if (g.qMinMvar > g.qMaxMvar) {
      issues.push({
        code: 'bad_limits',
        path: ['generators', i, 'qMinMvar'],
        message: 'qMinMvar exceeds qMaxMvar',
      });
    }
  });
  return issues;
}

function checkBranches(network: Network): InputIssue[] {
  const issues: InputIssue[] = [];
  network.branches.forEach((branch, i) => {
    if (branch.inService && branch.rPu === 0 && branch.xPu === 0) {
      issues.push({ code: 'zero_impedance', path: ['branches', i, 'xPu'], message: 'zero series impedance' });
    }
    if (branch.fromBus === branch.toBus) {
      issues.push({
        code: 'self_loop',
        path: ['branches', i, 'toBus'],
        message: 'branch connects a bus to itself',
      });
    }
  });
  return issues;
}

function checkSlackPerIsland(network: Network): InputIssue[] {
  const { islandOfBus, islandCount } = findIslands(network);
  const slackOfIsland = new Int32Array(islandCount).fill(-1);
  const issues: InputIssue[] = [];
  network.buses.forEach((bus, i) => {
    if (!bus.inService || bus.type !== 'slack') return;
    const island = islandOfBus[i];
    if (slackOfIsland[island] >= 0) {
      const other = network.buses[slackOfIsland[island]].id;
      issues.push({
        code: 'multiple_slack',
        path: ['buses', i, 'type'],
        message: `second slack bus in the island of slack bus ${JSON.stringify(other)}; only one per island`,
      });
    } else slackOfIsland[island] = i;
  });
  if (!network.buses.some((b) => b.inService && b.type === 'slack')) {
    issues.push({
      code: 'no_slack',
      path: ['buses'],
      message: 'no slack bus: mark one bus with type "slack"',
    });
    return issues;
  }
  network.buses.forEach((bus, i) => {
    if (!bus.inService) return;
    if (slackOfIsland[islandOfBus[i]] < 0) {
      issues.push({
        code: 'island_without_slack',
        path: ['buses', i],
        message: `bus ${JSON.stringify(bus.id)} is in an island without a slack bus (disconnected from the rest)`,
      });
    }
  });
  return issues;
}
