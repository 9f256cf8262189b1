// `node bench/browse.ts`: browsing and understood queries at 100,000 photos, on this machine's CPU.
// A synthetic photos table (random unit vectors, dates over twenty years, two in five photos
// located in one of 40 towns) is written through PhotoStore and indexed by maintain(), as the app
// does at that size. Measured:
// - the timeline opening: the day counts read cold (the first read after opening the library)
//   and warm, plus the renderer's layout of all 100,000 cells under their day headers;
// - what parsing and filters add to a query beyond the text encoder: the whole searchQuery minus
//   the encoder's own time for the same texts (the words and any exclusions, which the query
//   embeds in one call), median of 31 runs each with the queries taking turns, with 2,000 of the
//   items carrying ten video frames each (searched beside the photos, as the app does;
//   BENCH_BROWSE_VIDEOS=0 for a library of photos only), once the vectors are held in memory
//   (and what holding them costs). The encoder is the small test model; BENCH_BROWSE_ENCODER=vit
//   uses the ViT-B/32-shaped one (bench/vit-model.ts), whose text encoder costs what CLIP's does
//   and shares the cores with the work a query does beside it.
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Embedder } from '../app/main/core/embed/embedder.ts';
import { openModelFolder } from '../app/main/core/model/model-folder.ts';
import { timeline } from '../app/main/core/browse/timeline.ts';
import { parseQuery } from '../app/main/core/search/query/parse-query.ts';
import { searchQuery } from '../app/main/core/search/query-search.ts';
import type { PhotoRow } from '../app/main/core/store/photo-schema.ts';
import { PhotoStore } from '../app/main/core/store/photo-store.ts';
import { squash, TEXT_READER } from '../app/main/core/store/text-table.ts';
import { layoutGrid } from '../app/renderer/src/lib/utils/grid-layout.ts';
import { makeTestModel } from '../tests/support/test-model.ts';
import { median } from './machine.ts';
import { uniform01 } from './random.ts';
import { makeVectors } from './vectors.ts';
import { ensureVitModel } from './vit-model.ts';

const COUNT = Number(process.env.BENCH_BROWSE_COUNT ?? 100_000);
const DIM = 512;
const CHUNK = 10_000;
const RUNS = 31;
/** Items that carry video frames (0: a library of photos only). */
const VIDEOS = Math.min(Number(process.env.BENCH_BROWSE_VIDEOS ?? 2_000), COUNT / 10);
const FRAMES = 10;
const hashOf = (i: number): string => i.toString(16).padStart(64, '0');
/** The items that carry frames: every (COUNT / VIDEOS)th. */
const isVideo = (i: number): boolean =>
  VIDEOS > 0 && i % Math.floor(COUNT / VIDEOS) === 0 && i / Math.floor(COUNT / VIDEOS) < VIDEOS;
const TOWNS = Array.from({ length: 40 }, (_, i) => (i === 0 ? 'Paris' : i === 1 ? 'Berlin' : `Town ${i}`));
const YEAR_MS = 365.25 * 86_400_000;

