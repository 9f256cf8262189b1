// Where untrusted files are decoded. The app decodes in a process of its own (decode-process.ts):
// a crafted file that reaches a bug in libvips, libheif or LibRaw then runs there, not in the
// main process. `localDecoder` decodes in this process, for tools that want no helper process.
import { forkChild } from '../child-process.ts';
import type { ChildChannel } from '../child-process.ts';
import { ShoeboxError } from '../errors.ts';
import { decodeForReading, decodePhoto, renderForDisplay } from './decode-photo.ts';
import type { DecodeOptions, DecodedPhoto } from './decode-photo.ts';
import type { DecodeReply, DecodeRequest, DecodeValue, ReadImage, RenderOptions } from './decode-protocol.ts';

export type { ReadImage, RenderOptions };

export interface Decoder {
  /** The one decode of a photo for indexing: model input, thumbnail (written), metadata. */
  photo(bytes: Buffer, opts: DecodeOptions): Promise<DecodedPhoto>;
  /** A HEIC, RAW or TIFF as WebP the viewer can show. */
  display(bytes: Buffer, opts: RenderOptions): Promise<Buffer>;
  /** The photo upright as 8-bit RGB, for the text reader. */
  read(bytes: Buffer, opts: RenderOptions): Promise<ReadImage>;
  close(): Promise<void>;
}

export const localDecoder: Decoder = {
  photo: decodePhoto,
  display: renderForDisplay,
  read: decodeForReading,
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
  resolve: (value: DecodeValue) => void;
  reject: (err: Error) => void;
}

/**
 * The decode process as the indexer sees it: started on the first file, asked many files at once
 * (it decodes them on its own thread pool), and started afresh after it dies. A death fails only
 * the files it was decoding, each with a reason that says so.
 */
export class DecodeClient implements Decoder {
  readonly #spawn: SpawnDecoder;
  #channel: DecodeChannel | null = null;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;

  constructor(spawn: SpawnDecoder = forkDecoder) {
    this.#spawn = spawn;
  }

  /** The running decode process's id (none until the first file, or after it died). */
  get pid(): number | undefined {
    return this.#channel?.pid;
  }

  photo(bytes: Buffer, opts: DecodeOptions): Promise<DecodedPhoto> {
    return this.#ask({ op: 'photo', bytes, opts }) as Promise<DecodedPhoto>;
  }

  async display(bytes: Buffer, opts: RenderOptions): Promise<Buffer> {
    const webp = (await this.#ask({ op: 'display', bytes, opts })) as Uint8Array;
    return Buffer.from(webp.buffer, webp.byteOffset, webp.byteLength);
  }

  read(bytes: Buffer, opts: RenderOptions): Promise<ReadImage> {
    return this.#ask({ op: 'read', bytes, opts }) as Promise<ReadImage>;
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

  #ask(request: Omit<DecodeRequest, 'id'>): Promise<DecodeValue> {
    if (this.#closed) return Promise.reject(new ShoeboxError('INTERNAL', 'the decoder is closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#running().send({ ...request, id } as DecodeRequest);
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
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(reply.code ? new ShoeboxError(reply.code, reply.message) : new Error(reply.message));
    });
    channel.onExit((code) => {
      if (this.#channel === channel) this.#channel = null;
      const how = code === null ? 'was killed' : `stopped (exit code ${code})`;
      const lost = [...this.#pending.values()];
      this.#pending.clear();
      for (const p of lost)
        p.reject(
          new ShoeboxError(
            'DECODE_FAILED',
            `the decoder process ${how} while reading this file: it may be damaged or crafted to crash a decoder`,
          ),
        );
    });
    return channel;
  }
}
