/**
 * Near-duplicate videos by their frames, free of I/O. A re-encoded, resized or trimmed copy of a
 * video has a different poster frame more often than not, so the poster's dHash alone misses it.
 * Two videos are near-duplicates when most frames of the shorter one appear in the other, in the
 * same order: frames match at the photo rule's cosine, and the matches are counted along the
 * best order-keeping alignment (a longest common subsequence), so a trimmed copy matches, a
 * static scene matches whichever of its look-alike frames line up, and a video merely sharing
 * one shot with another does not.
 *
 * Comparing every pair of videos is quadratic in frames too, so candidates come from random
 * hyperplane hashing of the frame vectors, centred on their mean first: CLIP vectors share a large
 * common part (unrelated photos sit at cosine 0.5), which would put most frames in few buckets.
 * Centred, two frames at cosine 0.97 sit about 20° apart: they agree on one hyperplane with
 * probability 0.89, on a band of 16 with 0.16, and share one of 24 bands with 0.98, where unrelated
 * frames share a band with 0.00004. A pair is a candidate once two different frames of one video
 * share buckets with the other, as the alignment needs two matches anyway. Measured on
 * CLIP-shaped vectors: every pair of three or more frames found, 99% of two-frame pairs, and
 * 20,000 frames hashed and compared in about a second (the caller caches the answer).
 */
import { dot } from '../../vectors.ts';
import { NEAR_COSINE } from './duplicates.ts';

export interface VideoFrames {
  /** Frame vectors (unit length) in time order, each `dim` long. */
  vectors: Float32Array[];
}

/** Share of the shorter video's frames that must line up with the longer's. */
export const FRAME_COVERAGE = 0.8;
/** Below this many frames a video has too little to compare; its poster's rule applies alone. */
export const MIN_MATCHED_FRAMES = 2;

const BANDS = 24;
const BAND_BITS = 16;
/** A bucket shared by this many videos holds a degenerate look (black, flat colour): skipped. */
const MAX_BUCKET = 256;
/** Bucket entries pack (video, frame) as video * FRAME_SLOTS + frame; videos keep at most 64 frames. */
const FRAME_SLOTS = 128;

/** Non-zero coordinates of each hyperplane's normal: very sparse random projections (Li et al.). */
const PLANE_TERMS = 32;

/**
 * Deterministic hyperplanes (mulberry32), so a library groups the same way on every run. Each
 * normal has PLANE_TERMS coordinates of ±1, which keeps the sign test's angle sensitivity while
 * hashing a frame costs 384 × 32 additions instead of 384 × 512 multiplications.
 */
function hyperplanes(dim: number): { index: Uint16Array; sign: Int8Array } {
  let seed = 0x5eed1e55;
  const next = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const terms = BANDS * BAND_BITS * Math.min(PLANE_TERMS, dim);
  const index = new Uint16Array(terms);
  const sign = new Int8Array(terms);
  for (let k = 0; k < terms; k++) {
    index[k] = Math.floor(next() * dim);
    sign[k] = next() < 0.5 ? -1 : 1;
  }
  return { index, sign };
}

type Planes = ReturnType<typeof hyperplanes>;

/** The signed projections of `v` onto every hyperplane. */
function project(v: Float32Array, planes: Planes, perPlane: number): Float32Array {
  const { index, sign } = planes;
  const out = new Float32Array(BANDS * BAND_BITS);
  for (let p = 0, k = 0; p < out.length; p++) {
    let sum = 0;
    for (const end = k + perPlane; k < end; k++) sum += sign[k]! * v[index[k]!]!;
    out[p] = sum;
  }
  return out;
}

function meanOf(videos: readonly VideoFrames[], dim: number): Float32Array {
  const mean = new Float32Array(dim);
  let n = 0;
  for (const video of videos)
    for (const v of video.vectors) {
      for (let k = 0; k < dim; k++) mean[k]! += v[k]!;
      n++;
    }
  return n > 0 ? mean.map((x) => x / n) : mean;
}

/** One key per band (each band's keys apart from the others'), from projections centred on the mean's. */
function bandKeys(projected: Float32Array, centre: Float32Array): number[] {
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let key = 0;
    for (let bit = 0; bit < BAND_BITS; bit++) {
      const p = b * BAND_BITS + bit;
      if (projected[p]! >= centre[p]!) key |= 1 << bit;
    }
    keys.push(b * 2 ** BAND_BITS + key);
  }
  return keys;
}