// The written table is kept between runs (it takes minutes to write and index on 2 cores).
// (v2: the items that carry frames are videos, as the indexer writes them.)
const cache = path.join(import.meta.dirname, '.cache', `browse-${COUNT}${VIDEOS > 0 ? `-videos-${VIDEOS}-v2` : ''}`);
const tmp = await mkdtemp(path.join(tmpdir(), 'shoebox-bench-browse-'));
try {
  if (!(await exists(cache))) await writeLibrary(cache);
  // A table written by an earlier run gets the indexes this release's maintain() adds.
  const maintained = await PhotoStore.open(path.join(cache, 'db'), 'bench-browse', DIM);
  await maintained.maintain();
  maintained.close();
  const store = await PhotoStore.open(path.join(cache, 'db'), 'bench-browse', DIM);

  // The timeline as the app opens it: a freshly opened store (nothing cached), then the layout.
  let t0 = performance.now();
  const cold = await timeline(store);
  const coldMs = performance.now() - t0;
  const warm: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    await timeline(store);
    warm.push(performance.now() - t);
  }
  const warmMs = median(warm);
  t0 = performance.now();
  const layout = layoutGrid(1200, cold.total, cold.days, { minCell: 172, gap: 4, dayHeader: 36, monthHeader: 44 });
  const layoutMs = performance.now() - t0;
  console.log(
    `timeline at ${COUNT.toLocaleString('en')} photos: days read in ${coldMs.toFixed(0)} ms cold, ${warmMs.toFixed(1)} ms warm; ` +
      `layout of ${cold.days.length.toLocaleString('en')} days, ${layout.lines.length.toLocaleString('en')} rows in ${layoutMs.toFixed(0)} ms; ` +
      `opens in ${(coldMs + layoutMs).toFixed(0)} ms`,
  );

  // Videos: 2,000 of the items carry ten sampled frames each, searched beside the photos.
  if (VIDEOS > 0 && (await store.frames.vectorsOf([hashOf(0)])).size === 0) {
    const frames = makeVectors({ kind: 'clustered', count: VIDEOS * FRAMES, seed: 11 });
    const rows = Array.from({ length: VIDEOS * FRAMES }, (_, k) => ({
      hash: hashOf(Math.floor(k / FRAMES) * Math.floor(COUNT / VIDEOS)),
      at_ms: (k % FRAMES) * 1000,
      vector: frames.slice(k * DIM, (k + 1) * DIM),
    }));
    await store.frames.replace(rows);
    await store.maintain();
  }

  // Searches re-rank from vectors held in memory (row-vectors.ts), read once in the background
  // after the first search: what that read costs, then queries as they run once it is done.
  const before = retained();
  t0 = performance.now();
  await store.holdVectors();
  console.log(
    `vectors held in memory: read in ${(performance.now() - t0).toFixed(0)} ms, ` +
      `${((retained() - before) / 2 ** 20).toFixed(0)} MiB held`,
  );

  // Query overhead beyond the text encoder.
  const modelDir =
    process.env.BENCH_BROWSE_ENCODER === 'vit'
      ? await ensureVitModel()
      : await makeTestModel(path.join(tmp, 'model'), { dim: DIM });
  const embedder = await Embedder.start(await openModelFolder(modelDir), { threads: 1 });
  const now = new Date(2026, 0, 15);
  const { places } = await store.vocabulary();
  const queries = ['beach 2019', 'red in Paris', 'christmas in Berlin 2018', 'mountains -snow', 'dog'];
  // The queries take turns, run by run: the VM's speed swings over seconds, and 31 runs of one
  // query in a row (half a second) could all fall in one slow spell that the others missed.
  const full = queries.map((): number[] => []);
  const encode = queries.map((): number[] => []);
  const shown = queries.map(() => 0);
  // The encoder's own time for what each query embeds: its words and any exclusions, in one call.
  const texts = queries.map((q) => {
    const { text, exclude } = parseQuery(q, { now, places });
    return text === '' ? [] : [text, ...exclude];
  });
  for (const q of queries) await searchQuery(store, embedder, tmp, q, { now });
  for (let r = 0; r < RUNS; r++) {
    for (const [k, q] of queries.entries()) {
      let t = performance.now();
      shown[k] = (await searchQuery(store, embedder, tmp, q, { now })).hits.length;
      full[k]!.push(performance.now() - t);
      t = performance.now();
      if (texts[k]!.length > 0) await embedder.embedTexts(texts[k]!);
      encode[k]!.push(performance.now() - t);
    }
  }
  for (const [k, q] of queries.entries()) {
    const [all, enc] = [median(full[k]!), median(encode[k]!)];
    console.log(
      `query "${q}": ${all.toFixed(1)} ms in all, encoder ${enc.toFixed(1)} ms, ` +
        `parsing + filters + ranking ${(all - enc).toFixed(1)} ms (${shown[k]} shown)`,
    );
  }

  // Text in photos: one photo in ten has a few lines read from it, under LanceDB's full-text
  // index; a query for words on one receipt, fused with the picture's ranking.
  if ((await store.texts.readHashes()).size === 0) {
    const rows = Array.from({ length: COUNT / 10 }, (_, k) => {
      const i = k * 10;
      const text =
        i === 4710 ? 'INVOICE 4711\nTotal 23.50' : `Receipt ${i}\nCafe ${TOWNS[i % TOWNS.length]}\nTotal ${i % 97}.50`;
      return { hash: hashOf(i), text, squashed: squash(text), lines: '[]', reader: TEXT_READER };
    });
    for (let start = 0; start < rows.length; start += CHUNK) await store.texts.save(rows.slice(start, start + CHUNK));
    await store.texts.maintain();
  }
  for (const q of ['invoice 4711', 'cafe paris']) {
    await searchQuery(store, embedder, tmp, q, { now });
    const full: number[] = [];
    const encode: number[] = [];
    let first = '';
    for (let r = 0; r < RUNS; r++) {
      let t = performance.now();
      const result = await searchQuery(store, embedder, tmp, q, { now });
      full.push(performance.now() - t);
      first = `${path.basename(result.hits[0]?.path ?? '')} ${JSON.stringify(result.hits[0]?.matched ?? [])}`;
      t = performance.now();
      await embedder.embedTexts([q]);
      encode.push(performance.now() - t);
    }
    console.log(
      `query "${q}" with text in ${(COUNT / 10).toLocaleString('en')} photos: ${median(full).toFixed(1)} ms p50 in all, ` +
        `encoder ${median(encode).toFixed(1)} ms; first: ${first}`,
    );
  }
  await embedder.close();
  store.close();
} finally {
  await rm(tmp, { recursive: true, force: true });
}
process.exit(0);

