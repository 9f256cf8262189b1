// `npm run bench`: inference ceiling, decode rate, end-to-end indexing against the pipeline
// bound, text-query and vector-search latency, and peak and idle memory, side by side in one run.
// `--json` prints the report as JSON; `--quick` a smaller run; `--full` adds 1,000,000 vectors.
// Knobs for experiments: --threads N (ORT intra-op), --batch N, --sharp-concurrency N, --decode-slots N,
// --uv-threads N (libuv pool), --spinning 0|1 (bare inference only), --reps N, --only a,b,c,d,e,f,
// --vectors clustered|uniform, --quiet-wait S (how long to wait for other processes to go quiet),
// --index-models vit,tiny, --keep-vocab (reuse the album vocabulary's embeddings across runs),
// --photos N (ViT-B/32 index runs on N and N/2 photos), --device cpu|cuda|webgpu|dml|coreml (the
// provider for a and c; on a GPU the bound of c is min(a, cores × b)).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import type { ExecutionProvider } from '../app/main/core/embed/onnx-session.ts';
import { isDevice, tuningFor } from '../app/main/core/embed/providers.ts';
import { makeTestModel } from '../tests/support/test-model.ts';
import type { IdleResult } from './idle-bench.ts';
import type { IndexResult } from './index-bench.ts';
import { machineInfo, waitForQuiet } from './machine.ts';
import { PHOTO_HEIGHT, PHOTO_WIDTH, ensurePhotos, missingPhotos, photoFiles, totalBytes } from './photos.ts';
import { derive, formatTable } from './report.ts';
import type { BenchReport, IndexSeries } from './report.ts';
import type { DecodeAllResult, DecodeResult, InferResult } from './stage-bench.ts';
import type { TaskName } from './task.ts';
import type { QueryResult, SearchResult } from './vector-bench.ts';
import { CACHE_DIR, VIT_MODEL_VERSION, ensureVitModel, vitModelSizes } from './vit-model.ts';

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    only: { type: 'string' },
    reps: { type: 'string' },
    threads: { type: 'string' },
    batch: { type: 'string' },
    'sharp-concurrency': { type: 'string' },
    'decode-slots': { type: 'string' },
    'uv-threads': { type: 'string' },
    spinning: { type: 'string' },
    vectors: { type: 'string', default: 'clustered' },
    'quiet-wait': { type: 'string' },
    'index-models': { type: 'string', default: 'vit,tiny' },
    'keep-vocab': { type: 'boolean', default: false },
    photos: { type: 'string' },
    device: { type: 'string', default: 'cpu' },
  },
});

const device = flags.device;
if (!isDevice(device) || device === 'auto')
  throw new Error(`--device must be one of cpu, cuda, dml, coreml, webgpu (got ${device})`);
const provider: ExecutionProvider = device;

const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));
const sections = new Set((flags.only ?? 'a,b,c,d,e,f').split(','));
const quick = flags.quick;
const cfg = {
  vitPhotos: num(flags.photos) ?? (quick ? 32 : 96),
  tinyPhotos: quick ? 48 : 100,
  reps: num(flags.reps) ?? (quick ? 1 : 3),
  decodePhotos: quick ? 12 : 30,
  inferSeconds: quick ? 2 : 4,
  queries: quick ? 15 : 30,
  threads: num(flags.threads),
  batch: num(flags.batch),
  sharpConcurrency: num(flags['sharp-concurrency']),
  decodeSlots: num(flags['decode-slots']),
  uvThreads: num(flags['uv-threads']),
  spinning: flags.spinning as '0' | '1' | undefined,
  quietMs: (num(flags['quiet-wait']) ?? (quick ? 10 : 30)) * 1000,
  vectorKind: flags.vectors === 'uniform' ? ('uniform' as const) : ('clustered' as const),
};
const runsDir = path.join(CACHE_DIR, 'runs', String(process.pid));
const log = (msg: string): void => void process.stderr.write(`[bench] ${msg}\n`);

