// Unreliable transport: seeded loss rate, delays bounded by maxDelaySteps, reordering, reproducible deliveries.
import { describe, expect, it } from 'vitest';
import { createInProcessTransport } from './in-process-transport.ts';
import type { MessageBody } from './messages.ts';
import { createUnreliableTransport } from './unreliable-transport.ts';

const body = (phase: string): MessageBody => ({
  type: 'stage',
  stage: 'day-ahead',
  phase,
  dayStartUtc: '2024-04-15T00:00:00.000Z',
});
const at = (s: number) => new Date(Date.parse('2024-04-14T10:00:00Z') + s * 1000).toISOString();

async function run(lossProbability: number, maxDelaySteps: number, seed: number, count: number) {
  const inner = createInProcessTransport();
  const t = createUnreliableTransport(inner, { lossProbability, maxDelaySteps, stepMs: 1000, seed });
  const seen: { phase: string; step: number }[] = [];
  let step = 0;
  t.subscribe('b', (e) => {
    if (e.body.type === 'stage') seen.push({ phase: e.body.phase, step });
  });
  t.setClock(at(0));
  for (let i = 0; i < count; i++) t.send('a', 'b', body(String(i)));
  await t.drain();
  for (step = 1; step <= maxDelaySteps + 1; step++) {
    t.setClock(at(step));
    await t.drain();
  }
  return { seen, counts: t.counts() };
}

describe('unreliable transport', () => {
  it('delivers everything in order at once without loss or delay', async () => {
    const { seen, counts } = await run(0, 0, 1, 20);
    expect(seen.map((s) => s.phase)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(counts).toEqual({ sent: 20, lost: 0, held: 0 });
  });

  it('loses about the given share (binomial: 1000 × 0.1 ± 5σ = ±47) and delivers the rest', async () => {
    const { seen, counts } = await run(0.1, 0, 2, 1000);
    expect(Math.abs(counts.lost - 100)).toBeLessThan(47);
    expect(seen.length + counts.lost).toBe(1000);
  });

  it('delays by at most maxDelaySteps, reorders, and repeats itself for one seed', async () => {
    const a = await run(0, 2, 3, 300);
    expect(a.seen.length).toBe(300);
    expect(Math.max(...a.seen.map((s) => s.step))).toBe(2);
    const delayed = a.seen.filter((s) => s.step > 0).length;
    // Uniform over {0, 1, 2}: two thirds are late (200 ± 5σ = ±41).
    expect(Math.abs(delayed - 200)).toBeLessThan(41);
    const order = a.seen.map((s) => Number(s.phase));
    expect(order).not.toEqual([...order].sort((x, y) => x - y));
    expect((await run(0, 2, 3, 300)).seen).toEqual(a.seen);
  });
});