/** Bytes the JavaScript heap and its buffers still hold after a full collection. */
function retained(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

async function writeLibrary(dir: string): Promise<void> {
  const rand = uniform01(0xb0a5e);
  const vectors = makeVectors({ kind: 'clustered', count: COUNT, seed: 7 });
  const end = new Date(2026, 0, 1).getTime();
  const store = await PhotoStore.open(path.join(dir, 'db'), 'bench-browse', DIM);
  const t0 = performance.now();
  for (let start = 0; start < COUNT; start += CHUNK) {
    const rows: PhotoRow[] = [];
    for (let i = start; i < Math.min(COUNT, start + CHUNK); i++) {
      const date = end - rand() * 20 * YEAR_MS;
      const located = rand() < 0.4;
      const town = TOWNS[Math.floor(rand() * TOWNS.length)]!;
      rows.push({
        id: i.toString(16).padStart(8, '0'),
        path: `/photos/${Math.floor(i / 1000)}/IMG_${i}.jpg`,
        root: '/photos',
        folder: `/photos/${Math.floor(i / 1000)}`,
        ext: 'jpg',
        size: 3_000_000,
        mtime: date,
        hash: hashOf(i),
        width: 4000,
        height: 3000,
        format: 'jpeg',
        kind: isVideo(i) ? 'video' : 'photo',
        duration_ms: isVideo(i) ? 30_000 : null,
        place: located ? town : null,
        region: located ? (town === 'Berlin' ? 'Berlin' : 'Île-de-France') : null,
        country: located ? (town === 'Berlin' ? 'Germany' : 'France') : null,
        taken_at: date,
        date_ms: date,
        camera_make: null,
        camera_model: null,
        gps_lat: located ? 48 + rand() : null,
        gps_lon: located ? 2 + rand() : null,
        status: 'ok',
        model_id: 'bench-browse',
        indexed_at: 0,
        vector: vectors.slice(i * DIM, (i + 1) * DIM),
      });
    }
    await store.upsert(rows);
  }
  await store.maintain();
  console.log(
    `${COUNT.toLocaleString('en')} synthetic photos written and indexed in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  store.close();
}
