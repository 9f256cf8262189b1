// End-to-end indexing through the real Engine, with light instrumentation: the embedder's
// calls are timed from outside (a wrapper on its prototype, in this benchmark process only)
// so a run shows how much of its time the inference process was busy and how much it waited.
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { Engine } from '../app/main/core/engine/engine.ts';
import { Embedder } from '../app/main/core/embed/embedder.ts';
import type { Device } from '../app/main/core/embed/providers.ts';
import type { IndexSummary } from '../app/main/core/index/index-types.ts';
import { ForeignCpu, RssSampler } from './machine.ts';
import { threadCores, threadTicks, treeCpuSeconds } from './proc-tree.ts';
import type { TreeTicks } from './proc-tree.ts';
import { linkPhotos } from './photos.ts';

export interface IndexArgs {
  modelDir: string;
  photosDir: string;
  workDir: string;
  count: number;
  batchSize?: number;
  threads?: number;
  device?: Device;
  sharpConcurrency?: number;
  /** Photos decoded at once (the engine's default when unset). */
  decodeSlots?: number;
  /**
   * Where the album vocabulary's text embeddings are kept between runs: copied into the fresh
   * library before indexing when there, saved from it after when not. A new library otherwise
   * spends its first index encoding the whole vocabulary (reported, but once is enough).
   */
  vocabCacheDir?: string;
}

export interface IndexResult {
  count: number;
  indexed: number;
  failed: number;
  /** The execution provider the inference process ended up on, and why others were skipped. */
  provider: string;
  fallbacks: string[];
  /** Engine.open to the end of index(): model load, scan, decode, embed, write, then the post-index work. */
  totalMs: number;
  /** Engine.open to the indexer's 'done': every photo embedded and written. */
  doneMs: number;
  /** Texts embedded during the run (the album vocabulary, when not cached) and the time spent. */
  textCount: number;
  textMs: number;
  vocabCached: boolean;
  /** From the first batch's completion to the last: the steady pipeline, start-up excluded. */
  steady: { photos: number; ms: number } | null;
  /** Time inside embedImages calls, and how many photos they carried. */
  embedMs: number;
  embedCalls: number;
  /** Time inside embedImages from the first batch's completion on, for a steady busy share. */
  steadyEmbedMs: number;
  /** CPU time of the process and its children (all threads) over the index() call, in cores. */
  cpuCores: number;
  /** Cores each group of threads (app and inference process) kept busy in the steady part. */
  steadyThreads: { total: number; groups: Record<string, number> } | null;
  peakRssBytes: number;
  foreignCores: number | null;
  /** Milestones in ms from Engine.open: the scan's start, and each embedImages call [start, end, photos]. */
  timeline: { scanning: number; embeds: [number, number, number][] };
}

interface Span {
  start: number;
  end: number;
  count: number;
}

type EmbedImages = (this: Embedder, rgb: Uint8Array, count: number) => Promise<Float32Array>;
type EmbedTexts = (this: Embedder, texts: string[]) => Promise<Float32Array>;

/** Records every embedImages and embedTexts call of any Embedder in this process. */
function instrumentEmbedder(images: Span[], texts: Span[]): void {
  const embedImages = Object.getOwnPropertyDescriptor(Embedder.prototype, 'embedImages')?.value as EmbedImages;
  Embedder.prototype.embedImages = function (this: Embedder, rgb: Uint8Array, count: number): Promise<Float32Array> {
    const start = performance.now();
    return embedImages.call(this, rgb, count).finally(() => images.push({ start, end: performance.now(), count }));
  };
  const embedTexts = Object.getOwnPropertyDescriptor(Embedder.prototype, 'embedTexts')?.value as EmbedTexts;
  Embedder.prototype.embedTexts = function (this: Embedder, list: string[]): Promise<Float32Array> {
    const start = performance.now();
    return embedTexts.call(this, list).finally(() => texts.push({ start, end: performance.now(), count: list.length }));
  };
}

/** Copies the album vocabulary's cached embeddings (albums/concepts-*.json) between folders. */
async function copyVocab(from: string, to: string): Promise<number> {
  const names = (await readdir(from).catch(() => [])).filter((n) => n.startsWith('concepts-') && n.endsWith('.json'));
  if (names.length > 0) await mkdir(to, { recursive: true });
  for (const n of names) await copyFile(path.join(from, n), path.join(to, n));
  return names.length;
}

const spanMs = (spans: readonly Span[]): number => spans.reduce((a, s) => a + s.end - s.start, 0);

