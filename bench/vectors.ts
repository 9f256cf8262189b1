// Synthetic embeddings, regenerated from a seed rather than read back, so exact neighbours can
// be computed in memory for any cached table.
import { mulberry32 } from './random.ts';

export interface VectorSpec {
  /**
   * 'clustered': unit vectors around 1,000 random topic directions (cosine about 0.6 to their
   * topic), closer to real CLIP embeddings than uniform noise; 'uniform': random directions,
   * the hardest case for an approximate index.
   */
  kind: 'clustered' | 'uniform';
  count: number;
  seed: number;
}

const DIM = 512;
const TOPICS = 1000;
const TOPIC_SPREAD = 0.05;

function rng(seed: number): { uniform: () => number; normal: () => number } {
  const next = mulberry32(seed);
  // Never 0, so the logarithm below stays finite.
  const uniform = (): number => (next() + 0.5) / 4294967296;
  let spare: number | null = null;
  // Box-Muller, keeping the second value of each pair.
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const th = 2 * Math.PI * uniform();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
  return { uniform, normal };
}

function normalise(v: Float32Array): void {
  let sum = 0;
  for (const x of v) sum += x * x;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
}

/** `count` unit vectors of 512 dimensions, back to back. */
export function makeVectors(spec: VectorSpec): Float32Array {
  const out = new Float32Array(spec.count * DIM);
  // Topics come from a fixed seed so data and queries (other seeds) share the same topics.
  const topicRand = rng(0x70b1c);
  const topics = spec.kind === 'clustered' ? new Float32Array(TOPICS * DIM).map(() => topicRand.normal()) : null;
  if (topics) for (let t = 0; t < TOPICS; t++) normalise(topics.subarray(t * DIM, (t + 1) * DIM));
  const { uniform, normal } = rng(spec.seed);
  for (let i = 0; i < spec.count; i++) {
    const v = out.subarray(i * DIM, (i + 1) * DIM);
    if (topics) {
      const t = Math.floor(uniform() * TOPICS);
      for (let d = 0; d < DIM; d++) v[d] = topics[t * DIM + d]! + TOPIC_SPREAD * normal();
    } else {
      for (let d = 0; d < DIM; d++) v[d] = normal();
    }
    normalise(v);
  }
  return out;
}

/** Indices of the k rows most similar to `q` (dot product of unit vectors = cosine). */
export function topK(data: Float32Array, q: Float32Array, dim: number, k: number): number[] {
  const best: { i: number; s: number }[] = [];
  const rows = data.length / dim;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const off = r * dim;
    for (let d = 0; d < dim; d++) s += data[off + d]! * q[d]!;
    if (best.length < k || s > best[best.length - 1]!.s) {
      best.push({ i: r, s });
      best.sort((a, b) => b.s - a.s);
      if (best.length > k) best.pop();
    }
  }
  return best.map((b) => b.i);
}
