/**
 * Reproducible randomness for tests: the same seed gives the same data, so a failure can be
 * replayed. Tests print the seed in their assertion messages; `CERTDESK_TEST_SEED=<n>` replays a
 * run (or explores another one), and without it every run uses the test's own fixed seed.
 */

/** The seed to use: `CERTDESK_TEST_SEED` when set (an unsigned 32-bit integer), else `fallback`. */
export function testSeed(fallback: number): number {
  const given = process.env['CERTDESK_TEST_SEED'];
  if (given === undefined || given === '') return fallback >>> 0;
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error(`CERTDESK_TEST_SEED must be an integer from 0 to 4294967295, not ${given}`);
  return seed;
}

/** mulberry32: small, fast, reproducible; numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded source of the things tests draw: integers in [min, max] and byte buffers. */
export interface SeededRandom {
  readonly seed: number;
  next(): number;
  int(min: number, max: number): number;
  bytes(length: number): Buffer;
}

export function seededRandom(seed: number): SeededRandom {
  const next = mulberry32(seed);
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    bytes: (length) => {
      const out = Buffer.alloc(length);
      for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
  };
}
