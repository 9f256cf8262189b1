// A local stand-in for huggingface.co for model-download tests: serves model folders on
// 127.0.0.1 the way the Hub does (resolve/ URLs; stored files over 10 kB answered with a
// redirect carrying X-Linked-Etag/X-Linked-Size, the CDN then honouring Range; the tree
// listing API, paginated with a Link header) and can be told to misbehave.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ServedRequest {
  method: string;
  path: string;
  range: string | undefined;
}

export interface Misbehaviour {
  /** Send this many body bytes of the file's next answer, then drop the connection (once per file). */
  cutAfter?: Map<string, number>;
  /** Serve these files with one byte changed; the headers still describe the good file. */
  corrupt?: Set<string>;
  /** Answer requests for these files with this HTTP status. */
  status?: Map<string, number>;
  /** Answer Range requests with 200 and the whole file, as some servers and proxies do. */
  ignoreRange?: boolean;
  /** Publish no sha256 (no X-Linked-Etag, a non-hash ETag), as a plain web server would. */
  noHashes?: boolean;
  /** Send file bodies at about this many bytes per second, as a slow connection would. */
  bytesPerSecond?: number;
}

export interface ModelServer {
  readonly origin: string;
  readonly requests: ServedRequest[];
  misbehave: Misbehaviour;
  /** `https://huggingface.co/<repo>/resolve/main/<file>`, but here. */
  url(repo: string, file: string): string;
  listUrl(repo: string, dir: string): string;
  close(): Promise<void>;
}

const LFS_THRESHOLD = 10_000;

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A git blob id, which is what the Hub sends as the ETag of a file kept in git rather than LFS. */
function gitBlobSha1(data: Uint8Array): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

async function filesUnder(dir: string, dirPath = ''): Promise<{ rel: string; data: Uint8Array }[]> {
  const out: { rel: string; data: Uint8Array }[] = [];
  for (const e of await readdir(path.join(dir, dirPath), { withFileTypes: true })) {
    const rel = dirPath ? `${dirPath}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await filesUnder(dir, rel)));
    else out.push({ rel, data: await readFile(path.join(dir, rel)) });
  }
  return out;
}

function sendBytes(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  key: string,
  good: Uint8Array,
  m: Misbehaviour,
  etag: string,
): void {
  let data = good;
  if (m.corrupt?.has(key)) {
    data = Uint8Array.from(good);
    data[Math.floor(data.length / 2)]! ^= 0xff;
  }
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  let start = 0;
  if (range && !m.ignoreRange) {
    start = Number(range[1]);
    if (start >= data.length) {
      res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
      return;
    }
    res.writeHead(206, {
      'content-length': data.length - start,
      'content-range': `bytes ${start}-${data.length - 1}/${data.length}`,
      etag,
      'accept-ranges': 'bytes',
    });
  } else {
    res.writeHead(200, { 'content-length': data.length, etag, 'accept-ranges': 'bytes' });
  }
  if (m.bytesPerSecond !== undefined) {
    trickle(res, data.subarray(start), m.bytesPerSecond);
    return;
  }
  const cut = m.cutAfter?.get(key);
  if (cut !== undefined) {
    m.cutAfter!.delete(key);
    // Destroyed only once the bytes are handed to the kernel, so the client gets exactly `cut`.
    res.write(data.subarray(start, start + cut), () => res.socket?.destroy());
    return;
  }
  res.end(data.subarray(start));
}

/** Writes the body in 20 slices a second, so a download takes as long as on a slow link. */
function trickle(res: http.ServerResponse, body: Uint8Array, bytesPerSecond: number): void {
  const slice = Math.max(1, Math.round(bytesPerSecond / 20));
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed) {
      clearInterval(timer);
      return;
    }
    const part = body.subarray(offset, offset + slice);
    offset += part.length;
    if (offset >= body.length) {
      clearInterval(timer);
      res.end(part);
    } else {
      res.write(part);
    }
  }, 50);
}

export async function startModelServer(
  repos: Record<string, string>,
  opts: { pageSize?: number } = {},
): Promise<ModelServer> {
  const store = new Map<string, Map<string, Uint8Array>>();
  for (const [repo, dir] of Object.entries(repos))
    store.set(repo, new Map((await filesUnder(dir)).map((f) => [f.rel, f.data])));
  const requests: ServedRequest[] = [];
  const state = { misbehave: {} as Misbehaviour };
  const pageSize = opts.pageSize ?? 1000;

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = decodeURIComponent(url.pathname);
    requests.push({ method: req.method ?? 'GET', path: p, range: req.headers.range });
    const m = state.misbehave;
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/main\/(.*)$/.exec(p);
    if (api) {
      const files = [...(store.get(api[1]!) ?? new Map<string, Uint8Array>())].filter(
        ([rel]) => path.posix.dirname(rel) === api[2],
      );
      const from = Number(url.searchParams.get('cursor') ?? 0);
      const page = files.slice(from, from + pageSize).map(([rel, data]) => ({
        type: 'file',
        path: rel,
        size: data.length,
        oid: gitBlobSha1(data),
        ...(data.length > LFS_THRESHOLD ? { lfs: { oid: sha256(data), size: data.length, pointerSize: 134 } } : {}),
      }));
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (from + pageSize < files.length) headers.link = `<${url.pathname}?cursor=${from + pageSize}>; rel="next"`;
      res.writeHead(200, headers).end(JSON.stringify(page));
      return;
    }
    const hit = /^\/(resolve|cdn)\/([^/]+\/[^/]+)\/(.+)$/.exec(
      p.replace(/^\/([^/]+\/[^/]+)\/resolve\/main\//, '/resolve/$1/'),
    );
    const data = hit ? store.get(hit[2]!)?.get(hit[3]!) : undefined;
    if (!hit || !data) {
      res.writeHead(404).end('Entry not found');
      return;
    }
    const key = hit[3]!;
    const status = m.status?.get(key);
    if (status !== undefined) {
      res.writeHead(status).end(`status ${status}`);
      return;
    }
    if (hit[1] === 'resolve' && data.length > LFS_THRESHOLD) {
      const linked = m.noHashes ? {} : { 'x-linked-etag': `"${sha256(data)}"`, 'x-linked-size': String(data.length) };
      res.writeHead(302, { location: `/cdn/${hit[2]}/${key}`, ...linked }).end();
      return;
    }
    sendBytes(
      req,
      res,
      key,
      data,
      m,
      hit[1] === 'cdn' ? `"cdn-${gitBlobSha1(data).slice(0, 12)}"` : `"${gitBlobSha1(data)}"`,
    );
  };

  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    get misbehave() {
      return state.misbehave;
    },
    set misbehave(v: Misbehaviour) {
      state.misbehave = v;
    },
    url: (repo, file) => `${origin}/${repo}/resolve/main/${file}`,
    listUrl: (repo, dir) => `${origin}/api/models/${repo}/tree/main/${dir}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 with nothing listening (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TlsRedirect {
  readonly origin: string;
  /** Requests answered with a redirect so far. */
  redirected(): number;
  close(): Promise<void>;
}

/**
 * An https server on 127.0.0.1 (a self-signed certificate made by openssl for the test) that
 * redirects every request to the same path on `target`: a mirror that downgrades to plain http.
 */
export async function startTlsRedirect(target: string): Promise<TlsRedirect> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-tls-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  let count = 0;
  const server = https.createServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
    count += 1;
    res.writeHead(302, { location: `${target}${req.url ?? '/'}` }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    redirected: () => count,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
