// Warnings about a valid network: data that solvers accept but a user should know about (negative R or X).
import type { InputIssue } from '../core/errors.ts';
import type { Branch, ElementId, Network } from './schema.ts';

/**
 * One kind of unusual data, grouped over all elements that have it: `code`, `path` (the table), a one-line
 * `message` naming the first few elements, `count` and the ids of every element concerned.
 */
export interface NetworkWarning extends InputIssue {
  readonly count: number;
  readonly elementIds: readonly ElementId[];
}

const NAMED_IN_MESSAGE = 3;

interface BranchRule {
  readonly code: string;
  readonly field: 'rPu' | 'xPu';
  readonly what: string;
  readonly why: string;
}

/**
 * Negative series resistance or reactance is physically possible in reduced models (network equivalents such as
 * PEGASE's, series capacitors, star equivalents of three-winding transformers) and MATPOWER solves such cases, so
 * these are warnings, not errors. Only what makes a case unsolvable (zero impedance, unknown bus, island without a
 * slack …) is an error in `createNetwork`.
 */
const BRANCH_RULES: readonly BranchRule[] = [
  {
    code: 'negative_resistance',
    field: 'rPu',
    what: 'negative resistance',
    why: 'network equivalents',
  },
  {
    code: 'negative_reactance',
    field: 'xPu',
    what: 'negative reactance',
    why: 'series capacitors or network equivalents',
  },
];

/** Warnings for a validated network, one per kind, in a fixed order; empty when nothing is unusual. */
export function findNetworkWarnings(network: Network): NetworkWarning[] {
  const warnings: NetworkWarning[] = [];
  for (const rule of BRANCH_RULES) {
    const rows: number[] = [];
    network.branches.forEach((branch, i) => {
      if (branch[rule.field] < 0) rows.push(i);
    });
    if (rows.length > 0) warnings.push(branchWarning(network.branches, rows, rule));
  }
  return warnings;
}

function branchWarning(
  branches: readonly Branch[],
  rows: readonly number[],
  rule: BranchRule,
): NetworkWarning {
  const named = rows.slice(0, NAMED_IN_MESSAGE).map((i) => {
    const b = branches[i];
    return `branches[${i}] (id ${JSON.stringify(b.id)}, bus ${JSON.stringify(b.fromBus)} → ${JSON.stringify(b.toBus)}, ${rule.field} ${b[rule.field]})`;
  });
  const rest = rows.length - named.length;
  const noun = rows.length === 1 ? 'branch has' : 'branches have';
  return {
    code: rule.code,
    path: ['branches'],
    message: `${rows.length} ${noun} ${rule.what} (${rule.why}): first ${named.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`,
    count: rows.length,
    elementIds: rows.map((i) => branches[i].id),
  };
}
