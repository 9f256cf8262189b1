// f. Memory of the running app at rest: `shoebox serve` (the app's main side — LibraryService,
// watchers, the inference process — without Electron's own processes) on a library it has
// indexed, measured from /proc after it answers a search and again after it indexed new photos
// itself. RSS is read from outside and summed over the process and its children, so the
// inference process counts whenever it is running.
import { readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { linkPhotos } from './photos.ts';
import { treeCpuSeconds, treeRss } from './proc-tree.ts';
import { runCli } from '../tests/support/cli.ts';
import { startServe, stopServe } from '../tests/support/serve.ts';

export interface IdleArgs {
  modelDir: string;
  photosDir: string;
  workDir: string;
  /** Photos indexed before the app starts; as many again are added while it runs. */
  count: number;
  /**
   * How long the app must stay below 2% of a core before it counts as idle; by default a little
   * over the 60 s after which the inference process exits.
   */
  settleSeconds?: number;
}

export interface IdleResult {
  photos: number;
  /** After start-up, one text search and the quiet spell after it (by then the inference process has exited). */
  afterSearchBytes: number;
  /** After the app itself indexed `count` new photos, once it went quiet. */
  afterIndexBytes: number;
  /** Seconds from the new photos' arrival until the process went quiet. */
  indexSeconds: number;
  /** A search once idle: the inference process starts again and opens the text encoder. */
  wakeSearchMs: number;
  /** A search right after that one, the process running. */
  warmSearchMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until the app used under 2% of a core for `seconds` in a row; returns its RSS then. */
async function quietRss(pid: number, seconds: number, timeoutMs = 600_000): Promise<number> {
  const start = Date.now();
  let quietSince = Date.now();
  let last = treeCpuSeconds(pid);
  while (Date.now() - start < timeoutMs) {
    await sleep(500);
    const now = treeCpuSeconds(pid);
    // /proc counts in 10 ms ticks: more than one tick in 500 ms is busy (whole ticks, so float noise cannot flip it).
    if (Math.round((now - last) * 100) > 1) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= seconds * 1000) return treeRss(pid);
  }
  throw new Error(`the app did not go quiet within ${timeoutMs / 1000} s`);
}

/** The CLI to its end; a failure stops the benchmark with what the CLI printed. */
async function shoebox(args: string[]): Promise<void> {
  const r = await runCli(args, { timeoutMs: 1_800_000 });
  if (r.code !== 0) throw new Error(`shoebox ${args.join(' ')} exited with ${String(r.code ?? r.signal)}: ${r.stderr}`);
}

export async function benchIdle(args: IdleArgs): Promise<IdleResult> {
  const settle = args.settleSeconds ?? 65;
  const library = path.join(args.workDir, 'library');
  const root = await linkPhotos(args.photosDir, args.count, path.join(args.workDir, 'photos'));
  await shoebox(['--library', library, '--model', args.modelDir, 'add', root]);
  await shoebox(['--library', library, '--model', args.modelDir, 'index']);
  const serve = await startServe({ library, timeoutMs: 3_600_000 });
  const url = new URL(serve.url);
  const { child } = serve.cli;
  try {
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
    const search = async (query: string): Promise<number> => {
      const t = performance.now();
      const res = await fetch(new URL('/api/call/search.text', url.origin), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, limit: 10 }),
      });
      if (!res.ok) throw new Error(`search failed: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      return performance.now() - t;
    };
    await search('a dog on the beach');
    const afterSearchBytes = await quietRss(child.pid!, settle);
    const wakeSearchMs = await search('children playing in the snow');
    const warmSearchMs = await search('a red bicycle against a wall');
    // New photos arrive in the watched folder: the running app indexes them itself.
    const t0 = Date.now();
    const more = await linkPhotos(args.photosDir, args.count * 2, path.join(args.workDir, 'photos-more'));
    await moveInto(more, root, args.count);
    const afterIndexBytes = await quietRss(child.pid!, settle);
    return {
      photos: args.count * 2,
      afterSearchBytes,
      afterIndexBytes,
      indexSeconds: (Date.now() - t0) / 1000 - settle,
      wakeSearchMs,
      warmSearchMs,
    };
  } finally {
    await stopServe(serve);
  }
}

/** Moves the photos after the first `from` of `src` into the watched root (renames: each appears whole). */
async function moveInto(src: string, root: string, from: number): Promise<void> {
  const names = (await readdir(src)).sort().slice(from);
  for (const name of names) await rename(path.join(src, name), path.join(root, name));
}
