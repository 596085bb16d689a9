// Seeded pseudo-random numbers (no global state): xoshiro128** seeded by splitmix32, normal and log-normal draws.

/** A deterministic generator: `next()` returns a uniform number in [0, 1). */
export interface RandomSource {
  next(): number;
}

/**
 * xoshiro128** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number generators") with a 32-bit state
 * expanded from the seed by splitmix32. The same seed gives the same sequence on every platform.
 */
export function createRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  if ((a | b | c | d) === 0) a = 1;
  return {
    next(): number {
      const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      return result / 4294967296;
    },
  };
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** A plain uniform generator on [0, 1) for code that only needs draws, from the same seeded source. */
export function uniformGenerator(seed: number): () => number {
  const source = createRandom(seed);
  return () => source.next();
}

/** Uniform integer in [0, n). */
export const randomInt = (rng: RandomSource, n: number): number => Math.floor(rng.next() * n);

/** Standard normal draw (Box–Muller). */
export function randomNormal(rng: RandomSource): number {
  let u = rng.next();
  while (u <= 0) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Log-normal multiplier with mean 1 and log-standard deviation sigma: exp(σ·z − σ²/2). */
export const randomMeanOneLogNormal = (rng: RandomSource, sigma: number): number =>
  Math.exp(sigma * randomNormal(rng) - (sigma * sigma) / 2);

/** Derive an independent seed for a named sub-stream (e.g. one per household), so streams never overlap. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}