/** Runs one task in a fresh Node process (optionally pinned to one CPU) and parses its result. */
async function runTask<T>(name: TaskName, args: object, opts: { pin?: boolean } = {}): Promise<T> {
  const busy = await waitForQuiet(cfg.quietMs);
  if (busy !== null && busy >= 0.25) log(`  other processes are using ${busy.toFixed(2)} cores; measuring anyway`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (cfg.uvThreads !== undefined) env.UV_THREADPOOL_SIZE = String(cfg.uvThreads);
  const taskFile = new URL('./task.ts', import.meta.url).pathname;
  const canPin = opts.pin === true && process.platform === 'linux' && existsSync('/usr/bin/taskset');
  if (canPin) env.SHOEBOX_BENCH_PINNED = '1';
  const [cmd, argv] = canPin
    ? ['/usr/bin/taskset', ['-c', '0', process.execPath, taskFile]]
    : [process.execPath, [taskFile]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...argv, name, JSON.stringify(args)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`bench task ${name} exited with ${code}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}

async function indexSeries(
  model: IndexSeries['model'],
  modelDir: string,
  photosDir: string,
  count: number,
): Promise<IndexSeries> {
  const series: IndexSeries = { model, full: [], half: [] };
  const run = (n: number): Promise<IndexResult> =>
    runTask<IndexResult>('index', {
      modelDir,
      photosDir,
      workDir: path.join(runsDir, `${model}-${n}`),
      count: n,
      ...(cfg.batch ? { batchSize: cfg.batch } : {}),
      ...(cfg.threads ? { threads: cfg.threads } : {}),
      ...(cfg.sharpConcurrency ? { sharpConcurrency: cfg.sharpConcurrency } : {}),
      ...(cfg.decodeSlots ? { decodeSlots: cfg.decodeSlots } : {}),
      ...(provider === 'cpu' ? {} : { device: provider }),
      // Per bench run by default: its first library pays for the vocabulary once, and that is reported.
      vocabCacheDir: path.join(flags['keep-vocab'] ? CACHE_DIR : runsDir, 'vocab'),
    });
  // Interleaved, so a burst of load from elsewhere hits both sizes rather than one.
  for (let i = 0; i < cfg.reps; i++) {
    log(`index ${model}: ${count / 2} then ${count} photos (rep ${i + 1}/${cfg.reps})`);
    series.half.push(await run(count / 2));
    series.full.push(await run(count));
  }
  return series;
}

async function searchSection(vitDir: string, report: BenchReport): Promise<void> {
  const sizes = [10_000, 100_000, ...(flags.full ? [1_000_000] : [])];
  // Building the 1M table's HNSW-SQ index scales worse than linearly: 100k takes ~100 s on 2 cores.
  if (flags.full)
    log('--full: the first run builds a 1,000,000-row table and its index, which takes a long time on few cores');
  const texts = [
    'a dog on the beach',
    'birthday cake with candles',
    'snowy mountains at sunrise',
    'red car parked in the street',
    'kids playing football',
    'a plate of pasta',
    'old black and white family photo',
    'sunset over the sea',
    'a cat sleeping on a sofa',
    'city skyline at night',
  ];
  report.search = [];
  for (const count of sizes) {
    const spec = { kind: cfg.vectorKind, count, seed: 1 };
    if (sections.has('e') || count === 100_000) {
      log(`vector search at ${count} rows (the first run builds and caches the table)`);
      report.search.push(
        await runTask<SearchResult>('search', { cacheDir: CACHE_DIR, spec, queries: cfg.queries, limit: 10 }),
      );
    }
    if (count === 100_000 && sections.has('d')) {
      log('text queries at 100,000 rows');
      report.query = await runTask<QueryResult>('query', {
        cacheDir: CACHE_DIR,
        modelDir: vitDir,
        workDir: path.join(runsDir, 'query'),
        spec,
        queries: cfg.queries,
        limit: 10,
        texts,
      });
    }
  }
}

/** Missing photos are generated by one process per core: each takes about a second of JavaScript. */
async function generatePhotos(count: number): Promise<string> {
  const missing = await missingPhotos(count);
  const procs = Math.min(availableParallelism(), Math.ceil(missing / 4));
  if (procs > 1) {
    const script = new URL('./gen-photos.ts', import.meta.url).pathname;
    await Promise.all(
      Array.from(
        { length: procs },
        (_, k) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, [script, String(count), String(k), String(procs)], {
              stdio: ['ignore', 'inherit', 'inherit'],
            });
            child.on('error', reject);
            child.on('close', (code) =>
              code === 0 ? resolve() : reject(new Error(`photo generator ${k} exited with ${code}`)),
            );
          }),
      ),
    );
  }
  return ensurePhotos(count, (n) => n % 10 === 0 && log(`  generated ${n}`));
}

async function main(): Promise<void> {
  const machine = machineInfo();
  log('preparing the ViT-B/32-shaped model (cached after the first run)');
  const vitDir = await ensureVitModel();
  const tinyDir = await makeTestModel(path.join(CACHE_DIR, 'tiny-model'));
  const photoCount = Math.max(cfg.vitPhotos, cfg.tinyPhotos, cfg.decodePhotos);
  log(`preparing ${photoCount} 12 MP JPEGs (cached after the first run)`);
  const photosDir = await generatePhotos(photoCount);
  // What the indexer will use, so the bound is computed at the batch it really runs.
  const tuning = tuningFor(provider, machine.cores);
  const batchSize = cfg.batch ?? tuning.batch;
  const report: BenchReport = {
    machine,
    settings: {
      device: provider,
      quick,
      reps: cfg.reps,
      threads: cfg.threads ?? tuning.threads,
      batch: batchSize,
      sharpConcurrency: cfg.sharpConcurrency ?? 'default',
      decodeSlots: cfg.decodeSlots ?? 'default',
      uvThreads: cfg.uvThreads ?? 'default',
      spinning: cfg.spinning ?? 'app default',
      vectors: cfg.vectorKind,
    },
    model: { version: VIT_MODEL_VERSION, ...(await vitModelSizes(vitDir)) },
    photos: {
      count: photoCount,
      avgBytes: (await totalBytes(photoFiles(photosDir, photoCount))) / photoCount,
      width: PHOTO_WIDTH,
      height: PHOTO_HEIGHT,
    },
    derived: {},
  };
  const infer = (batchSizes: number[]): Promise<InferResult> =>
    runTask<InferResult>('infer', {
      modelDir: vitDir,
      batchSizes,
      seconds: cfg.inferSeconds,
      threads: cfg.threads ?? tuning.threads,
      provider,
      ...(cfg.spinning ? { spinning: cfg.spinning } : {}),
    });
  if (sections.has('a')) {
    log('a. bare onnxruntime throughput');
    report.inference = await infer([...new Set([1, 8, 16, batchSize])]);
  }
  if (sections.has('b')) {
    log('b. decode rate of one core');
    const decode = (modelDir: string): Promise<DecodeResult> =>
      runTask<DecodeResult>(
        'decode',
        { modelDir, photosDir, count: cfg.decodePhotos, sharpConcurrency: 1 },
        { pin: true },
      );
    report.decode = { vit: await decode(vitDir), tiny: await decode(tinyDir) };
    log('b. decode rate with every core decoding');
    report.decodeAll = await runTask<DecodeAllResult>('decode-all', {
      modelDir: vitDir,
      photosDir,
      count: cfg.decodePhotos,
      seconds: quick ? 3 : 6,
      ...(cfg.decodeSlots ? { decoders: cfg.decodeSlots } : {}),
    });
  }
  if (sections.has('c')) {
    const models = new Set(flags['index-models'].split(','));
    const none = (model: IndexSeries['model']): IndexSeries => ({ model, full: [], half: [] });
    report.index = {
      vit: models.has('vit') ? await indexSeries('vit-b32', vitDir, photosDir, cfg.vitPhotos) : none('vit-b32'),
      tiny: models.has('tiny') ? await indexSeries('tiny', tinyDir, photosDir, cfg.tinyPhotos) : none('tiny'),
    };
    // On a shared machine the ceiling drifts by 10-20% over minutes: measured again after c, the
    // bound uses the mean of both, so c is not judged against one lucky or unlucky minute.
    if (sections.has('a')) {
      log('a. bare onnxruntime throughput again, after c');
      report.inferenceAfter = await infer([batchSize]);
    }
  }
  if (sections.has('d') || sections.has('e')) await searchSection(vitDir, report);
  if (sections.has('f')) {
    log('f. memory of the running app at rest (shoebox serve)');
    report.idle = await runTask<IdleResult>('idle', {
      modelDir: vitDir,
      photosDir,
      workDir: path.join(runsDir, 'idle'),
      count: Math.floor(photoCount / 2),
    });
  }
  report.derived = derive(report, batchSize, provider !== 'cpu');
  process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatTable(report) + '\n');
}

try {
  await main();
} finally {
  await rm(runsDir, { recursive: true, force: true });
}
