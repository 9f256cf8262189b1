// With the vectors held in memory (the app's stores), a filtered query ranks the whole library
// once and keeps what passes its filters, from memory, instead of a second vector search under
// the filters (query-ranking.ts rankings). What it shows and how many more it offers must be what
// the two LanceDB searches give, on a real indexed table with a real test model's text vectors.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder } from '#core/embed/embedder.ts';
import { openModelFolder } from '#core/model/model-folder.ts';
import { FrameReader, POOL } from '#core/search/query-ranking.ts';
import { searchQuery, understand } from '#core/search/query-search.ts';
import type { QueryResult } from '#core/search/query-search.ts';
import { INDEX_THRESHOLD, PhotoStore } from '#core/store/photo-store.ts';
import { photoRow } from '#support/photo-row.ts';
import { makeTestModel } from '#support/test-model.ts';
import { unitVectors } from '#support/unit-vectors.ts';

const DIM = 32;
const N = INDEX_THRESHOLD + 400;
const YEAR_MS = 365.25 * 86_400_000;
const START = Date.UTC(2010, 0, 1);
/** Rows of 2019 (row i is from 2010 + (i >> 4) % 15), neither red nor blue nor videos. */
const NAMED = [144, 145, 146];

describe('filtered queries ranked from the library held in memory', () => {
  let tmp = '';
  let embedder: Embedder;
  /** Holds its vectors: filtered queries take the path from memory. */
  let held: PhotoStore;
  /** Holds nothing (as the CLI's): filtered queries run their own vector search. */
  let plain: PhotoStore;
  const now = new Date(2026, 0, 15);
  let sunset = new Float32Array(DIM);
  const namedVectors = new Map<string, Float32Array>();

  /** `q` nudged by noise: a photo that matches the words `q` embeds. */
  function near(q: Float32Array, seed: number, amount: number): Float32Array {
    const noise = unitVectors(1, DIM, seed);
    const v = q.map((x, k) => x + amount * noise[k]!);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  }

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-held-query-'));
    embedder = await Embedder.start(await openModelFolder(await makeTestModel(join(tmp, 'model'), { dim: DIM })), {
      threads: 1,
    });
    const words = await embedder.embedTexts(['red', 'blue']);
    const red = words.slice(0, DIM);
    const blue = words.slice(DIM);
    const random = unitVectors(N, DIM, 5);
    sunset = (await embedder.embedTexts(['sunset'])).slice();
    for (const i of NAMED) namedVectors.set(`id${i}`, random.slice(i * DIM, (i + 1) * DIM));
    const store = await PhotoStore.open(join(tmp, 'db'), 'm', DIM);
    await store.upsert(
      Array.from({ length: N }, (_, i) => {
        // Red photos (1 in 30), blue ones (1 in 40), the rest anything; over fifteen years,
        // every seventh in Paris, every 50th a video.
        const vector =
          i % 30 === 0 ? near(red, i, 0.15) : i % 40 === 1 ? near(blue, i, 0.15) : random.slice(i * DIM, (i + 1) * DIM);
        const video = i % 50 === 3;
        return photoRow({
          id: `id${i}`,
          // Three photos of 2019 found by their names only.
          path: NAMED.includes(i) ? `/p/Trips/sunset ${i}.jpg` : `/p/${i}.${video ? 'mp4' : 'jpg'}`,
          root: '/p',
          hash: `h${i}`,
          vector,
          date_ms: START + ((i >> 4) % 15) * YEAR_MS + i * 1000,
          place: i % 7 === 0 ? 'Paris' : null,
          country: i % 7 === 0 ? 'France' : null,
          ...(video ? { format: 'mp4', kind: 'video', duration_ms: 5000 } : {}),
        });
      }),
    );
    // Two videos whose poster is anything but a later moment is red.
    const frames = [3, 103].flatMap((i) => [
      { hash: `h${i}`, at_ms: 0, vector: random.slice(i * DIM, (i + 1) * DIM) },
      { hash: `h${i}`, at_ms: 2000, vector: near(red, 1000 + i, 0.1) },
    ]);
    await store.frames.replace(frames);
    expect((await store.maintain()).indexed).toBe(true);
    store.close();
    held = await PhotoStore.open(join(tmp, 'db'), 'm', DIM);
    await held.holdVectors();
    plain = await PhotoStore.open(join(tmp, 'db'), 'm', DIM);
  }, 180_000);
  afterAll(async () => {
    held.close();
    plain.close();
    await embedder.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const search = (store: PhotoStore, q: string): Promise<QueryResult> =>
    searchQuery(store, embedder, tmp, q, { now, limit: 100 });
  /**
   * The same hits with the same scores and moments. Held vectors are 16-bit, so scores agree to
   * 1e-4 and near-ties may swap: the order is checked by score.
   */
  function expectSame(q: string, fromMemory: QueryResult, searched: QueryResult): void {
    const byId = (r: QueryResult): [string, number | null, number | null][] =>
      r.hits
        .map((h): [string, number | null, number | null] => [h.id, h.score, h.at])
        .sort((a, b) => a[0].localeCompare(b[0]));
    const [a, b] = [byId(fromMemory), byId(searched)];
    expect(
      a.map((h) => h[0]),
      q,
    ).toEqual(b.map((h) => h[0]));
    a.forEach(([id, score, at], i) => {
      expect(score! - b[i]![1]!, `${q}: ${id}`).toBeCloseTo(0, 4);
      expect(at, `${q}: ${id}`).toBe(b[i]![2]);
    });
    const scores = fromMemory.hits.map((h) => h.score!);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
  }

  it('shows what the filtered vector search shows, and offers as many more', async () => {
    for (const q of ['red 2019', 'red in Paris', 'red videos', 'blue 2014 in France', 'red 2019 to 2021']) {
      const { where } = await understand(held, q);
      expect(held.filtersHeld(where), q).toBe(true);
      expect(plain.filtersHeld(where), q).toBe(false);
      const [fromMemory, searched] = [await search(held, q), await search(plain, q)];
      expectSame(q, fromMemory, searched);
      expect(fromMemory.more, q).toBe(searched.more);
    }
    // Not vacuous: the filtered queries find their red photos, and a red moment of a video.
    const red2019 = await search(held, 'red 2019');
    expect(red2019.hits.length).toBeGreaterThanOrEqual(8);
    for (const h of red2019.hits) expect(new Date(h.date).getUTCFullYear()).toBe(2019);
    expect(red2019.more).toBeGreaterThan(100);
    const videos = await search(held, 'red videos');
    expect(videos.hits.find((h) => h.id === 'id103')?.at).toBe(2);
    expect(videos.hits.every((h) => h.kind === 'video')).toBe(true);
  });

  it('shows what is found by its name with its picture score', async () => {
    const [fromMemory, searched] = [await search(held, 'sunset 2019'), await search(plain, 'sunset 2019')];
    expect(fromMemory.hits.map((h) => h.id).sort()).toEqual(searched.hits.map((h) => h.id).sort());
    const named = fromMemory.hits.filter((h) => h.matched?.includes('name'));
    expect(named.map((h) => h.id).sort()).toEqual(NAMED.map((i) => `id${i}`));
    for (const h of named) {
      const v = namedVectors.get(h.id)!;
      let dot = 0;
      for (let k = 0; k < DIM; k++) dot += v[k]! * sunset[k]!;
      const cosine = dot / Math.hypot(...v) / Math.hypot(...sunset);
      expect(h.score! - cosine, h.id).toBeCloseTo(0, 3);
      // Searched under the filters, a name match outside the filtered pool has no picture score.
      const other = searched.hits.find((s) => s.id === h.id)!.score!;
      expect(other === -1 || Math.abs(other - h.score!) < 1e-4, `${h.id}: ${other}`).toBe(true);
    }
  });

  it('leaves out what an exclusion matches, as the filtered search does', async () => {
    for (const q of ['red 2019 -blue', 'blue in Paris -red']) {
      const fromMemory = await search(held, q);
      expectSame(q, fromMemory, await search(plain, q));
      expect(fromMemory.hits.length, q).toBeGreaterThan(0);
    }
  });
});

