// The two stages of indexing measured alone: bare inference on ready tensors (the ceiling the
// inference process could reach) and one core's decode rate (what each decode slot can supply).
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { decodePhoto } from '../app/main/core/decode/decode-photo.ts';
import { createSession } from '../app/main/core/embed/onnx-session.ts';
import type { ExecutionProvider } from '../app/main/core/embed/onnx-session.ts';
import { tuningFor } from '../app/main/core/embed/providers.ts';
import { uniform01 } from './random.ts';
import { openModelFolder } from '../app/main/core/model/model-folder.ts';
import { ForeignCpu } from './machine.ts';
import { photoFiles } from './photos.ts';

export interface InferArgs {
  modelDir: string;
  batchSizes: number[];
  /** Seconds of timed runs per batch size. */
  seconds: number;
  threads?: number;
  /** Default cpu; a GPU provider that cannot start fails the task rather than measuring the CPU. */
  provider?: ExecutionProvider;
  /** ORT's session.intra_op.allow_spinning; absent means the app's own session options. */
  spinning?: '0' | '1';
}

export interface InferResult {
  provider: ExecutionProvider;
  threads: number;
  perBatch: { batch: number; imagesPerSec: number; msPerBatch: number; runs: number }[];
  outputDims: number[];
  loadMs: number;
  foreignCores: number | null;
}

async function openVision(args: InferArgs, threads: number): Promise<ort.InferenceSession> {
  const file = path.join(args.modelDir, 'onnx', 'vision_model.onnx');
  // Without a spinning override this is exactly the app's session, options and all.
  if (args.spinning === undefined) return createSession(file, args.provider ?? 'cpu', threads);
  return ort.InferenceSession.create(file, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: args.spinning } } },
  });
}

function randomPixels(count: number): Float32Array {
  // Values in the normalised range CLIP's preprocessing produces; content does not change cost.
  const next = uniform01(12345);
  return Float32Array.from({ length: count }, () => next() * 4 - 2);
}

export async function benchInference(args: InferArgs): Promise<InferResult> {
  const provider = args.provider ?? 'cpu';
  const threads = args.threads ?? tuningFor(provider, availableParallelism()).threads;
  const t0 = performance.now();
  const session = await openVision(args, threads);
  const loadMs = performance.now() - t0;
  const foreign = new ForeignCpu();
  const perBatch: InferResult['perBatch'] = [];
  let outputDims: number[] = [];
  for (const batch of args.batchSizes) {
    const input = new ort.Tensor('float32', randomPixels(batch * 3 * 224 * 224), [batch, 3, 224, 224]);
    outputDims = [...(await session.run({ pixel_values: input })).image_embeds!.dims];
    let runs = 0;
    const start = performance.now();
    while (runs < 2 || performance.now() - start < args.seconds * 1000) {
      await session.run({ pixel_values: input });
      runs++;
    }
    const ms = performance.now() - start;
    perBatch.push({ batch, imagesPerSec: (runs * batch * 1000) / ms, msPerBatch: ms / runs, runs });
  }
  await session.release();
  return { provider, threads, perBatch, outputDims, loadMs, foreignCores: foreign.cores() };
}

export interface DecodeArgs {
  modelDir: string;
  photosDir: string;
  count: number;
  /** libvips threads per operation; 1 measures one core, as the bound formula wants. */
  sharpConcurrency: number;
}

export interface DecodeResult {
  photos: number;
  /** Photos per second of wall time, one decode at a time. */
  wallRate: number;
  /** Photos per CPU-second of this process: the per-core rate even if a helper thread ran. */
  cpuRate: number;
  msPerPhoto: number;
  /** SHA-256 of the file (the indexer's content hash), photos per second on one core. */
  hashRate: number;
  pinned: boolean;
  foreignCores: number | null;
}

export interface DecodeAllArgs {
  modelDir: string;
  photosDir: string;
  count: number;
  /** Seconds of decoding, cycling over the photos. */
  seconds: number;
  /** Decodes in flight at once; the indexer's default (cores + 2) when unset. */
  decoders?: number;
}

export interface DecodeAllResult {
  /** Decodes in flight at once: as many as the indexer runs. */
  decoders: number;
  cores: number;
  /** Photos per second of wall time with every core decoding. */
  rate: number;
  /** Cores this process kept busy meanwhile. */
  busyCores: number;
  foreignCores: number | null;
}

/**
 * Every core decoding at once, one libvips thread per decode, no inference: what the cores can
 * supply together. cores × b assumes they scale perfectly; where they share caches, memory
 * bandwidth or (with SMT) execution units, this says how far that holds. As many decodes run at
 * once as in the indexer, so a decode waiting on its thumbnail write does not idle a core.
 */
export async function benchDecodeAll(args: DecodeAllArgs): Promise<DecodeAllResult> {
  sharp.concurrency(1);
  const model = await openModelFolder(args.modelDir);
  const inputs = await Promise.all(photoFiles(args.photosDir, args.count).map((f) => readFile(f)));
  const thumbs = await mkdtemp(path.join(args.photosDir, '..', 'thumbs-'));
  const inputSize = model.preprocess.crop ?? { width: 224, height: 224 };
  const cores = availableParallelism();
  const decoders = args.decoders ?? cores + 2;
  let next = 0;
  let done = 0;
  try {
    const foreign = new ForeignCpu();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const deadline = t0 + args.seconds * 1000;
    await Promise.all(
      Array.from({ length: decoders }, async () => {
        while (performance.now() < deadline) {
          const i = next++;
          await decodePhoto(inputs[i % inputs.length]!, {
            preprocess: model.preprocess,
            inputSize,
            thumbFile: path.join(thumbs, `${i}.webp`),
          });
          done++;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return {
      decoders,
      cores,
      rate: done / seconds,
      busyCores: (cpu.user + cpu.system) / 1e6 / seconds,
      foreignCores: foreign.cores(),
    };
  } finally {
    await rm(thumbs, { recursive: true, force: true });
  }
}

export async function benchDecode(args: DecodeArgs): Promise<DecodeResult> {
  sharp.concurrency(args.sharpConcurrency);
  const model = await openModelFolder(args.modelDir);
  const files = photoFiles(args.photosDir, args.count);
  const inputs = await Promise.all(files.map((f) => readFile(f)));
  const thumbs = await mkdtemp(path.join(args.photosDir, '..', 'thumbs-'));
  const inputSize = model.preprocess.crop ?? { width: 224, height: 224 };
  const decode = (bytes: Buffer, i: number): Promise<unknown> =>
    decodePhoto(bytes, { preprocess: model.preprocess, inputSize, thumbFile: path.join(thumbs, `${i}.webp`) });
  try {
    for (let i = 0; i < Math.min(2, inputs.length); i++) await decode(inputs[i]!, -1 - i);
    const foreign = new ForeignCpu();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const [i, bytes] of inputs.entries()) await decode(bytes, i);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const foreignCores = foreign.cores();
    const h0 = performance.now();
    for (const bytes of inputs) createHash('sha256').update(bytes).digest('hex');
    const hashMs = performance.now() - h0;
    return {
      photos: inputs.length,
      wallRate: (inputs.length * 1000) / ms,
      cpuRate: inputs.length / ((cpu.user + cpu.system) / 1e6),
      msPerPhoto: ms / inputs.length,
      hashRate: (inputs.length * 1000) / hashMs,
      pinned: process.env.SHOEBOX_BENCH_PINNED === '1',
      foreignCores,
    };
  } finally {
    await rm(thumbs, { recursive: true, force: true });
  }
}
