import { Worker } from 'node:worker_threads';
import { ShoeboxError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import type { ModelFolder } from '../model/model-folder.ts';
import type { EmbedReply, EmbedRequest, EmbedWorkerInit, EmbedderInfo, WorkerEvent, WorkerHello } from './embed-protocol.ts';
import type { ExecutionProvider } from './onnx-session.ts';
import { providersFor } from './providers.ts';

export interface EmbedderOptions {
  providers?: ExecutionProvider[];
  threads?: number;
  /** Release the image encoder after this long without images (0: never); default 30 s. */
  releaseImagesAfterMs?: number;
}

type Pending = { resolve: (v: Float32Array) => void; reject: (e: Error) => void };
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

// The worker is a sibling module; keep the extension of this file so it runs from sources
// (Node strips the types) and from a build alike.
const WORKER_URL = new URL(`./embed-worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url);

/**
 * The caller's side of the embedding worker thread: requests go over postMessage with their
 * buffers transferred, not copied, and answers come back as L2-normalised rows.
 */
export class Embedder {
  readonly info: EmbedderInfo;
  readonly modelId: string;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  #imageEncoderLoaded = true;

  private constructor(worker: Worker, info: EmbedderInfo, modelId: string) {
    this.#worker = worker;
    this.info = info;
    this.modelId = modelId;
    worker.on('message', (reply: EmbedReply | WorkerEvent) => {
      if ('event' in reply) {
        this.#imageEncoderLoaded = reply.loaded;
        return;
      }
      const p = this.#pending.get(reply.id);
      if (!p) return;
      this.#pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.vectors);
      else p.reject(new ShoeboxError(reply.code as ErrorCode, reply.message));
    });
    const failAll = (err: Error): void => {
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      if (!this.#closed) failAll(new ShoeboxError('INTERNAL', `the embedding worker stopped (exit code ${code})`));
    });
  }

  static async start(model: ModelFolder, opts: EmbedderOptions = {}): Promise<Embedder> {
    const init: EmbedWorkerInit = {
      visionPath: model.visionPath,
      textPath: model.textPath,
      tokenizerJson: model.tokenizerJson,
      tokenizerConfig: model.tokenizerConfig,
      config: model.config,
      preprocess: model.preprocess,
      ...(model.io ? { io: model.io } : {}),
      providers: opts.providers ?? providersFor('auto'),
      ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      ...(opts.releaseImagesAfterMs !== undefined ? { releaseImagesAfterMs: opts.releaseImagesAfterMs } : {}),
    };
    const worker = new Worker(WORKER_URL, { workerData: init });
    const hello = await new Promise<WorkerHello>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (!hello.ok) {
      await worker.terminate();
      throw new ShoeboxError(hello.code as ErrorCode, hello.message);
    }
    return new Embedder(worker, hello.info, model.id);
  }

  #request(req: WithoutId<EmbedRequest>, transfer: ArrayBuffer[] = []): Promise<Float32Array> {
    if (this.#closed) return Promise.reject(new ShoeboxError('INTERNAL', 'the embedder is closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...req, id }, transfer);
    });
  }

  /** False while the worker has released its image encoder for lack of photos (see image-encoder.ts). */
  get imageEncoderLoaded(): boolean {
    return this.#imageEncoderLoaded;
  }

  /** `pixels` holds `count` NCHW images back to back; its buffer is handed over to the worker. */
  embedImages(pixels: Float32Array, count: number): Promise<Float32Array> {
    return this.#request({ kind: 'images', pixels, count }, [pixels.buffer as ArrayBuffer]);
  }

  embedTexts(texts: string[]): Promise<Float32Array> {
    return this.#request({ kind: 'texts', texts });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#worker.terminate();
  }
}
