// Lean runs (no journal, no trade rows) post P2P and intraday trades when they clear: same money as a full run.
import { describe, expect, it } from 'vitest';
import { createCoordination } from '../coordination/index.ts';
import { Ledger } from '../ledger/ledger.ts';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../studies/system/index.ts';
import { simulateSystem } from './engine.ts';
import { SimulationRecorder } from './recorder.ts';

const run = async (lean: boolean) => {
  // Five replicated feeders (replica legs), intraday trading and balancing on (the defaults).
  const model = resolveSystemStudy(buildDefaultSystemStudy({ households: 6, seed: 5 }));
  return simulateSystem(model, {
    coordination: createCoordination('none'),
    recordProsumers: false,
    recorder: new SimulationRecorder(false, { recordTrades: !lean }),
    ledger: new Ledger({ keepJournal: !lean }),
  });
};

describe('lean settlement', async () => {
  const full = await run(false);
  const lean = await run(true);

  it('keeps no journal and no trade rows, yet posts as many transactions', () => {
    expect(lean.ledger.transactions).toHaveLength(0);
    expect(lean.recorder.trades).toHaveLength(0);
    expect(full.recorder.trades.some((t) => t.stage === 'intraday')).toBe(true);
    expect(lean.ledger.transactionCount).toBe(full.ledger.transactionCount);
  });

  it('gives every account the balance the full run’s journal sums to', () => {
    // Independent of the full run's own balances: re-sum its journal per account.
    const fromJournal = new Map<string, bigint>();
    for (const t of full.ledger.transactions)
      for (const p of t.postings)
        fromJournal.set(p.accountId, (fromJournal.get(p.accountId) ?? 0n) + p.amountMicroEur);
    const platforms = lean.ledger.accounts.filter((a) => a.id.startsWith('platform:'));
    expect(platforms.length).toBe(5);
    for (const a of full.ledger.accounts)
      expect([a.id, lean.ledger.balanceOf(a.id)]).toEqual([a.id, fromJournal.get(a.id) ?? 0n]);
    expect(lean.ledger.accounts.length).toBe(full.ledger.accounts.length);
    expect(lean.ledger.totalBalance()).toBe(0n);
  });

  it('records the same platform rows and member-day summaries', () => {
    expect(lean.recorder.platform).toEqual(full.recorder.platform);
    expect(lean.recorder.memberDays).toEqual(full.recorder.memberDays);
  });
});
