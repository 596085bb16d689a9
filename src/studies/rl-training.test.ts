// rl training fitness: the reward against `none` and its admissibility, by hand.
import { describe, expect, it } from 'vitest';
import { scoreAgainst, VIOLATION_PENALTY_EUR } from './rl-training.ts';

describe('rl training fitness', () => {
  const none = { welfareEur: -1000, violationIntervals: 10 };

  it('rewards welfare gained and violations avoided, at 10 EUR per interval', () => {
    expect(VIOLATION_PENALTY_EUR).toBe(10);
    // +5 EUR welfare, 2 intervals fewer: 5 + 10·2 = 25 EUR, no worse on either criterion.
    expect(scoreAgainst(none, { welfareEur: -995, violationIntervals: 8 })).toEqual({
      rewardEur: 25,
      admissible: true,
    });
    // +30 EUR welfare but 2 intervals more: 30 − 20 = 10 EUR, yet not admissible (more violations than none).
    expect(scoreAgainst(none, { welfareEur: -970, violationIntervals: 12 })).toEqual({
      rewardEur: 10,
      admissible: false,
    });
    // Fewer violations at lower welfare: not admissible either; none itself is (reward 0).
    expect(scoreAgainst(none, { welfareEur: -1001, violationIntervals: 5 }).admissible).toBe(false);
    expect(scoreAgainst(none, none)).toEqual({ rewardEur: 0, admissible: true });
  });
});
