// Search at library sizes no photo folder on this machine could reach in a benchmark: synthetic
// unit vectors written straight into the app's photos table, indexed by PhotoStore.maintain(),
// then searched through PhotoStore.search (vector search) and Engine.search (text queries).
import { mkdir, rename, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { Engine } from '../app/main/core/engine/engine.ts';
import { Embedder } from '../app/main/core/embed/embedder.ts';
import { openModelFolder } from '../app/main/core/model/model-folder.ts';
import { filterSql } from '../app/main/core/search/search.ts';
import { photoRow } from '../tests/support/photo-row.ts';
import { PhotoStore } from '../app/main/core/store/photo-store.ts';
import { ForeignCpu, percentile } from './machine.ts';
import { textGraphLengths } from './text-length.ts';
import type { TextLengthResult } from './text-length.ts';
import { makeVectors, topK } from './vectors.ts';
import type { VectorSpec } from './vectors.ts';

const DB_VERSION = 'vectors-v2';
const WARMUP = 10;
const INSERT_CHUNK = 20_000;
const DIM = 512;
/** The synthetic table belongs to no real model; query runs link it under the model's name. */
const SYNTHETIC_MODEL = 'bench-synthetic';

export interface LibraryBuild {
  libraryDir: string;
  /** Seconds to insert the rows and run maintain() (which builds the ANN index); null if cached. */
  insertSeconds: number | null;
  maintainSeconds: number | null;
}

function syntheticRow(i: number, vector: Float32Array): Record<string, unknown> {
  const name = `IMG_${String(i).padStart(7, '0')}.jpg`;
  const folder = `/photos/${Math.floor(i / 1000)}`;
  const at = 1.7e12 + i * 1000;
  const row = photoRow({
    id: String(i),
    path: `${folder}/${name}`,
    root: '/photos',
    size: 4_000_000,
    mtime: at,
    hash: i.toString(16).padStart(64, '0'),
    width: 4000,
    height: 3000,
    taken_at: at,
    date_ms: at,
    camera_make: 'Shoebox',
    camera_model: 'Bench',
    model_id: SYNTHETIC_MODEL,
    indexed_at: 1.7e12,
    vector,
  });
  return { ...row };
}

async function photosTableName(dbDir: string): Promise<string> {
  const db = await lancedb.connect(dbDir);
  try {
    const name = (await db.tableNames()).find((n) => n.startsWith('photos__'));
    if (!name) throw new Error(`no photos table in ${dbDir}`);
    return name;
  } finally {
    db.close();
  }
}

/** A library folder whose photos table holds `spec.count` synthetic rows, cached across runs. */
export async function ensureVectorLibrary(cacheDir: string, spec: VectorSpec): Promise<LibraryBuild> {
  const libraryDir = path.join(cacheDir, DB_VERSION, `${spec.kind}-${spec.count}`);
  if (await stat(path.join(libraryDir, 'db')).catch(() => null))
    return { libraryDir, insertSeconds: null, maintainSeconds: null };
  const tmp = `${libraryDir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  const vectors = makeVectors(spec);
  const t0 = performance.now();
  const store = await PhotoStore.open(path.join(tmp, 'db'), SYNTHETIC_MODEL, DIM);
  const db = await lancedb.connect(path.join(tmp, 'db'));
  try {
    // Straight into the store's own table: the indexer's merge-insert would only add minutes.
    const table = await db.openTable(await photosTableName(path.join(tmp, 'db')));
    for (let start = 0; start < spec.count; start += INSERT_CHUNK) {
      const rows = [];
      for (let i = start; i < Math.min(spec.count, start + INSERT_CHUNK); i++)
        rows.push(syntheticRow(i, vectors.subarray(i * DIM, (i + 1) * DIM)));
      await table.add(rows);
    }
    table.close();
    const t1 = performance.now();
    await store.maintain();
    const t2 = performance.now();
    await rename(tmp, libraryDir);
    return { libraryDir, insertSeconds: (t1 - t0) / 1000, maintainSeconds: (t2 - t1) / 1000 };
  } finally {
    store.close();
    db.close();
  }
}

/**
 * A library in which the cached synthetic table appears under the name the app gives `modelDir`'s
 * model, so Engine.search runs against it: a symlinked table folder, nothing copied.
 */
async function libraryForModel(build: LibraryBuild, modelDir: string, workDir: string): Promise<string> {
  const model = await openModelFolder(modelDir);
  await rm(workDir, { recursive: true, force: true });
  // An empty store for the model shows which table name it uses; its folder is then replaced.
  const probeDb = path.join(workDir, 'probe');
  (await PhotoStore.open(probeDb, model.id, DIM)).close();
  const name = await photosTableName(probeDb);
  const source = path.join(build.libraryDir, 'db', `${await photosTableName(path.join(build.libraryDir, 'db'))}.lance`);
  const libraryDir = path.join(workDir, 'library');
  await mkdir(path.join(libraryDir, 'db'), { recursive: true });
  await symlink(source, path.join(libraryDir, 'db', `${name}.lance`));
  return libraryDir;
}

async function hasVectorIndex(dbDir: string): Promise<boolean> {
  const db = await lancedb.connect(dbDir);
  try {
    const table = await db.openTable(await photosTableName(dbDir));
    const found = (await table.listIndices()).some((i) => i.columns.includes('vector'));
    table.close();
    return found;
  } finally {
    db.close();
  }
}

export interface SearchArgs {
  cacheDir: string;
  spec: VectorSpec;
  queries: number;
  limit: number;
}

export interface SearchResult {
  rows: number;
  build: LibraryBuild;
  indexed: boolean;
  p50Ms: number;
  p95Ms: number;
  recallAt10: number;
  /** The same queries limited to the newer half of the library by a date filter (a prefilter). */
  dateFilterP50Ms: number;
  foreignCores: number | null;
}

/** PhotoStore.search as the app calls it for an unfiltered query, against exact top-k. */
export async function benchSearch(args: SearchArgs): Promise<SearchResult> {
  const build = await ensureVectorLibrary(args.cacheDir, args.spec);
  const dbDir = path.join(build.libraryDir, 'db');
  const store = await PhotoStore.open(dbDir, SYNTHETIC_MODEL, DIM);
  const data = makeVectors(args.spec);
  const queries = makeVectors({ ...args.spec, count: args.queries + WARMUP, seed: args.spec.seed + 1 });
  const where = filterSql(undefined);
  try {
    const indexed = await hasVectorIndex(dbDir);
    // Ten untimed queries first: LanceDB reads index pages on demand, as a user's first searches would.
    for (let q = 0; q < WARMUP; q++) await store.search(queries.subarray(q * DIM, (q + 1) * DIM), args.limit, where);
    const foreign = new ForeignCpu();
    const times: number[] = [];
    let hits = 0;
    for (let q = WARMUP; q < args.queries + WARMUP; q++) {
      const vector = queries.subarray(q * DIM, (q + 1) * DIM);
      const t0 = performance.now();
      const found = await store.search(vector, args.limit, where);
      times.push(performance.now() - t0);
      const exact = new Set(topK(data, vector, DIM, args.limit).map(String));
      hits += found.filter((h) => exact.has(h.meta.id)).length;
    }
    const foreignCores = foreign.cores();
    const filtered: number[] = [];
    const newerHalf = filterSql({ from: 1.7e12 + Math.floor(args.spec.count / 2) * 1000 });
    for (let q = WARMUP; q < args.queries + WARMUP; q++) {
      const t0 = performance.now();
      await store.search(queries.subarray(q * DIM, (q + 1) * DIM), args.limit, newerHalf);
      filtered.push(performance.now() - t0);
    }
    return {
      rows: args.spec.count,
      build,
      indexed,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      recallAt10: hits / (args.queries * args.limit),
      dateFilterP50Ms: percentile(filtered, 50),
      foreignCores,
    };
  } finally {
    store.close();
  }
}

export interface QueryArgs extends SearchArgs {
  modelDir: string;
  workDir: string;
  texts: string[];
}

export interface QueryResult {
  rows: number;
  p50Ms: number;
  p95Ms: number;
  /** The text encoder's share: tokenise + text graph, timed around Embedder.embedTexts. */
  encodeP50Ms: number;
  /** The text graph alone, padded to the full context as the app runs it, and cut to each query's tokens. */
  textGraph: TextLengthResult;
  foreignCores: number | null;
}

function timeEmbedTexts(times: number[]): void {
  const original = Object.getOwnPropertyDescriptor(Embedder.prototype, 'embedTexts')?.value as (
    this: Embedder,
    t: string[],
  ) => Promise<Float32Array>;
  Embedder.prototype.embedTexts = function (this: Embedder, texts: string[]): Promise<Float32Array> {
    const t0 = performance.now();
    return original.call(this, texts).finally(() => times.push(performance.now() - t0));
  };
}

/** Engine.search end to end: tokenise, text graph in the inference process, LanceDB search, hits. */
export async function benchQuery(args: QueryArgs): Promise<QueryResult> {
  const build = await ensureVectorLibrary(args.cacheDir, args.spec);
  const libraryDir = await libraryForModel(build, args.modelDir, args.workDir);
  const encodeTimes: number[] = [];
  timeEmbedTexts(encodeTimes);
  const engine = await Engine.open({ libraryDir, modelDir: args.modelDir }, { write: false });
  try {
    for (const text of args.texts.slice(0, 3)) await engine.search(text, { limit: args.limit });
    encodeTimes.length = 0;
    const foreign = new ForeignCpu();
    const times: number[] = [];
    for (let i = 0; i < args.queries; i++) {
      const t0 = performance.now();
      await engine.search(args.texts[i % args.texts.length]!, { limit: args.limit });
      times.push(performance.now() - t0);
    }
    const foreignCores = foreign.cores();
    return {
      rows: args.spec.count,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      encodeP50Ms: percentile(encodeTimes, 50),
      textGraph: await textGraphLengths(args.modelDir, args.texts),
      foreignCores,
    };
  } finally {
    await engine.close();
  }
}
