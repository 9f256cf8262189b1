// One file, downloaded resumably and verified. Bytes go to `<dest>.partial`; a later run asks
// for the rest with an HTTP Range request. Only a file that passes its check is renamed to
// `dest`; one that fails is deleted, never kept.
//
// Integrity comes only from the catalogue: each file is pinned by its exact size and sha256, and
// nothing a server says (its hashes, its sizes) can stand in for them. A redirect may not leave
// https: a pinned hash would still catch a changed file, but not the request leaking in clear.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { ModelDownloadError, corruptError, httpError, interruptedError, unreachableError } from './download-errors.ts';

export interface FileTarget {
  url: string;
  /** Where the verified file ends up; it is written to `${dest}.partial` first. */
  dest: string;
  /** How messages name the file (its path in the model folder). */
  label: string;
  sha256: string;
  /** Exact size. */
  bytes: number;
  /** What else the user can do when it cannot be fetched (default: import a CLIP model by hand). */
  hint?: string;
}

export interface DownloadOptions {
  dispatcher: Dispatcher;
  signal?: AbortSignal;
  /** The file's size and the bytes kept from an earlier run. */
  onStart?: (total: number, resumedFrom: number) => void;
  onData?: (bytes: number) => void;
  onVerify?: () => void;
}

export interface DownloadResult {
  bytes: number;
  resumedFrom: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 8;

interface Fetched {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  url: string;
}

function header(headers: Fetched['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function intHeader(headers: Fetched['headers'], name: string): number | null {
  const v = header(headers, name);
  const n = v === undefined ? NaN : Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => null))?.size ?? 0;
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The HTTP client for downloads (HTTPS_PROXY, NO_PROXY… honoured). undici is loaded when a download
 * starts, not with the engine: its hundred-odd modules took 0.13 s of every CLI start (status,
 * search) on a 2-core machine, and only an install needs them.
 */
export async function proxyAgent(): Promise<Dispatcher> {
  const { EnvHttpProxyAgent } = await import('undici');
  return new EnvHttpProxyAgent();
}

/** GET with the Range header kept on every hop; redirects are followed here to see each hop's headers. */
async function fetchFollowing(target: FileTarget, from: number, opts: DownloadOptions): Promise<Fetched> {
  const { request } = await import('undici');
  let url = target.url;
  const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'Shoebox (model download)' };
  if (from > 0) headers.range = `bytes=${from}-`;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: 'GET',
        headers,
        dispatcher: opts.dispatcher,
        signal: opts.signal,
        headersTimeout: 60_000,
        bodyTimeout: 60_000,
      });
    } catch (err) {
      throw unreachableError(err, url, target.label, opts.signal, target.hint);
    }
    const location = header(res.headers, 'location');
    if (!REDIRECTS.has(res.statusCode) || location === undefined) {
      return { status: res.statusCode, headers: res.headers, body: res.body, url };
    }
    await res.body.dump();
    const next = new URL(location, url);
    if (new URL(url).protocol === 'https:' && next.protocol !== 'https:') {
      throw new ModelDownloadError(
        'http',
        `${target.label}: refused a redirect from ${url} to ${next.href}, which leaves https`,
      );
    }
    url = next.href;
  }
  throw new ModelDownloadError('http', `${target.label}: more than ${MAX_REDIRECTS} redirects from ${target.url}`);
}

interface Plan {
  res: Fetched;
  /** Where writing starts: 0 (a fresh file) or the bytes already kept. */
  start: number;
  total: number | null;
  /** The kept bytes are already the whole file (the server said 416 to a Range past its end). */
  complete: boolean;
}

/** Asks for the rest of the file; restarts it when the server will not resume (a 200 to a Range). */
async function plan(target: FileTarget, partial: string, have: number, opts: DownloadOptions): Promise<Plan> {
  const res = await fetchFollowing(target, have, opts);
  if (res.status === 200) return { res, start: 0, total: intHeader(res.headers, 'content-length'), complete: false };
  const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header(res.headers, 'content-range') ?? '');
  if (res.status === 206 && range && Number(range[1]) === have) {
    return { res, start: have, total: range[2] === '*' ? null : Number(range[2]), complete: false };
  }
  const unsatisfied = /^bytes \*\/(\d+)$/.exec(header(res.headers, 'content-range') ?? '');
  if (res.status === 416 && unsatisfied && Number(unsatisfied[1]) === have)
    return { res, start: have, total: have, complete: true };
  await res.body.dump();
  if (res.status !== 206 && res.status !== 416) throw httpError(res.status, res.url, target.label, target.hint);
  if (have === 0)
    throw httpError(
      res.status,
      res.url,
      `${target.label} (a partial answer to a request for the whole file)`,
      target.hint,
    );
  // The kept bytes do not fit what the server has now: fetch the whole file again.
  await rm(partial, { force: true });
  return plan(target, partial, 0, opts);
}

async function writeBody(planned: Plan, partial: string, opts: DownloadOptions): Promise<void> {
  const fh = await open(partial, planned.start === 0 ? 'w' : 'a');
  try {
    for await (const chunk of planned.res.body as AsyncIterable<Buffer>) {
      // Each write is awaited, so what is on disk is exactly what arrived when the link drops.
      for (let off = 0; off < chunk.length;) off += (await fh.write(chunk, off)).bytesWritten;
      opts.onData?.(chunk.length);
    }
  } finally {
    await fh.close();
  }
}

/** The finished file against its pins; a file that fails is deleted, never kept. */
async function verify(target: FileTarget, partial: string, size: number): Promise<void> {
  const reject = async (check: string, want: string, got: string): Promise<never> => {
    await rm(partial, { force: true });
    throw corruptError(target.label, check, want, got);
  };
  if (size !== target.bytes) return reject('size', `${target.bytes} bytes`, `${size} bytes`);
  const got = await sha256Of(partial);
  if (got !== target.sha256) return reject('sha256', target.sha256, got);
}

export async function downloadFile(target: FileTarget, opts: DownloadOptions): Promise<DownloadResult> {
  const partial = `${target.dest}.partial`;
  let have = await sizeOf(partial);
  if (have > target.bytes) {
    await rm(partial, { force: true });
    have = 0;
  }
  const planned = await plan(target, partial, have, opts);
  const expected = target.bytes;
  // The server's own size, where it gives one, only lets a wrong file stop early.
  if (planned.total !== null && planned.total !== expected) {
    await planned.res.body.dump();
    await rm(partial, { force: true });
    throw corruptError(
      target.label,
      'size',
      `${expected} bytes`,
      `${planned.total} bytes (as the server announced it)`,
    );
  }
  opts.onStart?.(expected, planned.start);
  if (planned.complete) {
    await planned.res.body.dump();
  } else {
    try {
      await writeBody(planned, partial, opts);
    } catch (err) {
      throw interruptedError(err, target.label, await sizeOf(partial), expected, opts.signal);
    }
  }
  const size = await sizeOf(partial);
  if (size < expected) throw interruptedError(undefined, target.label, size, expected, opts.signal);
  opts.onVerify?.();
  await verify(target, partial, size);
  await rename(partial, target.dest);
  return { bytes: size, resumedFrom: planned.start };
}