/**
 * Pairs of videos (i < j) in which two different frames of video i share a bucket with frames of
 * video j: [i0, j0, i1, j1, …].
 */
export function frameCandidatePairs(videos: readonly VideoFrames[], dim: number): Int32Array {
  const planes = hyperplanes(dim);
  const perPlane = Math.min(PLANE_TERMS, dim);
  const centre = project(meanOf(videos, dim), planes, perPlane);
  /** Bucket → (video, frame) entries. */
  const buckets = new Map<number, number[]>();
  videos.forEach((video, i) => {
    video.vectors.slice(0, FRAME_SLOTS).forEach((v, f) => {
      for (const key of bandKeys(project(v, planes, perPlane), centre)) {
        const bucket = buckets.get(key);
        if (bucket) bucket.push(i * FRAME_SLOTS + f);
        else buckets.set(key, [i * FRAME_SLOTS + f]);
      }
    });
  });
  const n = videos.length;
  /** Pair key → the frames of its first video seen colliding (a second one makes it a candidate). */
  const firstFrame = new Map<number, number>();
  const out: number[] = [];
  for (const bucket of buckets.values()) {
    if (bucket.length < 2 || new Set(bucket.map((e) => Math.floor(e / FRAME_SLOTS))).size > MAX_BUCKET) continue;
    for (let x = 0; x < bucket.length; x++) {
      for (let y = x + 1; y < bucket.length; y++) {
        const [a, b] = bucket[x]! < bucket[y]! ? [bucket[x]!, bucket[y]!] : [bucket[y]!, bucket[x]!];
        const i = Math.floor(a / FRAME_SLOTS),
          j = Math.floor(b / FRAME_SLOTS);
        if (i === j) continue;
        const key = i * n + j;
        const seen = firstFrame.get(key);
        if (seen === undefined) firstFrame.set(key, a % FRAME_SLOTS);
        else if (seen >= 0 && seen !== a % FRAME_SLOTS) {
          firstFrame.set(key, -1);
          out.push(i, j);
        }
      }
    }
  }
  return Int32Array.from(out);
}

/**
 * How many frames of `a` line up with frames of `b` (at `NEAR_COSINE`), in order: each frame of
 * `a` maps to a frame of `b` no earlier than the previous one's. Several frames of `a` may map to
 * one of `b`, as two samples of one steady shot do when the videos were sampled at other times.
 */
export function alignedMatches(a: VideoFrames, b: VideoFrames, dim: number): number {
  const n = b.vectors.length;
  // best[j]: most frames of a so far that map into b's first j frames.
  const best = new Uint16Array(n + 1);
  for (const frame of a.vectors) {
    for (let j = 1; j <= n; j++) {
      const here = best[j]! + (dot(frame, 0, b.vectors[j - 1]!, 0, dim) >= NEAR_COSINE ? 1 : 0);
      best[j] = Math.max(here, best[j - 1]!);
    }
  }
  return best[n]!;
}

/**
 * Whether two videos are near-duplicates by their frames: most frames of one line up with the
 * other's (see the top of this file).
 */
export function sameFootage(a: VideoFrames, b: VideoFrames, dim: number): boolean {
  const contained = (x: VideoFrames, y: VideoFrames): boolean => {
    const n = x.vectors.length;
    if (n < MIN_MATCHED_FRAMES) return false;
    return alignedMatches(x, y, dim) >= Math.max(MIN_MATCHED_FRAMES, Math.ceil(FRAME_COVERAGE * n));
  };
  return contained(a, b) || contained(b, a);
}

/** Verified near-duplicate pairs of videos by their frames: [i0, j0, …] with i < j. */
export function videoDuplicatePairs(videos: readonly VideoFrames[], dim: number): Int32Array {
  const candidates = frameCandidatePairs(videos, dim);
  const out: number[] = [];
  for (let p = 0; p < candidates.length; p += 2) {
    const i = candidates[p]!,
      j = candidates[p + 1]!;
    if (sameFootage(videos[i]!, videos[j]!, dim)) out.push(i, j);
  }
  return Int32Array.from(out);
}