// A ranking reads first about twice the frames' share of its pool, and all of POOL's frames only
// where the weakest frame read still beats the ranking's last photo.
describe('frames read for a ranking', () => {
  const PHOTOS = 2000;
  const VIDEOS = 20;
  let tmp = '';
  let store: PhotoStore;
  let red: Float32Array = new Float32Array(DIM);
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-frame-reader-'));
    const random = unitVectors(PHOTOS + VIDEOS * 10, DIM, 9);
    red = unitVectors(1, DIM, 77);
    store = await PhotoStore.open(join(tmp, 'db'), 'm', DIM);
    await store.upsert(
      Array.from({ length: PHOTOS }, (_, i) =>
        photoRow({
          id: `id${i}`,
          path: `/p/${i}.jpg`,
          root: '/p',
          hash: `h${i}`,
          vector: random.slice(i * DIM, (i + 1) * DIM),
        }),
      ),
    );
    // Twenty videos (as many rows among the photos), each with nine random moments and one red.
    await store.frames.replace(
      Array.from({ length: VIDEOS * 10 }, (_, k) => {
        const v =
          k % 10 === 4
            ? red.map((x, d) => x + 0.05 * random[(PHOTOS + k) * DIM + d]!)
            : random.slice((PHOTOS + k) * DIM, (PHOTOS + k + 1) * DIM);
        return { hash: `h${Math.floor(k / 10) * 7}`, at_ms: (k % 10) * 1000, vector: v };
      }),
    );
  });
  afterAll(async () => {
    store.close();
    await rm(tmp, { recursive: true, force: true });
  });

  async function floorOf(vector: Float32Array): Promise<number> {
    const hits = await store.scores(vector, POOL, '');
    expect(hits).toHaveLength(POOL);
    return hits[POOL - 1]!.score;
  }

  it('reads few frames where none beyond them could enter the pool', async () => {
    const queries = unitVectors(10, DIM, 31);
    let firstOnly = 0;
    for (let q = 0; q < 10; q++) {
      const vector = queries.slice(q * DIM, (q + 1) * DIM);
      const floor = await floorOf(vector);
      const reader = new FrameReader(store, vector);
      const first = await reader.first;
      // 200 frames beside 2,000 photos: twice their share of a pool of 200 is 40 frames.
      expect(first.complete).toBe(false);
      const { hits, again } = await reader.above(floor);
      expect(again).toBe(first.bound > floor);
      if (!again) firstOnly++;
      // Either way, the videos that could enter the pool are those all frames give.
      const full = await store.frames.search(vector, POOL);
      const entering = (list: readonly { hash: string; atMs: number; score: number }[]): string[] =>
        list.filter((h) => h.score > floor).map((h) => `${h.hash}@${h.atMs}`);
      expect(entering(hits)).toEqual(entering(full));
    }
    // Not vacuous: most queries are answered from the first read.
    expect(firstOnly).toBeGreaterThanOrEqual(8);
  });

  it('reads all frames where the videos match best', async () => {
    const floor = await floorOf(red);
    const reader = new FrameReader(store, red);
    expect((await reader.first).bound).toBeGreaterThan(floor);
    const { hits, again } = await reader.above(floor);
    expect(again).toBe(true);
    expect(hits).toEqual(await store.frames.search(red, POOL));
    // Every video's red moment is found, though the first read held 40 frames.
    expect(hits.filter((h) => h.atMs === 4000)).toHaveLength(VIDEOS);
  });
});
