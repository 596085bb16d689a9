// rl training fitness: the reward against `none` and its admissibility, by hand.
import { describe, expect, it } from 'vitest';
import { type RunScore, scoreAgainst, VIOLATION_PENALTY_EUR, violationIntervals } from './rl-training.ts';

const score = (welfareEur: number, lvV: number, lvT: number, mv: number): RunScore => ({
  welfareEur,
  lvVoltageViolationIntervals: lvV,
  lvThermalViolationIntervals: lvT,
  mvViolationIntervals: mv,
});

describe('rl training fitness', () => {
  const none = score(-1000, 5, 3, 2);

  it('rewards welfare gained and violations avoided, at 10 EUR per interval', () => {
    expect(VIOLATION_PENALTY_EUR).toBe(10);
    expect(violationIntervals(none)).toBe(10);
    // +5 EUR welfare, 2 intervals fewer: 5 + 10·2 = 25 EUR, no worse on any criterion.
    expect(scoreAgainst(none, score(-995, 4, 3, 1))).toEqual({ rewardEur: 25, admissible: true });
    // +30 EUR welfare but 2 intervals more: 30 − 20 = 10 EUR, yet not admissible (more violations than none).
    expect(scoreAgainst(none, score(-970, 6, 4, 2))).toEqual({ rewardEur: 10, admissible: false });
    // Fewer violations at lower welfare: not admissible either; none itself is (reward 0).
    expect(scoreAgainst(none, score(-1001, 2, 2, 1)).admissible).toBe(false);
    expect(scoreAgainst(none, none)).toEqual({ rewardEur: 0, admissible: true });
  });

  it('does not let fewer violations of one kind buy more of another', () => {
    // 3 LV voltage intervals fewer, 1 overload more: total −2 (reward 1 + 20 = 21 EUR) but not admissible.
    expect(scoreAgainst(none, score(-999, 2, 4, 2))).toEqual({ rewardEur: 21, admissible: false });
    // Each kind no worse: admissible.
    expect(scoreAgainst(none, score(-999, 2, 3, 2)).admissible).toBe(true);
    expect(scoreAgainst(none, score(-999, 5, 3, 3)).admissible).toBe(false);
  });
});
