import { appendFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchRoots } from '#core/scan/watch-roots.ts';
import type { Change, RootWatcher, WatchOptions } from '#core/scan/watch-roots.ts';

// Short windows keep the file fast; every wait below polls against a deadline instead.
const DEBOUNCE_MS = 100;
const WRITE_FINISH_MS = 300;
// Longest a settled change may take to come out: write-finish threshold, its 100 ms poll,
// chokidar's 100 ms atomic hold on unlinks, the debounce, and slack for a loaded machine.
const SETTLE_MS = WRITE_FINISH_MS + DEBOUNCE_MS + 600;

let root: string;
let watcher: RootWatcher | undefined;
let batches: Change[][];
let errors: Error[];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'shoebox-watch-'));
  batches = [];
  errors = [];
});

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  await rm(root, { recursive: true, force: true });
});

async function start(opts: WatchOptions = {}, onBatch?: (batch: Change[]) => void): Promise<void> {
  watcher = watchRoots(
    [root],
    (batch) => {
      batches.push(batch);
      onBatch?.(batch);
    },
    { debounceMs: DEBOUNCE_MS, writeFinishMs: WRITE_FINISH_MS, onError: (err) => errors.push(err), ...opts },
  );
  await watcher.ready;
}

const p = (rel: string): string => join(root, rel);
const all = (): Change[] => batches.flat();
const eventsFor = (rel: string): string[] =>
  all()
    .filter((c) => c.path === p(rel))
    .map((c) => c.kind);

async function put(rel: string, content = 'x'): Promise<void> {
  await mkdir(dirname(p(rel)), { recursive: true });
  await writeFile(p(rel), content);
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(batches)}`);
    await sleep(20);
  }
}

describe('watchRoots', () => {
  it('reports a file written in pieces once, as add, only after it is complete', async () => {
    const sizesAtReport = new Map<string, number>();
    // A stability threshold many times the pauses below, so a loaded machine that stretches a
    // pause cannot make the half-written file look finished.
    await start({ writeFinishMs: 2500 }, (batch) => {
      for (const c of batch) void stat(c.path).then((s) => sizesAtReport.set(c.path, s.size));
    });
    const chunk = 'y'.repeat(1000);
    await writeFile(p('slow.jpg'), chunk);
    for (let i = 1; i < 6; i++) {
      await sleep(120); // 600 ms in all, each pause far shorter than the stability threshold
      expect(all(), `reported after ${i} of 6 chunks`).toEqual([]);
      await appendFile(p('slow.jpg'), chunk);
    }

    await until(() => eventsFor('slow.jpg').length > 0, 'add of slow.jpg', 15_000);
    await until(() => sizesAtReport.has(p('slow.jpg')), 'size probe');
    await sleep(SETTLE_MS);
    expect(eventsFor('slow.jpg')).toEqual(['add']);
    expect(sizesAtReport.get(p('slow.jpg'))).toBe(6000);
    expect(errors).toEqual([]);
  });

  it('reports change on rewrite and unlink on delete', async () => {
    await start();
    await put('a/pic.png', 'one');
    await until(() => eventsFor('a/pic.png').length === 1, 'add');

    await writeFile(p('a/pic.png'), 'second version');
    await until(() => eventsFor('a/pic.png').length === 2, 'change');

    await rm(p('a/pic.png'));
    await until(() => eventsFor('a/pic.png').length === 3, 'unlink');
    expect(eventsFor('a/pic.png')).toEqual(['add', 'change', 'unlink']);
  });

  it('does not report hidden, system or non-photo files', async () => {
    await start();
    await put('.hidden.jpg');
    await put('._IMG_1.jpg');
    await put('notes.txt');
    await put('.cache/x.jpg');
    await put('@eaDir/x.jpg');
    await put('trip/Thumbs.db');
    // Written last: once it is reported, anything written before has had its chance too.
    await put('trip/ok.JPG');
    await until(() => eventsFor('trip/ok.JPG').length > 0, 'sentinel');
    await sleep(DEBOUNCE_MS * 3);

    expect(all()).toEqual([{ kind: 'add', path: p('trip/ok.JPG') }]);
  });

  it('reports a folder removal so everything under it can be dropped', async () => {
    await put('album/a.jpg');
    await put('album/sub/b.jpg');
    await put('keep.jpg');
    await start();

    await rm(p('album'), { recursive: true });
    const covered = (rel: string): boolean =>
      all().some(
        (c) =>
          (c.kind === 'unlink' && c.path === p(rel)) || (c.kind === 'unlinkDir' && p(rel).startsWith(c.path + sep)),
      );
    await until(() => covered('album/a.jpg') && covered('album/sub/b.jpg'), 'removal of album');

    expect(all().some((c) => c.kind === 'unlinkDir' && c.path === p('album'))).toBe(true);
    expect(all().every((c) => c.path.startsWith(p('album')))).toBe(true);
  });

  it('delivers a burst of 50 files in a few batches, each file once', async () => {
    // Adds come out as each file's write settles; a window well over their spread on a loaded machine.
    const window = 1000;
    await start({ debounceMs: window });
    await Promise.all(Array.from({ length: 50 }, (_, i) => put(`burst/f${String(i).padStart(2, '0')}.jpg`)));

    await until(() => all().length >= 50, '50 adds', 15_000);
    // Long enough for a stray second report of any file to arrive.
    await sleep(window * 2);
    const paths = all().map((c) => c.path);
    expect(new Set(paths).size).toBe(50);
    expect(all().every((c) => c.kind === 'add')).toBe(true);
    expect(batches.length).toBeLessThanOrEqual(5);
  });

  it('coalesces events per path inside one window', async () => {
    await put('replaced.jpg', 'old');
    await put('keep.jpg');
    // A long window so each pair below lands in the same batch.
    // A window many times the pauses between the changes, so a loaded machine cannot split it.
    await start({ debounceMs: 5000 });

    await put('fleeting.jpg'); // add, then unlink: cancels out
    await rm(p('replaced.jpg')); // unlink, then add: a change
    await sleep(WRITE_FINISH_MS + 250);
    await rm(p('fleeting.jpg'));
    await put('replaced.jpg', 'new content');
    await put('keep.jpg', 'edited'); // change, then delete: unlink
    await sleep(WRITE_FINISH_MS + 250);
    await rm(p('keep.jpg'));

    await until(() => batches.length > 0, 'the batch', 20_000);
    await sleep(DEBOUNCE_MS * 3);
    const sorted = all().sort((a, b) => a.path.localeCompare(b.path));
    expect(sorted).toEqual([
      { kind: 'unlink', path: p('keep.jpg') },
      { kind: 'change', path: p('replaced.jpg') },
    ]);
  });

  it('reports nothing after close, even a change still in its debounce window', async () => {
    await start({ debounceMs: 400 });
    await put('pending.jpg');
    // Long enough for chokidar to hand the add over, too short for the debounce to flush.
    await sleep(WRITE_FINISH_MS + 200);
    await watcher!.close();
    await put('after.jpg');
    await sleep(SETTLE_MS);

    expect(batches).toEqual([]);
    expect(errors).toEqual([]);
  });
});
