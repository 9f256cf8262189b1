import { availableParallelism, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ShoeboxError } from '../../errors.ts';
import { tooLarge } from '../decode-errors.ts';
import type { HeifReply, HeifRequest } from './heif-protocol.ts';

// A sibling module; keep this file's extension so it runs from sources and from a build alike.
const WORKER_URL = new URL(`./heif-worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url);

/** A decoder thread's WebAssembly memory stays at its largest image's size: let it go when idle. */
const IDLE_EXIT_MS = 30_000;
/** What one thread may hold decoding a 48 MP HEIC (its pixels, libde265's frames, the heap around them). */
const BYTES_PER_THREAD = 1.5 * 1024 ** 3;

/** One thread a core, as long as that many 48 MP decodes fit in memory together. */
function maxThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(totalmem() / BYTES_PER_THREAD)));
}

export interface HeifPixels {
  width: number;
  height: number;
  /** Interleaved 8-bit RGB, rows packed. */
  rgb: Buffer;
}

interface Job {
  request: HeifRequest;
  resolve: (reply: HeifReply) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  job: Job | null;
  idle: NodeJS.Timeout | null;
}

/** Worker threads decoding HEIF files one at a time each: a core each, within memory. */
class HeifThreads {
  readonly #threads = new Set<Thread>();
  readonly #waiting: Job[] = [];
  readonly #max = maxThreads();

  run(request: HeifRequest): Promise<HeifReply> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ request, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#waiting.length > 0) {
      const thread =
        [...this.#threads].find((t) => t.job === null) ?? (this.#threads.size < this.#max ? this.#start() : null);
      if (!thread) return;
      this.#give(thread, this.#waiting.shift()!);
    }
  }

  #give(thread: Thread, job: Job): void {
    if (thread.idle) clearTimeout(thread.idle);
    thread.idle = null;
    thread.job = job;
    thread.worker.ref();
    // The copy of the file made for this decode moves to the thread rather than being copied again.
    thread.worker.postMessage(job.request, [job.request.bytes.buffer as ArrayBuffer]);
  }

  #start(): Thread {
    const thread: Thread = { worker: new Worker(WORKER_URL), job: null, idle: null };
    thread.worker.on('message', (reply: HeifReply) => {
      const job = thread.job;
      thread.job = null;
      job?.resolve(reply);
      this.#rest(thread);
      this.#dispatch();
    });
    // A WebAssembly abort or an exception outside a decode ends the thread: fail its job, start afresh.
    thread.worker.on('error', (err) => this.#lose(thread, err));
    thread.worker.on('exit', (code) =>
      this.#lose(thread, new Error(`the HEIF decoder thread stopped (exit code ${code})`)),
    );
    this.#threads.add(thread);
    return thread;
  }

  #rest(thread: Thread): void {
    if (thread.job) return;
    // Idle threads never keep the process alive.
    thread.worker.unref();
    thread.idle = setTimeout(() => {
      this.#threads.delete(thread);
      void thread.worker.terminate();
    }, IDLE_EXIT_MS);
    thread.idle.unref();
  }

  #lose(thread: Thread, err: Error): void {
    if (!this.#threads.delete(thread)) return;
    if (thread.idle) clearTimeout(thread.idle);
    thread.job?.reject(err);
    thread.job = null;
    this.#dispatch();
  }
}

let threads: HeifThreads | null = null;

/**
 * Decodes the primary image of a HEIF file (HEVC; iPhone photos) off this thread. Refuses an
 * image over `maxPixels` from its header, and fails a file libheif cannot read, with its reason.
 */
export async function decodeHeif(input: Buffer, maxPixels: number): Promise<HeifPixels> {
  threads ??= new HeifThreads();
  const reply = await threads.run({ bytes: new Uint8Array(input), maxPixels }).catch((err: unknown) => {
    throw new ShoeboxError(
      'DECODE_FAILED',
      `corrupt or truncated HEIC image: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  });
  switch (reply.type) {
    case 'decoded':
      return {
        width: reply.width,
        height: reply.height,
        rgb: Buffer.from(reply.rgb.buffer, reply.rgb.byteOffset, reply.rgb.byteLength),
      };
    case 'too-large':
      throw tooLarge(reply.width, reply.height, maxPixels);
    case 'failed':
      throw new ShoeboxError('DECODE_FAILED', `corrupt or truncated HEIC image: ${reply.reason}`);
  }
}
