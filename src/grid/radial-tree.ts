// Radial tree of an indexed network: breadth-first order from the single slack bus and each bus's parent branch.
import { InputError } from '../core/errors.ts';
import type { IndexedNetwork } from './indexed-network.ts';

/** The radial tree: buses in breadth-first order from the slack and each bus's parent branch. */
export interface RadialTree {
  readonly order: Int32Array;
  readonly parentBranch: Int32Array;
  readonly parentBus: Int32Array;
  /** 1 when the parent is the branch's from bus. */
  readonly parentIsFrom: Uint8Array;
}

/** Build the radial tree rooted at the single slack bus; throws InputError when the network is not radial. */
export function buildRadialTree(net: IndexedNetwork): RadialTree {
  const n = net.busCount;
  if (net.slackBus.length !== 1) {
    throw InputError.single(
      'not_radial',
      ['buses'],
      `a radial sweep needs exactly one slack bus, found ${net.slackBus.length}`,
    );
  }
  if (net.branchCount !== n - 1) {
    throw InputError.single(
      'not_radial',
      ['branches'],
      `a radial sweep needs a tree: ${n} buses need ${n - 1} in-service branches, found ${net.branchCount} (use --method nr)`,
    );
  }
  const adjacencyStart = new Int32Array(n + 1);
  for (let k = 0; k < net.branchCount; k++) {
    adjacencyStart[net.branchFrom[k] + 1]++;
    adjacencyStart[net.branchTo[k] + 1]++;
  }
  for (let i = 0; i < n; i++) adjacencyStart[i + 1] += adjacencyStart[i];
  const fill = adjacencyStart.slice(0, n);
  const adjacentBranch = new Int32Array(2 * net.branchCount);
  for (let k = 0; k < net.branchCount; k++) {
    adjacentBranch[fill[net.branchFrom[k]]++] = k;
    adjacentBranch[fill[net.branchTo[k]]++] = k;
  }
  const order = new Int32Array(n);
  const parentBranch = new Int32Array(n).fill(-1);
  const parentBus = new Int32Array(n).fill(-1);
  const parentIsFrom = new Uint8Array(n);
  const visited = new Uint8Array(n);
  order[0] = net.slackBus[0];
  visited[order[0]] = 1;
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const p = order[head];
    for (let a = adjacencyStart[p]; a < adjacencyStart[p + 1]; a++) {
      const k = adjacentBranch[a];
      const isFrom = net.branchFrom[k] === p;
      const c = isFrom ? net.branchTo[k] : net.branchFrom[k];
      if (visited[c]) continue;
      visited[c] = 1;
      parentBranch[c] = k;
      parentBus[c] = p;
      parentIsFrom[c] = isFrom ? 1 : 0;
      order[tail++] = c;
    }
  }
  if (tail !== n) {
    throw InputError.single(
      'not_radial',
      ['branches'],
      'the network contains a loop (and so an unreached bus); use --method nr',
    );
  }
  return { order, parentBranch, parentBus, parentIsFrom };
}
