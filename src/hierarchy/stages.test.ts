// Intraday and real-time stages in the engine: intraday trading lowers imbalance, each stage's ledger sums to zero.
import { describe, expect, it } from 'vitest';
import { createCoordination } from '../coordination/index.ts';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../studies/system/index.ts';
import { simulateSystem } from './engine.ts';
import type { SimulationConfigInput } from './simulation-config.ts';

const run = async (simulation: SimulationConfigInput) => {
  const study = buildDefaultSystemStudy({ households: 6, seed: 3 });
  const model = resolveSystemStudy({ ...study, simulation: { ...study.simulation, ...simulation } });
  return simulateSystem(model, { coordination: createCoordination('none'), recordProsumers: false });
};

/** The stage a transaction belongs to, from its id (`day/<owner>/<kind>/…`). */
function stageOf(id: string): string {
  if (id.includes('/tso/')) return id.split('/')[2];
  if (id.includes('/intraday/')) return 'intraday';
  if (id.includes('/balancing/') || id.includes('/imbalance/')) return 'real-time';
  if (id.includes('/p2p/') || id.includes('/platform-fee/')) return 'day-ahead';
  return 'settlement';
}

describe('intraday and real-time stages', async () => {
  const dayAheadOnly = await run({ intraday: { trading: false }, balancing: { enabled: false } });
  const intraday = await run({ intraday: { trading: true }, balancing: { enabled: false } });
  const full = await run({});
  const absImbalance = (r: typeof full) =>
    r.recorder.platform.reduce((a, p) => a + Math.abs(p.imbalanceKwh), 0);

  it('intraday trading lowers the platforms’ imbalance against day-ahead only on the seeded forecast errors', () => {
    const before = absImbalance(dayAheadOnly);
    expect(before).toBeGreaterThan(1);
    expect(absImbalance(intraday)).toBeLessThan(0.5 * before);
    // Balancing acts only where it lowers the interval's imbalance.
    expect(absImbalance(full)).toBeLessThanOrEqual(absImbalance(intraday) + 1e-9);
    expect(full.ledger.transactions.some((t) => t.id.includes('/intraday/p2p/'))).toBe(true);
  });

  it('updates the platform position: imbalance = (intraday position − actual import) × interval', () => {
    const dt = 0.25;
    for (const p of full.recorder.platform)
      expect(p.imbalanceKwh).toBeCloseTo((p.intradayImportKw - p.actualImportKw) * dt, 6);
  });

  it('books every stage in the ledger, each stage summing to exactly zero', () => {
    for (const r of [dayAheadOnly, full]) {
      const sums = new Map<string, bigint>();
      for (const t of r.ledger.transactions) {
        const s = stageOf(t.id);
        sums.set(s, (sums.get(s) ?? 0n) + t.postings.reduce((a, p) => a + p.amountMicroEur, 0n));
      }
      for (const s of ['day-ahead', 'real-time', 'settlement', 'intraday']) expect(sums.get(s)).toBe(0n);
    }
  });

  it('moves money between the right parties in each stage', () => {
    const micro = (v: bigint) => Number(v) / 1e6;
    for (const t of full.ledger.transactions) {
      const accounts = t.postings.map((p) => p.accountId.split(':')[0]);
      const byKind = (kind: string) =>
        t.postings
          .filter((p) => p.accountId.startsWith(kind))
          .reduce((a, p) => a + micro(p.amountMicroEur), 0);
      if (t.id.includes('/intraday/p2p/')) {
        // Members pay members: only prosumer accounts (and the rounding residual).
        expect(accounts.every((a) => a === 'prosumer' || a === 'rounding-residual')).toBe(true);
        expect(Math.abs(byKind('prosumer:'))).toBeLessThanOrEqual(1e-5);
      }
      if (t.id.includes('/balancing/')) expect(byKind('platform:') + byKind('prosumer:')).toBeCloseTo(0, 5);
    }
    // The residual imbalance at dual prices λ ± δ (δ = 50 EUR/MWh by default), recomputed from the platform rows.
    const delta = 0.05;
    let checked = 0;
    for (const p of full.recorder.platform) {
      const k = Math.round((Date.parse(p.timeUtc) % 86_400_000) / 900_000);
      const t = full.ledger.transactions.find(
        (x) => x.id === `${p.timeUtc.slice(0, 10)}/${p.platform}/imbalance/${k}`,
      );
      if (p.imbalanceKwh === 0) {
        expect(t).toBeUndefined();
        continue;
      }
      const price = p.imbalanceKwh > 0 ? p.wholesaleEurPerKwh - delta : p.wholesaleEurPerKwh + delta;
      const platformLeg = t!.postings.find((x) => x.accountId === `platform:${p.platform}`)!;
      expect(micro(platformLeg.amountMicroEur)).toBeCloseTo(p.imbalanceKwh * p.replicas * price, 5);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
