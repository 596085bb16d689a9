// A synthetic hourly year of load, PV and heating profiles and its reduction to representative days by k-medoids.
import { createRandom } from '../numeric/random.ts';

/** One day's profiles, each `steps` long: load multiplier (peak ≈ 1), PV output per kWp (kW/kWp), heating 0–1. */
export interface DayProfiles {
  readonly loadPu: Float64Array;
  readonly pvKwPerKwp: Float64Array;
  readonly heatingPu: Float64Array;
}

export interface RepresentativeDay extends DayProfiles {
  /** Day of the year (0–364) of the medoid, and how many days of the year it stands for. */
  readonly dayOfYear: number;
  readonly weightDays: number;
}

const HOURS = 24;
const DAYS = 365;
/** Residential evening-peak shape (per unit of the daily peak), hour 0–23. */
const LOAD_SHAPE = [
  0.45, 0.4, 0.38, 0.37, 0.38, 0.45, 0.6, 0.72, 0.7, 0.62, 0.58, 0.57, 0.58, 0.56, 0.55, 0.58, 0.66, 0.8,
  0.95, 1, 0.95, 0.85, 0.7, 0.55,
];

/**
 * A deterministic synthetic year (365 × 24 h): load with a winter peak (±15 %) and daily noise, PV as a sine bell
 * between sunrise and sunset whose length and height follow the season (clear-sky peak 0.85 kW/kWp in June) times
 * a daily cloudiness draw, heating demand from a seasonal temperature with daily noise (0 above 15 °C).
 */
export function createSyntheticYear(seed: number): DayProfiles[] {
  const rng = createRandom(seed);
  const year: DayProfiles[] = [];
  for (let d = 0; d < DAYS; d++) {
    const season = Math.cos((2 * Math.PI * (d - 172)) / DAYS); // +1 mid-summer, −1 mid-winter
    const loadLevel = (1 - 0.15 * season) * (0.92 + 0.08 * rng.next());
    const cloud = 0.35 + 0.65 * rng.next();
    const dayLengthH = 12 + 4 * season;
    const sunrise = 12.5 - dayLengthH / 2;
    const temperatureC = 10 + 9 * season + 4 * (rng.next() - 0.5);
    const heating = Math.max(0, (15 - temperatureC) / 20);
    const loadPu = new Float64Array(HOURS);
    const pvKwPerKwp = new Float64Array(HOURS);
    const heatingPu = new Float64Array(HOURS);
    for (let h = 0; h < HOURS; h++) {
      loadPu[h] = (LOAD_SHAPE[h] * loadLevel) / 1.15;
      const x = (h + 0.5 - sunrise) / dayLengthH;
      pvKwPerKwp[h] = x > 0 && x < 1 ? 0.85 * (0.55 + 0.45 * season) * cloud * Math.sin(Math.PI * x) : 0;
      const nightBoost = h < 7 || h > 20 ? 1 : 0.8;
      heatingPu[h] = Math.min(1, heating * nightBoost);
    }
    year.push({ loadPu, pvKwPerKwp, heatingPu });
  }
  return year;
}

/** Average consecutive hours into `steps` blocks per day (24 must be a multiple of steps). */
export function aggregateDay(day: DayProfiles, steps: number): DayProfiles {
  const block = HOURS / steps;
  const average = (values: Float64Array) =>
    Float64Array.from({ length: steps }, (_, s) => {
      let sum = 0;
      for (let h = s * block; h < (s + 1) * block; h++) sum += values[h];
      return sum / block;
    });
  return {
    loadPu: average(day.loadPu),
    pvKwPerKwp: average(day.pvKwPerKwp),
    heatingPu: average(day.heatingPu),
  };
}

const features = (day: DayProfiles): number[] => [...day.loadPu, ...day.pvKwPerKwp, ...day.heatingPu];

/**
 * k-medoids (Voronoi iteration, Park & Jun 2009) on the days' concatenated profiles with squared Euclidean
 * distance, started from a farthest-point sweep that begins at the day closest to the annual mean. Returns the
 * medoid days sorted by day of year, each weighted by its cluster size (weights sum to the number of days).
 */
export function selectRepresentativeDays(year: readonly DayProfiles[], k: number): RepresentativeDay[] {
  const points = year.map(features);
  const n = points.length;
  const distance = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + (v - b[i]) ** 2, 0);
  const mean = points[0].map((_, j) => points.reduce((s, p) => s + p[j], 0) / n);
  const medoids = [argMin(n, (i) => distance(points[i], mean))];
  while (medoids.length < Math.min(k, n)) {
    medoids.push(argMin(n, (i) => -Math.min(...medoids.map((m) => distance(points[i], points[m])))));
  }
  let assignment = new Int32Array(n);
  for (let iteration = 0; iteration < 100; iteration++) {
    assignment = Int32Array.from(points, (p) =>
      argMin(medoids.length, (c) => distance(p, points[medoids[c]])),
    );
    let isChanged = false;
    for (let c = 0; c < medoids.length; c++) {
      const members = [...assignment.keys()].filter((i) => assignment[i] === c);
      const best =
        members[
          argMin(members.length, (a) =>
            members.reduce((s, b) => s + distance(points[members[a]], points[b]), 0),
          )
        ];
      if (best !== medoids[c]) {
        medoids[c] = best;
        isChanged = true;
      }
    }
    if (!isChanged) break;
  }
  return medoids
    .map((m, c) => ({ ...year[m], dayOfYear: m, weightDays: assignment.filter((a) => a === c).length }))
    .sort((a, b) => a.dayOfYear - b.dayOfYear);
}

function argMin(count: number, value: (i: number) => number): number {
  let best = 0;
  let bestValue = Number.POSITIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const v = value(i);
    if (v < bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}
