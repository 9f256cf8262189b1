/**
 * Near-duplicate detection, free of I/O. Two photos are near-duplicates when their CLIP vectors
 * agree (cosine ≥ 0.97: the same scene, not merely the same kind of scene) and their dHashes
 * differ in at most 6 of 64 bits (the same pixels, give or take re-encoding and resizing). Either
 * alone is not enough: two beach sunsets embed alike, and flat or dark pictures share a dHash.
 *
 * Comparing every pair is quadratic, so candidates come from the dHash alone: cut into 7
 * disjoint bands, two hashes within 6 bits must agree exactly on at least one band (pigeonhole),
 * so bucketing by each band finds every close pair and only those share a bucket by chance.
 */
export const NEAR_COSINE = 0.97;
export const NEAR_HAMMING = 6;

const BAND_STARTS = [0, 10, 19, 28, 37, 46, 55] as const;
const BAND_BITS = [10, 9, 9, 9, 9, 9, 9] as const;
const BANDS = BAND_STARTS.length;
/**
 * A bucket this crowded holds a degenerate hash (blank frames, flat colour) that thousands of
 * unrelated photos share: it is skipped for that band rather than compared pairwise.
 */
const MAX_BUCKET = 4096;

export interface DhashColumns {
  hi: Uint32Array;
  lo: Uint32Array;
  /** 0 where the photo has no dHash yet: it takes part only in exact (same content) groups. */
  known: Uint8Array;
}

export function parseDhash(hex: string): [number, number] | null {
  if (!/^[0-9a-f]{16}$/.test(hex)) return null;
  return [parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8), 16) >>> 0];
}

export function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function band(hi: number, lo: number, start: number, bits: number): number {
  const mask = (1 << bits) - 1;
  if (start + bits <= 32) return (lo >>> start) & mask;
  if (start >= 32) return (hi >>> (start - 32)) & mask;
  return ((lo >>> start) | (hi << (32 - start))) & mask;
}

function bandKeys(d: DhashColumns, n: number): Uint16Array {
  const keys = new Uint16Array(n * BANDS);
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < BANDS; b++) keys[i * BANDS + b] = band(d.hi[i]!, d.lo[i]!, BAND_STARTS[b]!, BAND_BITS[b]!);
  }
  return keys;
}

/** Items of each bucket of one band, bucket after bucket (a counting sort over the band's values). */
function bucketsOf(
  keys: Uint16Array,
  d: DhashColumns,
  n: number,
  b: number,
): { order: Int32Array; starts: Uint32Array } {
  const size = 1 << BAND_BITS[b]!;
  const starts = new Uint32Array(size + 1);
  for (let i = 0; i < n; i++) if (d.known[i] === 1) starts[keys[i * BANDS + b]! + 1]!++;
  for (let k = 0; k < size; k++) starts[k + 1]! += starts[k]!;
  const fill = starts.slice(0, size);
  const order = new Int32Array(starts[size]!);
  for (let i = 0; i < n; i++) if (d.known[i] === 1) order[fill[keys[i * BANDS + b]!]!++] = i;
  return { order, starts };
}

/** Every pair (i < j) within `maxDistance` bits, found once each: [i0, j0, i1, j1, …]. */
export function dhashPairs(d: DhashColumns, n: number, maxDistance = NEAR_HAMMING): Int32Array {
  if (maxDistance >= BANDS) throw new Error(`dhashPairs: ${BANDS} bands find pairs up to ${BANDS - 1} bits apart`);
  const keys = bandKeys(d, n);
  const out: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    const { order, starts } = bucketsOf(keys, d, n, b);
    for (let k = 0; k + 1 < starts.length; k++) {
      const from = starts[k]!,
        to = starts[k + 1]!;
      if (to - from < 2 || to - from > MAX_BUCKET) continue;
      for (let x = from; x < to; x++) {
        const i = order[x]!;
        for (let y = x + 1; y < to; y++) {
          const j = order[y]!;
          if (popcount32(d.hi[i]! ^ d.hi[j]!) + popcount32(d.lo[i]! ^ d.lo[j]!) > maxDistance) continue;
          // A pair that shares an earlier band was found there already.
          let earlier = false;
          for (let e = 0; e < b && !earlier; e++) earlier = keys[i * BANDS + e] === keys[j * BANDS + e];
          if (!earlier) out.push(Math.min(i, j), Math.max(i, j));
        }
      }
    }
  }
  return Int32Array.from(out);
}

export class UnionFind {
  readonly parent: Int32Array;

  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }

  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r]!;
    for (let x = i; this.parent[x] !== r;) {
      const next = this.parent[x]!;
      this.parent[x] = r;
      x = next;
    }
    return r;
  }

  union(a: number, b: number): void {
    const ra = this.find(a),
      rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Items joined by verified near-duplicate pairs, as groups of two or more item indices.
 * `cosine(i, j)` returns null when a vector is unknown (the pair is then not joined). `joined`
 * holds pairs already verified another way (videos by their frames).
 */
export function nearDuplicateGroups(
  d: DhashColumns,
  n: number,
  cosine: (i: number, j: number) => number | null,
  pairs = dhashPairs(d, n),
  joined: Int32Array = new Int32Array(0),
): number[][] {
  const uf = new UnionFind(n);
  for (let p = 0; p < pairs.length; p += 2) {
    const i = pairs[p]!,
      j = pairs[p + 1]!;
    const c = cosine(i, j);
    if (c !== null && c >= NEAR_COSINE) uf.union(i, j);
  }
  for (let p = 0; p < joined.length; p += 2) uf.union(joined[p]!, joined[p + 1]!);
  // Only items named in a pair can be in a group: no pass over all n.
  const groups = new Map<number, Set<number>>();
  for (const i of [...pairs, ...joined]) {
    const r = uf.find(i);
    if (r === i) continue;
    const g = groups.get(r);
    if (g) g.add(i);
    else groups.set(r, new Set([r, i]));
  }
  return [...groups.values()].map((g) => [...g].sort((a, b) => a - b));
}

export interface KeepCandidate {
  width: number;
  height: number;
  size: number;
  date: number;
  mtime: number;
  path: string;
}

/** Which copy to keep first: most pixels, then the largest file, then the oldest, then by path. */
export function keepOrder(a: KeepCandidate, b: KeepCandidate): number {
  return (
    b.width * b.height - a.width * a.height ||
    b.size - a.size ||
    a.date - b.date ||
    a.mtime - b.mtime ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
}
