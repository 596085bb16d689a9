// Architecture comparison: welfare gaps per seed, mean and sample sd over seeds, table and charts (hand values).
import { describe, expect, it } from 'vitest';
import {
  type ComparisonInput,
  comparisonCharts,
  comparisonMarkdown,
  summariseComparison,
  withWelfareGaps,
} from './comparison.ts';

const run = (coordination: string, seed: number, welfareEur: number, lvV: number): ComparisonInput => ({
  coordination,
  seed,
  welfareEur,
  lvVoltageViolationIntervals: lvV,
  lvThermalViolationIntervals: 0,
  mvViolationIntervals: 0,
  lossesMwh: 1,
  messages: 10,
  coordinationMessages: coordination === 'negotiation' ? 4 : 0,
  bytes: 100,
  wallS: 1,
  interPlatformSettlementEur: 0,
});

// Seed 1: W_c = −1000, none −1010 → gap 1 %; seed 2: W_c = −2000, none −2040 → gap 2 %. Mean 1.5, sd √0.5.
const rows = withWelfareGaps([
  run('centralised', 1, -1000, 2),
  run('none', 1, -1010, 5),
  run('centralised', 2, -2000, 4),
  run('none', 2, -2040, 9),
  run('mpc', 3, -500, 1),
]);

describe('architecture comparison', () => {
  it('measures each run against the same seed’s centralised run', () => {
    expect(rows.find((r) => r.coordination === 'none' && r.seed === 1)!.welfareGapPct).toBeCloseTo(1, 12);
    expect(rows.find((r) => r.coordination === 'none' && r.seed === 2)!.welfareGapPct).toBeCloseTo(2, 12);
    expect(rows.find((r) => r.coordination === 'centralised')!.welfareGapPct).toBe(0);
    expect(rows.find((r) => r.coordination === 'mpc')!.welfareGapPct).toBeNull();
  });

  it('gives mean and sample standard deviation over seeds', () => {
    const none = summariseComparison(rows).find((s) => s.coordination === 'none')!;
    expect(none.seeds).toBe(2);
    expect(none.cells.welfareGapPct.mean).toBeCloseTo(1.5, 12);
    expect(none.cells.welfareGapPct.sd).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(none.cells.lvVoltageViolationIntervals.mean).toBe(7);
    expect(none.cells.lvVoltageViolationIntervals.sd).toBeCloseTo(Math.SQRT2 * 2, 12);
    const mpc = summariseComparison(rows).find((s) => s.coordination === 'mpc')!;
    expect(mpc.cells.welfareGapPct).toEqual({ mean: null, sd: null });
    expect(mpc.cells.lvVoltageViolationIntervals).toEqual({ mean: 1, sd: 0 });
  });

  it('renders a Markdown row per coordination and one SVG chart per metric', () => {
    const table = comparisonMarkdown(summariseComparison(rows));
    expect(table.split('\n')).toHaveLength(2 + 3);
    expect(table).toContain('| none | 1.500 ± 0.707 | 7.0 ± 2.8 |');
    const charts = comparisonCharts(rows);
    expect(charts.map((c) => c.name)).toContain('welfareGapPct');
    expect(charts.every((c) => c.svg.startsWith('<svg'))).toBe(true);
  });
});
