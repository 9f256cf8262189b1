// Groups faces into people. Faces the user placed stay placed; every other face joins the named
// person it is closest to when it is close enough, else the group of unnamed faces it is close to,
// else starts one. Groups of fewer than MIN_FACES faces are left as single unnamed faces
// (stragglers): a person is shown once their face has been seen a few times, as Immich and
// PhotoPrism do. Pure; vectors are unit length, so a dot product is the cosine.
import { VectorArena } from './vector-arena.ts';

/**
 * Two faces this similar (cosine of the recogniser's embeddings) or more are taken for the same
 * person. Measured on 87 real faces of 21 people on 480-pixel WebP thumbnails
 * (tests/main/core/faces/face-cluster.test.ts): different people scored at most 0.46, 99% of
 * pairs below 0.36; one woman's faces from two different photos scored 0.43-0.58. Pairwise
 * precision and recall are both 1.00 from 0.4 to 0.5; at 0.55 and 0.6 she is split in two
 * (recall 0.89), at 0.35 two people merge. The top of that range: a wrong merge is the harder
 * mistake to undo.
 */
export const SAME_PERSON = 0.5;
/** Faces a group needs before it is shown as a person. */
export const MIN_FACES = 3;

export interface ClusterFace {
  key: string;
  embedding: Float32Array;
  /** Better faces (sharp, sure, large) found groups first: they make the group's centre. */
  quality: number;
  /** The person the user put this face with, if any. */
  person?: string;
  /** People the user said this face is not. */
  notPeople?: readonly string[];
}

export interface Clustering {
  /** Face key → person id (a named person's id, or `group:<best face key>` for an unnamed group). */
  of: Map<string, string>;
}

/**
 * Above this many faces a face is compared only with the groups filed under the few pivots
 * closest to it, not with every group: 100,000 faces against every group took 113 s here.
 */
export const PIVOTS_FROM = 5_000;
const PIVOTS = 64;
const PROBES = 6;
const SAMPLE = 2_000;
const ROUNDS = 4;

/**
 * Coarse centres to file groups under: k-means over a sample of the faces, so one person's faces
 * all fall closest to the same few pivots (single faces as pivots did not: for everyone who was
 * not a pivot, which pivot came closest was noise).
 */
class Pivots {
  readonly #arena: VectorArena;
  /** The pivots' slots are this one and the `count - 1` after it. */
  readonly #first: number;
  readonly count: number;

  constructor(faces: readonly ClusterFace[], arena: VectorArena, query: number) {
    // Spread by a large prime stride, not every k-th face: input in a regular order (photos of
    // one event together, or people taking turns) would otherwise be sampled in step with it.
    const n = Math.min(SAMPLE, faces.length);
    const stride = faces.length % 7919 === 0 ? 7907 : 7919;
    const sample = Array.from({ length: n }, (_, i) => faces[(i * stride + 13) % faces.length]!.embedding);
    const dim = arena.dim;
    this.#arena = arena;
    this.count = Math.min(PIVOTS, sample.length);
    this.#first = arena.add();
    for (let p = 1; p < this.count; p++) arena.add();
    for (let p = 0; p < this.count; p++)
      arena.set(this.#first + p, sample[Math.floor((p * sample.length) / this.count)]!);
    for (let round = 0; round < ROUNDS; round++) {
      const sums = new Float32Array(this.count * dim);
      for (const v of sample) {
        arena.set(query, v);
        const p = this.closest(query, 1)[0]!;
        for (let k = 0; k < dim; k++) sums[p * dim + k]! += v[k]!;
      }
      for (let p = 0; p < this.count; p++) {
        let norm = 0;
        for (let k = 0; k < dim; k++) norm += sums[p * dim + k]! ** 2;
        // A pivot nothing came to keeps its place.
        if (norm === 0) continue;
        const inv = 1 / Math.sqrt(norm);
        arena.set(
          this.#first + p,
          sums.subarray(p * dim, (p + 1) * dim).map((x) => x * inv),
        );
      }
    }
  }

  /** The pivots closest to the vector in slot `query`, closest first. */
  closest(query: number, n: number): number[] {
    // Kept in order as they come: n is a handful, so insertion beats sorting all of them.
    const best: number[] = [];
    const scores: number[] = [];
    for (let p = 0; p < this.count; p++) {
      const s = this.#arena.dot(this.#first + p, query);
      if (best.length === n && s <= scores[n - 1]!) continue;
      let at = best.length === n ? n - 1 : best.length;
      while (at > 0 && scores[at - 1]! < s) {
        best[at] = best[at - 1]!;
        scores[at] = scores[at - 1]!;
        at--;
      }
      best[at] = p;
      scores[at] = s;
    }
    return best;
  }
}

/** Groups' centres: the running sum of their faces, and its unit vector in the arena. */
class Centres {
  readonly ids: string[] = [];
  readonly #sums: Float32Array[] = [];
  readonly #slots: number[] = [];
  readonly #arena: VectorArena;
  /** With pivots: the groups filed under each pivot (a group stays where it was first filed). */
  readonly #lists: number[][] | null;

