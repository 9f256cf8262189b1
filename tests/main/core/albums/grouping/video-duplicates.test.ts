// Near-duplicate videos by their frames: the pure comparison, on vectors shaped like CLIP's.
import { describe, expect, it } from 'vitest';
import { NEAR_COSINE } from '#core/albums/grouping/duplicates.ts';
import {
  alignedMatches,
  frameCandidatePairs,
  sameFootage,
  videoDuplicatePairs,
} from '#core/albums/grouping/video-duplicates.ts';
import type { VideoFrames } from '#core/albums/grouping/video-duplicates.ts';
import { dot, normalise } from '#core/vectors.ts';

const DIM = 512;

function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

const next = gaussian(42);
const isotropic = (): Float32Array => normalise(Float32Array.from({ length: DIM }, next));
/**
 * CLIP vectors are not spread evenly: they share a large common part, and unrelated photos sit at
 * cosine 0.5 or so. Frames here do the same, so the hashing is tried on the hard case.
 */
const common = isotropic();
const randomUnit = (): Float32Array => {
  const own = isotropic();
  return normalise(own.map((x, i) => x + common[i]!));
};

/** `v` moved to cosine `c` with it, in a random direction: the same frame after re-encoding. */
function near(v: Float32Array, c: number): Float32Array {
  const r = isotropic();
  const along = dot(r, 0, v, 0, DIM);
  const ortho = normalise(r.map((x, i) => x - along * v[i]!));
  return normalise(v.map((x, i) => c * x + Math.sqrt(1 - c * c) * ortho[i]!));
}

const video = (vectors: Float32Array[]): VideoFrames => ({ vectors });
const shots = (n: number): Float32Array[] => Array.from({ length: n }, randomUnit);
const reencoded = (frames: Float32Array[]): Float32Array[] => frames.map((f) => near(f, 0.985));

describe('near-duplicate videos by their frames', () => {
  const original = shots(8);

  it('finds a re-encoded copy and a trimmed copy, whatever their posters', () => {
    expect(dot(original[0]!, 0, reencoded(original)[0]!, 0, DIM)).toBeGreaterThan(NEAR_COSINE);
    expect(sameFootage(video(original), video(reencoded(original)), DIM)).toBe(true);
    // The second half only, re-encoded: its first frame (the poster) is the original's fifth.
    expect(sameFootage(video(original), video(reencoded(original.slice(4))), DIM)).toBe(true);
    // One frame dropped or added by a different sampling still lines up.
    const resampled = [...original.slice(0, 3), ...original.slice(4), randomUnit()];
    expect(alignedMatches(video(original), video(resampled), DIM)).toBe(7);
    expect(sameFootage(video(original), video(resampled), DIM)).toBe(true);
  });

  it('leaves out videos that only share a shot, run backwards, or differ', () => {
    const sharesTwo = [original[1]!, original[2]!, ...shots(6)];
    expect(alignedMatches(video(original), video(sharesTwo), DIM)).toBe(2);
    expect(sameFootage(video(original), video(sharesTwo), DIM)).toBe(false);
    expect(sameFootage(video(original), video([...original].reverse()), DIM)).toBe(false);
    expect(sameFootage(video(original), video(shots(8)), DIM)).toBe(false);
    // Frames that are alike but not the same (cosine 0.9: the same kind of scene) do not match.
    expect(sameFootage(video(original), video(original.map((f) => near(f, 0.9))), DIM)).toBe(false);
    // One frame is too little to tell footage apart: the poster rule alone decides those.
    expect(sameFootage(video(original.slice(0, 1)), video(original), DIM)).toBe(false);
  });

  it('finds every true pair among many videos by hashing frames, and only checks a few others', () => {
    const library: VideoFrames[] = [];
    const truePairs = new Set<string>();
    for (let k = 0; k < 150; k++) {
      const frames = shots(2 + (k % 5));
      library.push(video(frames));
      library.push(video(reencoded(frames)));
      truePairs.add(`${2 * k},${2 * k + 1}`);
    }
    for (let k = 0; k < 300; k++) library.push(video(shots(1 + (k % 8))));
    expect(dot(library[0]!.vectors[0]!, 0, library[2]!.vectors[0]!, 0, DIM)).toBeCloseTo(0.5, 1);
    const pairs = videoDuplicatePairs(library, DIM);
    const found = new Set<string>();
    for (let p = 0; p < pairs.length; p += 2) found.add(`${pairs[p]},${pairs[p + 1]}`);
    expect(found).toEqual(truePairs);
    // Candidates are the hashing's only cost beyond the frames: unrelated videos rarely collide.
    const candidates = frameCandidatePairs(library, DIM).length / 2;
    expect(candidates).toBeLessThan(truePairs.size * 2);
  });
});
