// Where untrusted files are decoded. The app decodes in a process of its own (decode-process.ts):
// a crafted file that reaches a bug in libvips, libheif or LibRaw then runs there, not in the
// main process. `localDecoder` decodes in this process, for tools that want no helper process.
import { forkChild } from '../child-process.ts';
import type { ChildChannel } from '../child-process.ts';
import { ShoeboxError } from '../errors.ts';
import { decodeForReading, decodePhoto, renderForDisplay } from './decode-photo.ts';
import type { DecodeOptions, DecodedPhoto } from './decode-photo.ts';
import type {
  DecodeAsk,
  DecodeReply,
  DecodeRequest,
  DecodeValue,
  ReadImage,
  RenderOptions,
} from './decode-protocol.ts';
import { readSource } from './file-source.ts';
import type { FileSource } from './file-source.ts';

export type { ReadImage, RenderOptions };

export interface Decoder {
  /**
   * The one decode of a photo for indexing: model input, thumbnail (written), metadata. Each
   * method reads `bytes` until its promise settles: keep them unchanged till then. With `source`
   * (the file the bytes were read from), a decoder in another process reads the file itself.
   */
  photo(bytes: Buffer, opts: DecodeOptions, source?: FileSource): Promise<DecodedPhoto>;
  /** A HEIC, RAW or TIFF as WebP the viewer can show. */
  display(bytes: Buffer, opts: RenderOptions): Promise<Buffer>;
  /** The photo upright as 8-bit RGB, for the text reader: from its bytes, or a file to read (checked as photo's). */
  read(input: Buffer | FileSource, opts: RenderOptions): Promise<ReadImage>;
  close(): Promise<void>;
}

export const localDecoder: Decoder = {
  photo: (bytes, opts) => decodePhoto(bytes, opts),
  display: renderForDisplay,
  read: async (input, opts) => decodeForReading(Buffer.isBuffer(input) ? input : await readSource(input), opts),
  close: () => Promise.resolve(),
};

export type DecodeChannel = ChildChannel<DecodeRequest, DecodeReply>;
export type SpawnDecoder = () => DecodeChannel;

// A sibling module with this file's extension, as the inference process is (see inference-channel.ts).
export const DECODE_PROCESS_URL = new URL(
  `./decode-process${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`,
  import.meta.url,
);

export const forkDecoder: SpawnDecoder = () => forkChild(DECODE_PROCESS_URL);

interface Pending {
  request: DecodeAsk;
  resolve: (value: DecodeValue) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
  /** This file ran past the time limit: the one that got its process ended. */
  timedOut: boolean;
}

/**
 * Longest a file may take to decode: a 200 MP photo or a HEIC on a slow core takes seconds, a
 * decoder stuck in a loop on a crafted file takes forever. Past it the decode process is ended
 * and the next file starts a fresh one.
 */
export const DECODE_TIMEOUT_MS = 120_000;

export interface DecodeClientOptions {
  timeoutMs?: number;
  /**
   * Whether the files a dying process held are tried again, each in a process of its own: one
   * crafted file must not fail the photos that happened to be decoded beside it. Default true.
   */
  retry?: boolean;
}

/**
 * The decode process as the indexer sees it: started on the first file, asked many files at once
 * (it decodes them on its own thread pool), and started afresh after it dies. When it dies, the
 * other files it held are decoded again, each alone; the file that killed it fails, saying why.
 */
export class DecodeClient implements Decoder {
  readonly #spawn: SpawnDecoder;
  readonly #opts: Required<DecodeClientOptions>;
  #channel: DecodeChannel | null = null;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  /** Why the running process is being ended; null when it died by itself. */
  #ending: string | null = null;

  constructor(spawn: SpawnDecoder = forkDecoder, opts: DecodeClientOptions = {}) {
    this.#spawn = spawn;
    this.#opts = { timeoutMs: opts.timeoutMs ?? DECODE_TIMEOUT_MS, retry: opts.retry ?? true };
  }

  /** The running decode process's id (none until the first file, or after it died). */
  get pid(): number | undefined {
    return this.#channel?.pid;
  }

  photo(bytes: Buffer, opts: DecodeOptions, source?: FileSource): Promise<DecodedPhoto> {
    const request: DecodeAsk = source ? { op: 'photo-file', source, opts } : { op: 'photo', bytes, opts };
    return this.#ask(request) as Promise<DecodedPhoto>;
  }

  async display(bytes: Buffer, opts: RenderOptions): Promise<Buffer> {
    const webp = (await this.#ask({ op: 'display', bytes, opts })) as Uint8Array;
    return Buffer.from(webp.buffer, webp.byteOffset, webp.byteLength);
  }

  read(input: Buffer | FileSource, opts: RenderOptions): Promise<ReadImage> {
    const request: DecodeAsk = Buffer.isBuffer(input)
      ? { op: 'read', bytes: input, opts }
      : { op: 'read-file', source: input, opts };
    return this.#ask(request) as Promise<ReadImage>;
  }

  close(): Promise<void> {
    this.#closed = true;
    const channel = this.#channel;
    if (!channel) return Promise.resolve();
    return new Promise((resolve) => {
      channel.onExit(() => resolve());
      channel.kill();
    });
  }

  #ask(request: DecodeAsk): Promise<DecodeValue> {
    if (this.#closed) return Promise.reject(new ShoeboxError('INTERNAL', 'the decoder is closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const channel = this.#running();
      const pending: Pending = { request, resolve, reject, timedOut: false };
      pending.timer = setTimeout(() => {
        if (this.#channel !== channel) return;
        pending.timedOut = true;
        this.#ending = `took longer than ${Math.round(this.#opts.timeoutMs / 1000)} s on this file and was stopped`;
        channel.kill();
      }, this.#opts.timeoutMs);
      this.#pending.set(id, pending);
      // The caller keeps the bytes until this settles: a file tried again alone is sent again.
      channel.send({ ...request, id });
    });
  }

  #running(): DecodeChannel {
    if (this.#channel) return this.#channel;
    const channel = this.#spawn();
    this.#channel = channel;
    channel.onMessage((reply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      clearTimeout(pending.timer);
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(reply.code ? new ShoeboxError(reply.code, reply.message) : new Error(reply.message));
    });
    channel.onExit((code) => this.#lost(channel, code));
    return channel;
  }

  /** The process died: each file it held fails, or, where it may not be to blame, is tried alone. */
  #lost(channel: DecodeChannel, code: number | null): void {
    if (this.#channel === channel) this.#channel = null;
    const how = this.#ending ?? (code === null ? 'was killed' : `stopped (exit code ${code})`);
    this.#ending = null;
    const lost = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of lost) {
      clearTimeout(p.timer);
      if (this.#opts.retry && !this.#closed && !p.timedOut) {
        this.#alone(p);
        continue;
      }
      p.reject(
        new ShoeboxError(
          'DECODE_FAILED',
          `the decoder process ${how} while reading this file: it may be damaged or crafted to crash a decoder`,
        ),
      );
    }
  }

  /** One file decoded in a process of its own, which ends with it; it is not tried a third time. */
  #alone(p: Pending): void {
    const solo = new DecodeClient(this.#spawn, { timeoutMs: this.#opts.timeoutMs, retry: false });
    solo
      .#ask(p.request)
      .finally(() => solo.close())
      .then(p.resolve, p.reject);
  }
}
