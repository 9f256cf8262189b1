// `node bench/albums.ts [--photos N] [--concepts N] [--dim N] [--threads N] [--backend B]`: the two
// whole-library passes of albums, on synthetic data. Tagging: N random unit vectors scored against
// the concepts and the generic caption (through onnxruntime, or the JS product with --backend js;
// --backend both runs the two), then the calibrated decision, in the batches retag() uses. Duplicates: candidate pairs from N random 64-bit dHashes (with planted near-duplicates),
// each checked by cosine, grouped with union-find. Videos (--videos N, 10 frames each, every 10th
// a re-encoded copy of the one before): frame hashing, candidates and the order-keeping alignment.
// No I/O: LanceDB reads are not included.
// Each figure is printed with the CPU other processes used meanwhile (in cores): near 0 is clean.
import { parseArgs } from 'node:util';
import { dhashPairs, nearDuplicateGroups } from '../app/main/core/albums/grouping/duplicates.ts';
import type { DhashColumns } from '../app/main/core/albums/grouping/duplicates.ts';
import { videoDuplicatePairs } from '../app/main/core/albums/grouping/video-duplicates.ts';
import { ScorePool } from '../app/main/core/albums/tagging/score-pool.ts';
import type { ScoreBackend } from '../app/main/core/albums/tagging/score-pool.ts';
import { conceptStats, decideTags, scoreMatrix } from '../app/main/core/albums/tagging/tag-rule.ts';
import { ForeignCpu, waitForQuiet } from './machine.ts';
import { uniform01 } from './random.ts';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '100000' },
    concepts: { type: 'string', default: '300' },
    dim: { type: 'string', default: '512' },
    threads: { type: 'string' },
    backend: { type: 'string', default: 'onnxruntime' },
    videos: { type: 'string', default: '2000' },
    'quiet-wait': { type: 'string', default: '60' },
  },
});
const N = Number(values.photos);
const C = Number(values.concepts);
const D = Number(values.dim);
const BATCH = 2048;

const rand = uniform01(12345);

/** Rows of Gaussian-ish noise, L2-normalised like CLIP embeddings. */
function unitRows(rows: number, dim: number): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    let norm = 0;
    for (let k = 0; k < dim; k++) {
      const v = rand() + rand() + rand() - 1.5;
      out[i * dim + k] = v;
      norm += v * v;
    }
    const s = 1 / Math.sqrt(norm);
    for (let k = 0; k < dim; k++) out[i * dim + k]! *= s;
  }
  return out;
}

async function benchTagging(
  photos: Float32Array,
  concepts: Float32Array,
  pool: ScorePool,
): Promise<{ matrixMs: number; decideMs: number; tags: number }> {
  const sensitive = new Uint8Array(C);
  sensitive.fill(1, C - 3);
  const sample = scoreMatrix(photos.subarray(0, BATCH * D), BATCH, concepts, C + 1, D);
  const stats = conceptStats(sample, BATCH, C + 1);
  let matrixMs = 0,
    decideMs = 0,
    tags = 0;
  for (let start = 0; start < N; start += BATCH) {
    const n = Math.min(BATCH, N - start);
    const t0 = performance.now();
    const scores = await pool.score(photos.subarray(start * D, (start + n) * D), n, concepts, C + 1, D);
    const t1 = performance.now();
    for (const r of decideTags(scores, n, C, sensitive, stats)) tags += r.tags.length;
    decideMs += performance.now() - t1;
    matrixMs += t1 - t0;
  }
  return { matrixMs, decideMs, tags };
}

function benchDuplicates(photos: Float32Array): {
  ms: number;
  pairs: number;
  groups: number;
  planted: number;
  found: number;
} {
  const d: DhashColumns = { hi: new Uint32Array(N), lo: new Uint32Array(N), known: new Uint8Array(N).fill(1) };
  const planted: [number, number][] = [];
  for (let i = 0; i < N; i++) {
    // Every 100th photo is a re-encoded copy of the one before: a few dHash bits and a little noise.
    if (i % 100 === 99) {
      d.hi[i] = (d.hi[i - 1]! ^ (1 << (i % 32))) >>> 0;
      d.lo[i] = (d.lo[i - 1]! ^ (1 << ((i * 7) % 32))) >>> 0;
      let norm = 0;
      for (let k = 0; k < D; k++) {
        const v = photos[(i - 1) * D + k]! + (rand() - 0.5) * 0.01;
        photos[i * D + k] = v;
        norm += v * v;
      }
      for (let k = 0; k < D; k++) photos[i * D + k]! /= Math.sqrt(norm);
      planted.push([i - 1, i]);
    } else {
      d.hi[i] = (rand() * 2 ** 32) >>> 0;
      d.lo[i] = (rand() * 2 ** 32) >>> 0;
    }
  }
  const cosine = (i: number, j: number): number => {
    let s = 0;
    for (let k = 0; k < D; k++) s += photos[i * D + k]! * photos[j * D + k]!;
    return s;
  };
  const t0 = performance.now();
  const pairs = dhashPairs(d, N);
  const groups = nearDuplicateGroups(d, N, cosine, pairs);
  const ms = performance.now() - t0;
  const inGroup = new Map<number, number>();
  groups.forEach((g, gi) => {
    for (const i of g) inGroup.set(i, gi);
  });
  const found = planted.filter(([a, b]) => inGroup.has(a) && inGroup.get(a) === inGroup.get(b)).length;
  return { ms, pairs: pairs.length / 2, groups: groups.length, planted: planted.length, found };
}

