// Tests of the UTC time index and energy-conserving resampling with hand-computed values.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { dailyProfileOnIndex, resampleEnergy, resamplePower } from './resample.ts';
import { createTimeIndex, dayTimeIndex, intervalStartUtc, minuteOfDayUtc, positionOf } from './time-index.ts';

describe('time index', () => {
  it('normalises offsets to UTC and addresses intervals', () => {
    const index = createTimeIndex({ startUtc: '2024-03-31T02:00:00+02:00', stepMin: 30, length: 48 });
    expect(index.startUtc).toBe('2024-03-31T00:00:00.000Z');
    expect(intervalStartUtc(index, 3)).toBe('2024-03-31T01:30:00.000Z');
    expect(positionOf(index, '2024-03-31T07:00:00Z')).toBe(14);
    expect(minuteOfDayUtc(index, 47)).toBe(1410);
  });

  it('a DST day is just 46 half-hours in UTC (Europe/London spring forward)', () => {
    // Local 2024-03-31 00:00 GMT = 00:00Z; local 2024-04-01 00:00 BST = 2024-03-31T23:00Z → 23 h = 46 steps.
    const hours = (Date.parse('2024-03-31T23:00:00Z') - Date.parse('2024-03-31T00:00:00Z')) / 3.6e6;
    const index = createTimeIndex({ startUtc: '2024-03-31T00:00:00Z', stepMin: 30, length: hours * 2 });
    expect(index.length).toBe(46);
  });

  it('rejects a start without a zone, naming the field', () => {
    try {
      createTimeIndex({ startUtc: '2024-01-01T00:00:00', stepMin: 30, length: 2 }, ['time']);
      expect.fail('should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues[0].path).toEqual(['time', 'startUtc']);
    }
  });
});

describe('resampling conserves energy', () => {
  const minute = dayTimeIndex('2024-06-01', 1);
  const half = dayTimeIndex('2024-06-01', 30);
  it('averages 1-min power into 30-min power', () => {
    const p = Float64Array.from({ length: 1440 }, (_, k) => (k < 30 ? k : 0)); // 0..29 kW in the first half-hour
    const out = resamplePower(p, minute, half);
    expect(out[0]).toBeCloseTo(14.5, 12); // mean of 0..29
    expect(out[1]).toBe(0);
  });
  it('repeats power when refining and conserves energy for a non-integer ratio (20 → 30 min)', () => {
    const refined = resamplePower(
      Float64Array.of(4, 8),
      dayTimeIndex('2024-06-01', 720),
      dayTimeIndex('2024-06-01', 360),
    );
    expect([...refined]).toEqual([4, 4, 8, 8]);
    const from = createTimeIndex({ startUtc: '2024-06-01T00:00:00Z', stepMin: 20, length: 3 });
    const to = createTimeIndex({ startUtc: '2024-06-01T00:00:00Z', stepMin: 30, length: 2 });
    // [3, 6, 9] kW over 20 min each → first 30 min: (3·20 + 6·10)/30 = 4; second: (6·10 + 9·20)/30 = 8.
    expect([...resamplePower(Float64Array.of(3, 6, 9), from, to)]).toEqual([4, 8]);
    // energies: 1, 2, 3 kWh → 2, 4 kWh (total 6 kWh conserved).
    const e = resampleEnergy(Float64Array.of(1, 2, 3), from, to);
    expect(e[0]).toBeCloseTo(2, 12);
    expect(e[1]).toBeCloseTo(4, 12);
  });
  it('maps a daily profile onto an index that starts mid-day, wrapping midnight', () => {
    const profile = Float64Array.from({ length: 24 }, (_, h) => h);
    const index = createTimeIndex({ startUtc: '2024-06-01T22:00:00Z', stepMin: 120, length: 2 });
    const out = dailyProfileOnIndex(profile, 60, index);
    expect([...out]).toEqual([22.5, 0.5]);
  });
});