  constructor(arena: VectorArena, pivots = 0) {
    this.#arena = arena;
    this.#lists = pivots > 0 ? Array.from({ length: pivots }, () => []) : null;
  }

  add(id: string, v: Float32Array, pivots: readonly number[] = []): number {
    const i = this.ids.length;
    this.ids.push(id);
    this.#sums.push(new Float32Array(this.#arena.dim));
    this.#slots.push(this.#arena.add());
    this.join(i, v);
    for (const p of pivots) this.#lists?.[p]!.push(i);
    return i;
  }

  join(i: number, v: Float32Array): void {
    const sum = this.#sums[i]!;
    let norm = 0;
    for (let k = 0; k < sum.length; k++) {
      sum[k]! += v[k]!;
      norm += sum[k]! * sum[k]!;
    }
    const inv = 1 / Math.sqrt(norm || 1);
    const unit = this.#arena.at(this.#slots[i]!);
    for (let k = 0; k < sum.length; k++) unit[k] = sum[k]! * inv;
  }

  /** The centre closest to the vector in slot `query` and its cosine, skipping `not`; with pivots, among those filed under `near`. */
  nearest(query: number, not?: ReadonlySet<string>, near?: readonly number[]): { i: number; score: number } {
    let best = -1;
    let score = -2;
    const consider = (i: number): void => {
      const s = this.#arena.dot(this.#slots[i]!, query);
      if (s > score && (not === undefined || !not.has(this.ids[i]!))) {
        score = s;
        best = i;
      }
    };
    if (this.#lists && near) {
      for (const p of near) {
        const list = this.#lists[p]!;
        for (let j = 0; j < list.length; j++) consider(list[j]!);
      }
    } else for (let i = 0; i < this.ids.length; i++) consider(i);
    return { i: best, score };
  }
}

export function clusterFaces(faces: readonly ClusterFace[], threshold = SAME_PERSON, minFaces = MIN_FACES): Clustering {
  const of = new Map<string, string>();
  if (faces.length === 0) return { of };
  const arena = new VectorArena(faces[0]!.embedding.length);
  // The face being placed is copied here, so every comparison runs inside the arena.
  const query = arena.add();
  const named = new Centres(arena);
  const namedAt = new Map<string, number>();
  for (const f of faces) {
    if (f.person === undefined) continue;
    of.set(f.key, f.person);
    const at = namedAt.get(f.person);
    if (at === undefined) namedAt.set(f.person, named.add(f.person, f.embedding));
    else named.join(at, f.embedding);
  }
  const rest = faces.filter((f) => f.person === undefined).sort((a, b) => b.quality - a.quality);
  const pivots = rest.length > PIVOTS_FROM ? new Pivots(rest, arena, query) : null;
  const groups = new Centres(arena, pivots?.count ?? 0);
  const members: string[][] = [];
  for (const f of rest) {
    arena.set(query, f.embedding);
    const not = f.notPeople && f.notPeople.length > 0 ? new Set(f.notPeople) : undefined;
    const person = named.nearest(query, not);
    if (person.i >= 0 && person.score >= threshold) {
      of.set(f.key, named.ids[person.i]!);
      continue;
    }
    const near = pivots?.closest(query, PROBES);
    const group = groups.nearest(query, undefined, near);
    if (group.i >= 0 && group.score >= threshold) {
      groups.join(group.i, f.embedding);
      members[group.i]!.push(f.key);
    } else {
      groups.add(`group:${f.key}`, f.embedding, near?.slice(0, 1));
      members.push([f.key]);
    }
  }
  members.forEach((keys, i) => {
    if (keys.length < minFaces) return;
    for (const key of keys) of.set(key, groups.ids[i]!);
  });
  return { of };
}