/**
 * Videos of 10 frames whose frames share a common part (cosine 0.5 between unrelated ones, as
 * CLIP's do); every 10th is the one before with a little noise on each frame (a re-encode).
 */
function benchVideoDuplicates(videos: number): { ms: number; frames: number; planted: number; found: number } {
  const common = unitRows(1, D);
  const frame = (): Float32Array => {
    const v = unitRows(1, D).map((x, k) => x + common[k]!);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const list: { vectors: Float32Array[] }[] = [];
  for (let i = 0; i < videos; i++) {
    const prev = list[i - 1];
    if (i % 10 === 9 && prev) {
      list.push({
        vectors: prev.vectors.map((f) => {
          const v = f.map((x) => x + (rand() - 0.5) * 0.01);
          const n = Math.hypot(...v);
          return v.map((x) => x / n);
        }),
      });
    } else list.push({ vectors: Array.from({ length: 10 }, frame) });
  }
  const t0 = performance.now();
  const pairs = videoDuplicatePairs(list, D);
  const ms = performance.now() - t0;
  let found = 0;
  for (let p = 0; p < pairs.length; p += 2) if (pairs[p + 1]! % 10 === 9 && pairs[p + 1] === pairs[p]! + 1) found++;
  return { ms, frames: videos * 10, planted: Math.floor(videos / 10), found };
}

const quiet = async (): Promise<ForeignCpu> => {
  await waitForQuiet(Number(values['quiet-wait']) * 1000);
  return new ForeignCpu();
};
const others = (f: ForeignCpu): string => `others used ${f.cores()?.toFixed(2) ?? '?'} cores`;
console.log(`albums bench: ${N} photos, ${C} concepts, ${D}-d`);
const photos = unitRows(N, D);
const concepts = unitRows(C + 1, D);
const backends: ScoreBackend[] =
  values.backend === 'both' ? ['js', 'onnxruntime'] : [values.backend === 'js' ? 'js' : 'onnxruntime'];
for (const backend of backends) {
  for (const threads of values.threads !== undefined ? [Number(values.threads)] : [1, 2]) {
    const pool = ScorePool.create(threads, { backend });
    const used = await pool.backend();
    const foreign = await quiet();
    const tagging = await benchTagging(photos, concepts, pool);
    await pool.close();
    const total = tagging.matrixMs + tagging.decideMs;
    const rate = (N * (C + 1) * D) / (tagging.matrixMs / 1000) / 1e9;
    const label = `tagging (${used}), ${threads} thread${threads === 1 ? ' ' : 's'}:`.padEnd(33);
    console.log(
      `${label} ${(total / 1000).toFixed(2)} s  (matrix product ${(tagging.matrixMs / 1000).toFixed(2)} s = ${rate.toFixed(2)} G multiply-adds/s, decide ${(tagging.decideMs / 1000).toFixed(2)} s, ${tagging.tags} tags; ${others(foreign)})`,
    );
  }
}
const foreign = await quiet();
const dup = benchDuplicates(photos);
console.log(
  `${'duplicates:'.padEnd(33)} ${(dup.ms / 1000).toFixed(2)} s  (${dup.pairs} candidate pairs from dHash bands, ${dup.groups} groups; planted ${dup.planted}, found ${dup.found}; ${others(foreign)})`,
);
const videoForeign = await quiet();
const vdup = benchVideoDuplicates(Number(values.videos));
console.log(
  `${'duplicate videos by frames:'.padEnd(33)} ${(vdup.ms / 1000).toFixed(2)} s  (${vdup.frames} frames; planted ${vdup.planted}, found ${vdup.found}; ${others(videoForeign)})`,
);
