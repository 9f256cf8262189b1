import { ShoeboxError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';
import type { Calibration } from '../model/calibration.ts';
import type { ModelFolder } from '../model/model-folder.ts';
import type { EmbedRequest, EmbedderInfo, InferenceInit, InferenceMessage, OpenedInfo } from './embed-protocol.ts';
import { forkInference } from './inference-channel.ts';
import type { InferenceChannel, SpawnInference } from './inference-channel.ts';
import type { ExecutionProvider } from './onnx-session.ts';
import type { FoundFace } from './face-reader.ts';
import type { TextLine } from './text-reader.ts';
import type { TextRecogniserFiles } from '../ocr/ocr-models.ts';
import { providersFor } from './providers.ts';

export interface EmbedderOptions {
  providers?: ExecutionProvider[];
  threads?: number;
  /** Release the image encoder after this long without images (0: never); default 30 s. */
  releaseImagesAfterMs?: number;
  /** Let the inference process exit after this long without requests (0: never); default 60 s. */
  exitWhenIdleMs?: number;
  /** How the inference process starts; default a Node child process (the Electron app passes a utility process). */
  spawn?: SpawnInference;
  /** The model's images moved to another provider (the GPU failed after start-up). */
  onProviderChange?: (modelId: string, provider: ExecutionProvider) => void;
}

type Reply = Float32Array | TextLine[] | FoundFace[];
type Pending = { resolve: (v: Reply) => void; reject: (e: Error) => void };
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const DEFAULT_EXIT_WHEN_IDLE_MS = 60_000;
/** A process that has not opened the model by then (a GPU driver stuck in its start) is given up on. */
const HELLO_TIMEOUT_MS = 120_000;

/** The inference process died holding the request (not stopped by us): worth one more try. */
class ProcessLost extends ShoeboxError {
  constructor(code: number | null) {
    super('INTERNAL', `the inference process stopped (exit code ${code})`);
  }
}

/** A started inference process and the requests it owes answers to. */
interface Host {
  channel: InferenceChannel;
  pending: Map<number, Pending>;
  imageEncoderLoaded: boolean;
  /** Set when we stop it ourselves: its exit is no failure. */
  stopping: boolean;
  gone: boolean;
  exited: Promise<void>;
}

/** What the embedder is told about a started process. */
interface HostCallbacks {
  /** The process exited after it had opened the model. */
  onGone(host: Host, code: number | null): void;
  /** Its image encoder could not reopen on the proved provider and moved to `provider`. */
  onFellBack(provider: ExecutionProvider, reason: string): void;
}

/**
 * Starts the process and hands it the model. The host is there at once, so a close can stop a
 * process that is still opening; `opened` settles with its hello, or fails when it exits first or
 * does not answer within HELLO_TIMEOUT_MS.
 */
function launch(
  spawn: SpawnInference,
  init: InferenceInit,
  callbacks: HostCallbacks,
): { host: Host; opened: Promise<OpenedInfo> } {
  const channel = spawn();
  let markExited!: () => void;
  const host: Host = {
    channel,
    pending: new Map(),
    imageEncoderLoaded: init.known === undefined,
    stopping: false,
    gone: false,
    exited: new Promise((r) => (markExited = r)),
  };
  const opened = new Promise<OpenedInfo>((resolve, reject) => {
    let opened: OpenedInfo | null = null;
    const giveUp = setTimeout(() => {
      host.stopping = true;
      channel.kill();
      reject(
        new ShoeboxError(
          'INTERNAL',
          `the inference process did not open the model within ${HELLO_TIMEOUT_MS / 1000} s`,
        ),
      );
    }, HELLO_TIMEOUT_MS);
    channel.onMessage((msg: InferenceMessage) => {
      switch (msg.type) {
        case 'image-encoder':
          host.imageEncoderLoaded = msg.loaded;
          break;
        case 'fell-back':
          callbacks.onFellBack(msg.provider, msg.reason);
          break;
        case 'result':
        case 'lines':
        case 'faces':
        case 'failed': {
          const waiting = host.pending.get(msg.id);
          if (!waiting) return;
          host.pending.delete(msg.id);
          if (msg.type === 'result') waiting.resolve(msg.vectors);
          else if (msg.type === 'lines') waiting.resolve(msg.lines);
          else if (msg.type === 'faces') waiting.resolve(msg.faces);
          else waiting.reject(new ShoeboxError(msg.code as ErrorCode, msg.message));
          break;
        }
        case 'hello':
          clearTimeout(giveUp);
          opened = msg.opened;
          resolve(opened);
          break;
        case 'open-failed':
          clearTimeout(giveUp);
          host.stopping = true;
          channel.kill();
          reject(new ShoeboxError(msg.code as ErrorCode, msg.message));
          break;
      }
    });
    channel.onExit((code) => {
      clearTimeout(giveUp);
      host.gone = true;
      markExited();
      if (opened === null)
        reject(
          new ShoeboxError('INTERNAL', `the inference process stopped before it opened the model (exit code ${code})`),
        );
      else callbacks.onGone(host, code);
    });
    channel.send({ type: 'init', init });
  });
  return { host, opened };
}

/**
 * The caller's side of the inference process: requests go over process messaging and answers
 * come back as L2-normalised rows. The process exits after a quiet spell, giving back the
 * encoders' memory, and starts again on the next request; one that crashes fails only the
 * requests it held, and the next request starts a fresh one.
 */
export class Embedder {
  readonly modelId: string;
  /** What the model's scores mean (thresholds for tags, smart albums, the relevance cut). */
  readonly calibration: Calibration;
  readonly #init: InferenceInit;
  readonly #spawn: SpawnInference;
  readonly #exitWhenIdleMs: number;
  readonly #onProviderChange: EmbedderOptions['onProviderChange'];
  #opened: OpenedInfo;
  #host: Host | null;
  #starting: Promise<Host> | null = null;
  /** The process behind #starting, so close can stop it before it answers. */
  #startingHost: Host | null = null;
  #idleTimer: NodeJS.Timeout | undefined;
  #nextId = 1;
  #closed = false;

  private constructor(host: Host, opened: OpenedInfo, init: InferenceInit, model: ModelFolder, opts: EmbedderOptions) {
    this.#host = host;
    this.#opened = opened;
    this.#init = init;
    this.modelId = model.id;
    this.calibration = model.calibration;
    this.#spawn = opts.spawn ?? forkInference;
    this.#exitWhenIdleMs = opts.exitWhenIdleMs ?? DEFAULT_EXIT_WHEN_IDLE_MS;
    this.#onProviderChange = opts.onProviderChange;
    this.#scheduleExit();
  }

  static async start(model: ModelFolder, opts: EmbedderOptions = {}): Promise<Embedder> {
    const init: InferenceInit = {
      visionPath: model.visionPath,
      textPath: model.textPath,
      tokenizerJson: model.tokenizerJson,
      tokenizerConfig: model.tokenizerConfig,
      config: model.config,
      preprocess: model.preprocess,
      io: model.io,
      providers: opts.providers ?? providersFor('auto'),
      threads: opts.threads,
      releaseImagesAfterMs: opts.releaseImagesAfterMs,
    };
    // The embedder does not exist yet, so a crash before it does has nobody to tell.
    let embedder: Embedder | null = null;
    const { host, opened } = launch(opts.spawn ?? forkInference, init, {
      onGone: (goneHost, code) => {
        if (embedder) embedder.#gone(goneHost, code);
      },
      onFellBack: (provider, reason) => {
        if (embedder) embedder.#fellBack(provider, reason);
      },
    });
    embedder = new Embedder(host, await opened, init, model, opts);
    return embedder;
  }

  get info(): EmbedderInfo {
    return this.#opened.info;
  }

  /** Whether the inference process is running now (it exits when idle). */
  get running(): boolean {
    return this.#host !== null;
  }

  /** False while no process holds the image encoder (released when idle, or the process exited). */
  get imageEncoderLoaded(): boolean {
    return this.#host?.imageEncoderLoaded ?? false;
  }

  /**
   * `rgb` holds `count` images back to back, each the model's input size as interleaved 8-bit
   * RGB (DecodedPhoto.rgb); the inference process normalises them as the model's config says.
   */
  embedImages(rgb: Uint8Array, count: number): Promise<Float32Array> {
    return this.#request({ type: 'images', rgb, count }) as Promise<Float32Array>;
  }

  embedTexts(texts: string[]): Promise<Float32Array> {
    return this.#request({ type: 'texts', texts }) as Promise<Float32Array>;
  }

  /** Where the OCR detector finds lines of text in one image (their text left empty): the check before reading. */
  findText(rgb: Uint8Array, width: number, height: number, recogniser?: TextRecogniserFiles): Promise<TextLine[]> {
    // The recogniser does not detect, but naming the one the reads will use keeps one set of models open.
    return this.#request({ type: 'read-text', rgb, width, height, detectOnly: true, recogniser }) as Promise<
      TextLine[]
    >;
  }

  /** The faces in one image (interleaved 8-bit RGB), largest first, each with its embedding. */
  findFaces(rgb: Uint8Array, width: number, height: number): Promise<FoundFace[]> {
    return this.#request({ type: 'find-faces', rgb, width, height }) as Promise<FoundFace[]>;
  }

  /** The lines of text in one image (interleaved 8-bit RGB), read by the OCR models beside CLIP. */
  readText(rgb: Uint8Array, width: number, height: number, recogniser?: TextRecogniserFiles): Promise<TextLine[]> {
    return this.#request({ type: 'read-text', rgb, width, height, recogniser }) as Promise<TextLine[]>;
  }

  /**
   * Starts the inference process if it exited when idle, so a search about to be typed does not
   * wait ~1 s for it; the idle clock starts again from now.
   */
  async warm(): Promise<void> {
    if (this.#closed) return;
    clearTimeout(this.#idleTimer);
    try {
      await this.#ensure();
    } finally {
      this.#scheduleExit();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    // A process still opening is stopped too: waiting for its hello could wait for ever.
    const host = this.#host ?? this.#startingHost;
    this.#host = null;
    if (host) await this.#stop(host);
  }

  /**
   * One request, tried again once on a fresh process if the process died holding it: a driver
   * hiccup must not leave photos recorded as failed. A request that kills the process twice is
   * failed with the reason.
   */
  async #request(req: WithoutId<EmbedRequest>): Promise<Reply> {
    if (this.#closed) throw new ShoeboxError('INTERNAL', 'the embedder is closed');
    clearTimeout(this.#idleTimer);
    try {
      try {
        return await this.#send(req);
      } catch (err) {
        if (!(err instanceof ProcessLost) || this.#closed) throw err;
        return await this.#send(req).catch((again: unknown) => {
          throw again instanceof ProcessLost
            ? new ShoeboxError('INTERNAL', `${again.message} twice while embedding this request`)
            : again;
        });
      }
    } finally {
      this.#scheduleExit();
    }
  }

  async #send(req: WithoutId<EmbedRequest>): Promise<Reply> {
    const id = this.#nextId++;
    const host = await this.#ensure();
    return new Promise<Reply>((resolve, reject) => {
      if (host.gone) {
        reject(new ProcessLost(null));
        return;
      }
      host.pending.set(id, { resolve, reject });
      host.channel.send({ ...req, id });
    });
  }

  /** The running process, or a new one that reopens the model with what the first one proved. */
  #ensure(): Promise<Host> {
    if (this.#host) return Promise.resolve(this.#host);
    if (this.#starting) return this.#starting;
    const { host, opened } = launch(
      this.#spawn,
      { ...this.#init, known: this.#opened },
      {
        onGone: (goneHost, code) => this.#gone(goneHost, code),
        onFellBack: (provider, reason) => this.#fellBack(provider, reason),
      },
    );
    this.#startingHost = host;
    this.#starting = opened
      .then((info) => {
        this.#opened = info;
        if (this.#closed) {
          void this.#stop(host);
          throw new ShoeboxError('INTERNAL', 'the embedder is closed');
        }
        this.#host = host;
        return host;
      })
      .finally(() => {
        this.#starting = null;
        this.#startingHost = null;
      });
    return this.#starting;
  }

  /**
   * What status shows (the owner is told), and what the next process opens on: after an idle exit
   * it starts on the CPU rather than trying the failed provider again (the app's next start does).
   */
  #fellBack(provider: ExecutionProvider, reason: string): void {
    const { info } = this.#opened;
    this.#opened = { ...this.#opened, info: { ...info, provider, fallbacks: [...info.fallbacks, reason] } };
    this.#onProviderChange?.(this.modelId, provider);
  }

  #busy(): boolean {
    return this.#starting !== null || (this.#host?.pending.size ?? 0) > 0;
  }

  #scheduleExit(): void {
    clearTimeout(this.#idleTimer);
    if (this.#closed || this.#exitWhenIdleMs <= 0 || this.#busy() || this.#host === null) return;
    this.#idleTimer = setTimeout(() => {
      const host = this.#host;
      if (!host || this.#busy()) return;
      this.#host = null;
      void this.#stop(host);
    }, this.#exitWhenIdleMs);
    // The timer alone must not keep a process alive (the CLI ends by closing the engine).
    this.#idleTimer.unref();
  }

  async #stop(host: Host): Promise<void> {
    host.stopping = true;
    host.channel.kill();
    await host.exited;
  }

  #gone(host: Host, code: number | null): void {
    if (this.#host === host) this.#host = null;
    if (host.pending.size === 0) return;
    const err = host.stopping ? new ShoeboxError('INTERNAL', 'the embedder is closed') : new ProcessLost(code);
    for (const waiting of host.pending.values()) waiting.reject(err);
    host.pending.clear();
  }
}
