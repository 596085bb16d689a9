// Plane-of-array factors against hand-derived solar geometry (Duffie & Beckman eqs 1.6.1a, 1.6.2, 1.6.5, 2.15.1).
import { describe, expect, it } from 'vitest';
import {
  DIFFUSE_FRACTION,
  incidenceCosines,
  planeOfArrayDayFactors,
  planeOfArrayFactor,
  solarDeclinationDeg,
} from './pv-orientation.ts';

const RAD = Math.PI / 180;
const south = (tiltDeg: number) => ({ azimuthDeg: 180, tiltDeg, latitudeDeg: 51.5 });

describe('PV orientation', () => {
  it('declination: +23.45° at the June solstice (n = 172), 0 near the equinox (n = 81), −23.45° in December', () => {
    expect(solarDeclinationDeg(172)).toBeCloseTo(23.45, 2);
    expect(solarDeclinationDeg(81)).toBeCloseTo(0, 0);
    expect(solarDeclinationDeg(355)).toBeCloseTo(-23.45, 1);
  });

  it('a south module tilted at the latitude faces the equinox noon sun head-on', () => {
    const { cosIncidence, cosZenith } = incidenceCosines(south(51.5), 0, 0);
    expect(cosIncidence).toBeCloseTo(1, 12);
    expect(cosZenith).toBeCloseTo(Math.cos(51.5 * RAD), 12);
    // (1 − f_d)/cos 51.5° + f_d (1 + cos 51.5°)/2 = 0.7 × 1.60640 + 0.3 × 0.81126 = 1.36786.
    expect(planeOfArrayFactor(south(51.5), 0, 0)).toBeCloseTo(1.36786, 4);
  });

  it('a flat module sees exactly the horizontal irradiance, any orientation label', () => {
    for (const omega of [-60, -15, 0, 40])
      expect(planeOfArrayFactor({ azimuthDeg: 90, tiltDeg: 0, latitudeDeg: 51.5 }, 9.4, omega)).toBeCloseTo(
        1,
        12,
      );
  });

  it('an east wall gets only sky diffuse at noon, mirrors a west wall about noon, and nothing at night', () => {
    const east = { azimuthDeg: 90, tiltDeg: 90, latitudeDeg: 51.5 };
    const west = { azimuthDeg: 270, tiltDeg: 90, latitudeDeg: 51.5 };
    expect(planeOfArrayFactor(east, 0, 0)).toBeCloseTo(DIFFUSE_FRACTION / 2, 12);
    expect(planeOfArrayFactor(east, 10, -30)).toBeCloseTo(planeOfArrayFactor(west, 10, 30), 12);
    expect(planeOfArrayFactor(east, 10, -30)).toBeGreaterThan(planeOfArrayFactor(east, 10, 30));
    expect(planeOfArrayFactor(south(30), 0, 180)).toBe(0);
  });

  it('over a day, an east module out-produces a west one before noon and the reverse after', () => {
    const day = Date.UTC(2024, 3, 15);
    const east = planeOfArrayDayFactors({ azimuthDeg: 90, tiltDeg: 30, latitudeDeg: 51.5 }, day);
    const west = planeOfArrayDayFactors({ azimuthDeg: 270, tiltDeg: 30, latitudeDeg: 51.5 }, day);
    expect(east).toHaveLength(1440);
    expect(east[9 * 60]).toBeGreaterThan(west[9 * 60]);
    expect(west[15 * 60]).toBeGreaterThan(east[15 * 60]);
    // Mirror images about solar noon (minute k ↔ 1439 − k).
    expect(east[8 * 60]).toBeCloseTo(west[1439 - 8 * 60], 12);
  });
});