function steadyOf(progress: { t: number; done: number }[]): IndexResult['steady'] {
  const first = progress[0];
  const last = progress[progress.length - 1];
  if (!first || !last || last === first) return null;
  return { photos: last.done - first.done, ms: last.t - first.t };
}

interface Marks {
  provider: string;
  fallbacks: string[];
  scanning: number;
  done: number;
  progress: { t: number; done: number }[];
  /** Per-thread CPU at the first batch's completion and at 'done'. */
  ticks: { first: TreeTicks | null; done: TreeTicks | null };
}

/** Opens a fresh write-mode engine on `libraryDir`, adds `root` and indexes it, noting milestones. */
async function indexOnce(args: IndexArgs, libraryDir: string, root: string, marks: Marks): Promise<IndexSummary> {
  const engine = await Engine.open(
    {
      libraryDir,
      modelDir: args.modelDir,
      ...(args.threads ? { threads: args.threads } : {}),
      ...(args.batchSize ? { batchSize: args.batchSize } : {}),
      ...(args.decodeSlots ? { decodeConcurrency: args.decodeSlots } : {}),
      ...(args.device ? { device: args.device } : {}),
    },
    { write: true, command: 'bench' },
  );
  try {
    await engine.addRoot(root);
    const model = (await engine.status()).model;
    marks.provider = model?.provider ?? 'unknown';
    marks.fallbacks = model?.fallbacks ?? [];
    return await engine.index({
      onProgress: (p) => {
        if (p.phase === 'indexing') {
          if (marks.progress.length === 0) marks.ticks.first = threadTicks();
          marks.progress.push({ t: performance.now(), done: p.done });
        }
        if (p.phase === 'done') {
          marks.ticks.done = threadTicks();
          marks.done = performance.now();
        }
        if (p.phase === 'scanning') marks.scanning = performance.now();
      },
    });
  } finally {
    await engine.close();
  }
}

export async function benchIndex(args: IndexArgs): Promise<IndexResult> {
  if (args.sharpConcurrency !== undefined) sharp.concurrency(args.sharpConcurrency);
  const spans: Span[] = [];
  const textSpans: Span[] = [];
  instrumentEmbedder(spans, textSpans);
  const root = await linkPhotos(args.photosDir, args.count, path.join(args.workDir, 'photos'));
  const libraryDir = path.join(args.workDir, 'library');
  await rm(libraryDir, { recursive: true, force: true });
  await mkdir(libraryDir, { recursive: true });
  const albumsDir = path.join(libraryDir, 'albums');
  const vocabCached = args.vocabCacheDir !== undefined && (await copyVocab(args.vocabCacheDir, albumsDir)) > 0;
  const marks: Marks = {
    provider: 'unknown',
    fallbacks: [],
    scanning: NaN,
    done: NaN,
    progress: [],
    ticks: { first: null, done: null },
  };
  const rss = new RssSampler();
  const foreign = new ForeignCpu();
  const t0 = performance.now();
  const cpu0 = treeCpuSeconds();
  const summary = await indexOnce(args, libraryDir, root, marks);
  const totalMs = performance.now() - t0;
  const cpuSeconds = treeCpuSeconds() - cpu0;
  if (args.vocabCacheDir !== undefined && !vocabCached) await copyVocab(albumsDir, args.vocabCacheDir);
  const firstBatchDone = marks.progress[0]?.t ?? Infinity;
  const { first, done } = marks.ticks;
  return {
    count: args.count,
    indexed: summary.indexed,
    failed: summary.failed,
    provider: marks.provider,
    fallbacks: marks.fallbacks,
    totalMs,
    doneMs: marks.done - t0,
    textCount: textSpans.reduce((a, x) => a + x.count, 0),
    textMs: spanMs(textSpans),
    vocabCached,
    steady: steadyOf(marks.progress),
    embedMs: spanMs(spans),
    embedCalls: spans.length,
    steadyEmbedMs: spanMs(spans.filter((x) => x.start >= firstBatchDone)),
    cpuCores: (cpuSeconds * 1000) / totalMs,
    steadyThreads:
      first && done && marks.done > firstBatchDone ? threadCores(first, done, marks.done - firstBatchDone) : null,
    peakRssBytes: rss.stop(),
    foreignCores: foreign.cores(),
    timeline: { scanning: marks.scanning - t0, embeds: spans.map((x) => [x.start - t0, x.end - t0, x.count]) },
  };
}
