import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { OrtScorer } from './score-session.ts';
import { scoreMatrix, TAG_RULE } from './tag-rule.ts';
import type { ScoreMatrix } from './tag-rule.ts';
import type { ScoreJob } from './score-job.ts';

export type ScoreBackend = 'onnxruntime' | 'js';

// A sibling module: keep this file's extension so it runs from sources (types stripped) and builds.
const WORKER_URL = new URL(`./score-worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url);

/** Below this many photos a batch is scored on the calling thread: a hand-off would cost more. */
const MIN_PARALLEL_ROWS = 256;

function shared(values: Float32Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(values.byteLength);
  new Float32Array(sab).set(values);
  return sab;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The score matrix of a whole library is the one CPU-heavy step of tagging (100,000 photos ×
 * 300 concepts × 512 dimensions). It runs through onnxruntime (see OrtScorer); where a session
 * cannot be opened, a warning says why and the JS product is split by photo rows over worker
 * threads instead, as it was before onnxruntime took it over.
 */
export class ScorePool {
  readonly #threads: number;
  readonly #ort: Promise<OrtScorer | null>;
  #js: JsScorePool | null = null;

  private constructor(threads: number, ort: Promise<OrtScorer | null>) {
    this.#threads = threads;
    this.#ort = ort;
  }

  /**
   * `threads` counts the calling thread; `backend: 'js'` skips onnxruntime (tests, benchmarks);
   * `logitScale` is the tag rule's (its softmax comes with the onnxruntime product).
   */
  static create(
    threads = availableParallelism(),
    opts: { backend?: ScoreBackend; logitScale?: number } = {},
  ): ScorePool {
    const ort =
      opts.backend === 'js'
        ? Promise.resolve(null)
        : OrtScorer.open(threads, opts.logitScale ?? TAG_RULE.logitScale).catch((err: unknown) => {
            process.emitWarning(
              `tagging falls back to the JS score matrix: onnxruntime could not open its session (${errorMessage(err)})`,
            );
            return null;
          });
    return new ScorePool(threads, ort);
  }

  /** Which path scores: known once the session has opened or failed to. */
  async backend(): Promise<ScoreBackend> {
    return (await this.#ort) ? 'onnxruntime' : 'js';
  }

  /**
   * The n × c matrix of photos against concept rows. `c` counts the generic caption, the last
   * row; on the onnxruntime path the result also carries the softmax of the other columns.
   */
  async score(photos: Float32Array, n: number, concepts: Float32Array, c: number, dim: number): Promise<ScoreMatrix> {
    const ort = await this.#ort;
    if (ort && c >= 2) return ort.score(photos, n, concepts, c, dim);
    this.#js ??= JsScorePool.create(this.#threads);
    return this.#js.score(photos, n, concepts, c, dim);
  }

  async close(): Promise<void> {
    await Promise.all([this.#ort.then((o) => o?.close()), this.#js?.close()]);
  }
}

/** The JS product split by photo rows over worker threads sharing inputs and output memory. */
class JsScorePool {
  readonly #workers: Worker[];
  #concepts: { source: Float32Array; sab: SharedArrayBuffer } | null = null;

  private constructor(workers: Worker[]) {
    this.#workers = workers;
  }

  /** `threads` counts the calling thread: 1 starts no worker at all. */
  static create(threads: number): JsScorePool {
    const workers = Array.from({ length: Math.max(0, threads - 1) }, () => new Worker(WORKER_URL));
    // An idle pool never keeps the process alive; a running job is awaited by its caller.
    for (const w of workers) w.unref();
    return new JsScorePool(workers);
  }

  async score(photos: Float32Array, n: number, concepts: Float32Array, c: number, dim: number): Promise<Float32Array> {
    const parts = this.#workers.length + 1;
    if (this.#workers.length === 0 || n < MIN_PARALLEL_ROWS) return scoreMatrix(photos, n, concepts, c, dim);
    if (this.#concepts?.source !== concepts) this.#concepts = { source: concepts, sab: shared(concepts) };
    const job = {
      photos: shared(photos.subarray(0, n * dim)),
      concepts: this.#concepts.sab,
      out: new SharedArrayBuffer(n * c * 4),
      conceptCount: c,
      dim,
    };
    const per = Math.ceil(n / parts);
    const running = this.#workers.map((w, k) =>
      this.#run(w, { ...job, from: (k + 1) * per, to: Math.min(n, (k + 2) * per) }),
    );
    const own = new Float32Array(job.photos).subarray(0, Math.min(n, per) * dim);
    scoreMatrix(
      own,
      Math.min(n, per),
      new Float32Array(job.concepts),
      c,
      dim,
      new Float32Array(job.out, 0, Math.min(n, per) * c),
    );
    await Promise.all(running);
    return new Float32Array(job.out);
  }

  #run(worker: Worker, job: ScoreJob): Promise<void> {
    if (job.from >= job.to) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      worker.once('error', onError);
      worker.once('message', () => {
        worker.off('error', onError);
        resolve();
      });
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
