// f. Memory of the running app at rest: `shoebox serve` (the app's main side — LibraryService,
// watchers, the embedding worker — without Electron's own processes) on a library it has
// indexed, measured from /proc after it answers a search and again after it indexed new photos
// itself. RSS is read from outside, so the embedding worker thread is counted.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { linkPhotos } from './photos.ts';

export interface IdleArgs {
  modelDir: string;
  photosDir: string;
  workDir: string;
  /** Photos indexed before the app starts; as many again are added while it runs. */
  count: number;
  /**
   * How long the process must stay below 2% of a core before it counts as idle; by default a
   * little over the 30 s after which the app lets the image encoder go.
   */
  settleSeconds?: number;
}

export interface IdleResult {
  photos: number;
  /** After start-up and one text search (text encoder loaded, image encoder not yet). */
  afterSearchBytes: number;
  /** After the app itself indexed `count` new photos, once it went quiet. */
  afterIndexBytes: number;
  /** Seconds from the new photos' arrival until the process went quiet. */
  indexSeconds: number;
}

const CLI = new URL('../app/main/cli/main.ts', import.meta.url).pathname;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function procStat(pid: number): Promise<{ rss: number; cpuTicks: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN) * 1024;
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return { rss, cpuTicks: Number(stat[11]) + Number(stat[12]) };
}

/** Waits until the process used under 2% of a core for `seconds` in a row; returns its RSS then. */
async function quietRss(pid: number, seconds: number, timeoutMs = 600_000): Promise<number> {
  const start = Date.now();
  let quietSince = Date.now();
  let last = await procStat(pid);
  while (Date.now() - start < timeoutMs) {
    await sleep(500);
    const now = await procStat(pid);
    // 100 ticks a second on Linux: 1 tick per 500 ms is 2% of a core.
    if (now.cpuTicks - last.cpuTicks > 1) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= seconds * 1000) return now.rss;
  }
  throw new Error(`the app did not go quiet within ${timeoutMs / 1000} s`);
}

function runCli(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`shoebox ${args.join(' ')} exited with ${code}`))));
  });
}

function startServe(library: string): Promise<{ child: ChildProcess; url: URL }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--library', library, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`shoebox serve exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /running at (\S+)/.exec(out);
      if (m) resolve({ child, url: new URL(m[1]!) });
    });
  });
}

export async function benchIdle(args: IdleArgs): Promise<IdleResult> {
  const settle = args.settleSeconds ?? 35;
  const library = path.join(args.workDir, 'library');
  const root = await linkPhotos(args.photosDir, args.count, path.join(args.workDir, 'photos'));
  await runCli(['--library', library, '--model', args.modelDir, 'add', root]);
  await runCli(['--library', library, '--model', args.modelDir, 'index']);
  const { child, url } = await startServe(library);
  try {
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
    const res = await fetch(new URL('/api/call/search.text', url.origin), {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'a dog on the beach', limit: 10 }),
    });
    if (!res.ok) throw new Error(`search failed: HTTP ${res.status} ${await res.text()}`);
    const afterSearchBytes = await quietRss(child.pid!, settle);
    // New photos arrive in the watched folder: the running app indexes them itself.
    const t0 = Date.now();
    const more = await linkPhotos(args.photosDir, args.count * 2, path.join(args.workDir, 'photos-more'));
    await moveInto(more, root, args.count);
    const afterIndexBytes = await quietRss(child.pid!, settle);
    return { photos: args.count * 2, afterSearchBytes, afterIndexBytes, indexSeconds: (Date.now() - t0) / 1000 - settle };
  } finally {
    child.removeAllListeners('close');
    child.kill('SIGINT');
    await new Promise((r) => child.once('close', r));
  }
}

/** Moves the photos after the first `from` of `src` into the watched root (renames: each appears whole). */
async function moveInto(src: string, root: string, from: number): Promise<void> {
  const names = (await readdir(src)).sort().slice(from);
  for (const name of names) await rename(path.join(src, name), path.join(root, name));
}
