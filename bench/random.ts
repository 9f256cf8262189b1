// The benchmark's one seeded random source: generated models, photos and vectors are the same on
// every machine and every run, so numbers compare.

/** mulberry32: tiny, fast, and plenty for data whose only job is a realistic cost. Yields uint32s. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform in [0, 1). */
export function uniform01(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}
