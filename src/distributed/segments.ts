// Result rows of a distributed run put back into the in-process engine's order: every process logs, per handled
// message, which rows it added under the key (phase, flush round, causal depth); the merge orders by that key,
// then by process (worker ranks in DSO order, the coordinator's TSO last).
import type { NegotiationStats } from '../coordination/mechanism.ts';
import type { FeederTopology, SimulationRecorder } from '../hierarchy/recorder.ts';
import type { Account, Ledger, Transaction } from '../ledger/ledger.ts';

export const TABLES = [
  'tso',
  'dso',
  'platform',
  'prosumer',
  'trades',
  'balance',
  'mediation',
  'mediationCosts',
  'memberDays',
  'interPlatform',
  'feederStates',
] as const;
type TableName = (typeof TABLES)[number];
const KEY = 3;
const WIDTH = KEY + TABLES.length + 1;

/** Table lengths (and the ledger journal's) after each run of handled items with the same key. */
export class SegmentLog {
  readonly marks: number[] = [];
  phase = 0;
  round = 0;
  constructor(
    private readonly recorder: SimulationRecorder,
    private readonly ledger: Ledger,
  ) {}

  mark(depth: number): void {
    const m = this.marks;
    const n = m.length;
    const same =
      n > 0 && m[n - WIDTH] === this.phase && m[n - WIDTH + 1] === this.round && m[n - WIDTH + 2] === depth;
    const at = same ? n - WIDTH : n;
    m[at] = this.phase;
    m[at + 1] = this.round;
    m[at + 2] = depth;
    TABLES.forEach((t, i) => {
      m[at + KEY + i] = this.recorder[t].length;
    });
    m[at + WIDTH - 1] = this.ledger.transactions.length;
  }
}

/** What one process hands to the coordinator at the end of a run. */
export interface ProcessResult {
  readonly rank: number;
  readonly tables?: { readonly [K in TableName]: SimulationRecorder[K] };
  readonly feederTopologies?: [string, FeederTopology][];
  readonly marks: number[];
  readonly accounts: Account[];
  readonly balances: [string, bigint][];
  readonly transactions: Transaction[];
  readonly transactionCount: number;
  readonly messageCount: number;
  readonly messageBytes: number;
  readonly failedSchedules: number;
  readonly natsFrames: number;
  readonly natsBytes: number;
  readonly peakRssBytes: number;
  readonly negotiation?: NegotiationStats;
}

export function processResult(
  rank: number,
  recorder: SimulationRecorder,
  ledger: Ledger,
  log: SegmentLog,
  counts: Omit<
    ProcessResult,
    | 'rank'
    | 'tables'
    | 'feederTopologies'
    | 'marks'
    | 'accounts'
    | 'balances'
    | 'transactions'
    | 'transactionCount'
  >,
  summaryOnly: boolean,
): ProcessResult {
  log.mark(Number.MAX_SAFE_INTEGER);
  return {
    rank,
    ...(!summaryOnly && {
      tables: Object.fromEntries(TABLES.map((t) => [t, recorder[t]])) as ProcessResult['tables'],
      feederTopologies: [...recorder.feederTopologies],
    }),
    marks: log.marks,
    accounts: [...ledger.accounts],
    balances: ledger.accounts.map((a) => [a.id, ledger.balanceOf(a.id)]),
    transactions: summaryOnly ? [] : [...ledger.transactions],
    transactionCount: ledger.transactionCount,
    ...counts,
  };
}

/**
 * One recorder and ledger from the processes' results, rows in the in-process order. `sortRank` puts the
 * coordinator (rank 0) after the workers. Without journals (lean runs) each process's balances become one
 * balanced transaction of the merged ledger.
 */
export function mergeResults(
  results: readonly ProcessResult[],
  recorder: SimulationRecorder,
  ledger: Ledger,
): void {
  const sortRank = (r: number) => (r === 0 ? Number.MAX_SAFE_INTEGER : r);
  const segments: { key: number[]; result: ProcessResult; from: number; to: number }[] = [];
  for (const result of results) {
    const m = result.marks;
    for (let at = 0, k = 0; at < m.length; at += WIDTH, k++)
      segments.push({
        key: [m[at], m[at + 1], m[at + 2], sortRank(result.rank), k],
        result,
        from: at - WIDTH,
        to: at,
      });
  }
  segments.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
    return 0;
  });
  const lengthAt = (m: number[], at: number, column: number) => (at < 0 ? 0 : m[at + column]);
  for (const result of results) {
    for (const [id, kind] of result.accounts.map((a) => [a.id, a.kind] as const))
      ledger.openAccount(id, kind);
    for (const [id, topology] of result.feederTopologies ?? []) recorder.feederTopologies.set(id, topology);
  }
  for (const s of segments) {
    const m = s.result.marks;
    if (s.result.tables)
      TABLES.forEach((t, i) => {
        const rows = s.result.tables![t] as unknown[];
        const target = recorder[t] as unknown[];
        for (let j = lengthAt(m, s.from, KEY + i); j < m[s.to + KEY + i]; j++) target.push(rows[j]);
      });
    for (let j = lengthAt(m, s.from, WIDTH - 1); j < m[s.to + WIDTH - 1]; j++)
      ledger.postTransaction(s.result.transactions[j]);
  }
  for (const result of results) {
    if (result.transactions.length === result.transactionCount) continue;
    const postings = result.balances
      .filter(([, b]) => b !== 0n)
      .map(([accountId, amountMicroEur]) => ({ accountId, amountMicroEur }));
    if (postings.length > 0)
      ledger.postTransaction({
        id: `process-${result.rank}`,
        description: `balances of process ${result.rank}`,
        postings,
      });
  }
}
