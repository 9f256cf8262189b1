import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import type { IndexProgress } from '#core/index/index-types.ts';
import { indexerBeside } from '#support/indexer.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

type Rgb = [number, number, number];

async function solidJpeg(path: string, rgb: Rgb, width = 160, height = 120): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .jpeg({ quality: 90 })
    .toFile(path);
}

// Each test starts from the same indexed library (restored from a copy made once), so none
// depends on what an earlier one left behind, and each can run alone.
describe('Engine: index and search a real folder (sharp, onnxruntime-node, LanceDB on disk)', () => {
  let tmp: string;
  let photos: string;
  let modelDir: string;
  let engine: Engine;
  const library = (): string => join(tmp, 'library');
  const open = async (libraryDir = library()): Promise<Engine> =>
    Engine.open({ libraryDir, modelDir, threads: 1 }, { write: true, command: 'test' });
  const restore = async (from: string, to: string): Promise<void> => {
    await rm(to, { recursive: true, force: true });
    // Timestamps kept: the index knows files by size and mtime.
    await cp(from, to, { recursive: true, preserveTimestamps: true });
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-engine-'));
    modelDir = await makeTestModel(join(tmp, 'model'));
    photos = join(tmp, 'photos');
    for (const [name, rgb] of Object.entries(COLOURS)) {
      await solidJpeg(join(photos, `${name}.jpg`), rgb);
      await solidJpeg(join(photos, 'more', `${name}-2.jpg`), [Math.min(255, rgb[0] + 8), rgb[1], rgb[2]], 200, 90);
    }
    await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 40, g: 70, b: 230, alpha: 1 } } })
      .png()
      .toFile(join(photos, 'blue-graphic.png'));
    // Whole seconds: a copy keeps them exactly (sub-millisecond parts would not survive it).
    const made = Math.floor(Date.now() / 1000) - 7200;
    for (const name of await readdir(photos, { recursive: true })) await utimes(join(photos, name), made, made);
    const first = await open();
    await first.addRoot(photos);
    await first.index();
    await first.close();
    await restore(photos, join(tmp, 'photos-as-made'));
    await restore(library(), join(tmp, 'library-as-indexed'));
  });
  beforeEach(async () => {
    await restore(join(tmp, 'photos-as-made'), photos);
    await restore(join(tmp, 'library-as-indexed'), library());
    engine = await open();
  });
  afterEach(async () => {
    await engine.close();
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('indexes every photo once, and nothing again on a second run', async () => {
    const fresh = await open(join(tmp, 'library-fresh'));
    try {
      await fresh.addRoot(photos);
      const seen: IndexProgress[] = [];
      const first = await fresh.index({ onProgress: (p) => seen.push(p) });
      expect(first).toMatchObject({
        indexed: 17,
        reused: 0,
        failed: 0,
        removed: 0,
        unchanged: 0,
        offline: [],
        interrupted: false,
      });
      expect(seen.some((p) => p.phase === 'indexing' && p.done > 0 && p.rate > 0)).toBe(true);
      expect(seen.at(-1)).toMatchObject({ phase: 'done', done: 17, total: 17 });
      const second = await fresh.index();
      expect(second).toMatchObject({ indexed: 0, reused: 0, unchanged: 17, failed: 0, removed: 0 });
    } finally {
      await fresh.close();
    }
  });

  it('ranks red photos first for "red", and writes a thumbnail for each hit', async () => {
    const hits = await engine.search('a photo of something red', { limit: 5 });
    expect(
      hits
        .slice(0, 2)
        .map((h) => h.path)
        .sort(),
    ).toEqual([join(photos, 'more', 'red-2.jpg'), join(photos, 'red.jpg')]);
    expect(hits[0]!.score).toBeGreaterThan(hits[2]!.score!);
    for (const h of hits) expect((await stat(h.thumbPath)).size).toBeGreaterThan(0);
    expect(hits[0]).toMatchObject({
      width: expect.any(Number) as number,
      height: expect.any(Number) as number,
      format: 'jpeg',
    });
  });

  it('filters by folder, file type and date', async () => {
    const inMore = await engine.search('blue', { limit: 50, filters: { folder: join(photos, 'more') } });
    expect(inMore).toHaveLength(8);
    expect(inMore.every((h) => h.path.startsWith(join(photos, 'more') + '/'))).toBe(true);
    const png = await engine.search('blue', { limit: 50, filters: { types: ['PNG'] } });
    expect(png.map((h) => h.path)).toEqual([join(photos, 'blue-graphic.png')]);
    const future = await engine.search('blue', { filters: { from: Date.now() + 86_400_000 } });
    expect(future).toEqual([]);
    await expect(engine.search('   ')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(engine.search('red', { limit: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('does not read a file again while its size and mtime are unchanged', async () => {
    const file = join(photos, 'green.jpg');
    // Whole seconds, so the time survives utimes exactly; a touched file with the same content
    // is recognised by its hash and keeps its embedding.
    const when = Math.floor(Date.now() / 1000) - 3600;
    await utimes(file, when, when);
    expect(await engine.index()).toMatchObject({ indexed: 0, reused: 1, unchanged: 16 });
    const bytes = await readFile(file);
    // Same size, same mtime, different bytes: only a re-read would notice.
    await writeFile(file, Buffer.alloc(bytes.length, 0));
    await utimes(file, when, when);
    expect(await engine.index()).toMatchObject({ indexed: 0, failed: 0, unchanged: 17 });
    await writeFile(file, bytes);
    await utimes(file, when, when);
  });

  it('reuses the embedding of moved, renamed and copied photos instead of running the model', async () => {
    await rename(join(photos, 'yellow.jpg'), join(photos, 'more', 'renamed-yellow.jpg'));
    await cp(join(photos, 'purple.jpg'), join(photos, 'purple-copy.jpg'));
    const summary = await engine.index();
    expect(summary).toMatchObject({ indexed: 0, reused: 2, removed: 1, failed: 0 });
    const hits = await engine.search('yellow', { limit: 2 });
    expect(hits.map((h) => h.path)).toContain(join(photos, 'more', 'renamed-yellow.jpg'));
    expect(hits.map((h) => h.path)).not.toContain(join(photos, 'yellow.jpg'));
  });

  it('records broken files with a reason and indexes the rest', async () => {
    const bad = join(photos, 'bad');
    await mkdir(bad, { recursive: true });
    const good = await readFile(join(photos, 'red.jpg'));
    await writeFile(join(bad, 'empty.jpg'), Buffer.alloc(0));
    await writeFile(join(bad, 'random.png'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    await writeFile(join(bad, 'truncated.jpg'), good.subarray(0, Math.floor(good.length / 2)));
    await sharp({ create: { width: 20000, height: 20000, channels: 3, background: '#fff' }, limitInputPixels: false })
      .png({ compressionLevel: 9 })
      .toFile(join(bad, 'bomb.png'));
    await solidJpeg(join(bad, 'fine.jpg'), COLOURS.orange!, 130, 130);
    const rssBefore = process.memoryUsage().rss;
    const summary = await engine.index();
    expect(summary).toMatchObject({ indexed: 1, failed: 4 });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 1024 * 1024);
    const status = await engine.status();
    const reasons = Object.fromEntries(status.failures.map((f) => [f.path.slice(bad.length + 1), f.reason]));
    expect(reasons['empty.jpg']).toMatch(/empty/);
    expect(reasons['random.png']).toMatch(/not a supported image|unrecognised/);
    expect(reasons['truncated.jpg']).toMatch(/corrupt|truncated/);
    expect(reasons['bomb.png']).toMatch(/too large/);
    // A failed file is not retried until it changes.
    expect(await engine.index()).toMatchObject({ failed: 0, indexed: 0 });
    await rm(bad, { recursive: true });
    expect(await engine.index()).toMatchObject({ removed: 5 });
  });

  it('reports a file that vanished between the scan and the read, and forgets it once gone', async () => {
    const { indexer, close } = await indexerBeside(engine.library, modelDir);
    const counts = { indexed: 0, reused: 0, unchanged: 0, failed: 0, removed: 0 };
    const ghost = join(photos, 'ghost.jpg');
    await indexer.process([{ path: ghost, root: photos, size: 1234, mtime: Date.now() }], counts).finally(close);
    expect(counts.failed).toBe(1);
    expect((await engine.status()).failures).toEqual([
      expect.objectContaining({ path: ghost, reason: 'the file disappeared before it could be read' }),
    ]);
    expect(await engine.index()).toMatchObject({ removed: 1, failed: 0 });
    expect((await engine.status()).failures).toEqual([]);
  });

  it('reads nothing from elsewhere when a file became a link out between the scan and the read', async () => {
    const { indexer, close } = await indexerBeside(engine.library, modelDir);
    const outside = join(tmp, 'outside');
    await solidJpeg(join(outside, 'secret.jpg'), COLOURS.purple!);
    const file = join(photos, 'swapped.jpg');
    await solidJpeg(file, COLOURS.blue!);
    const scanned = await stat(file);
    await rm(file);
    await symlink(join(outside, 'secret.jpg'), file);
    const counts = { indexed: 0, reused: 0, unchanged: 0, failed: 0, removed: 0 };
    await indexer
      .process([{ path: file, root: photos, size: scanned.size, mtime: scanned.mtimeMs }], counts)
      .finally(close);
    expect(counts).toMatchObject({ indexed: 0, failed: 1 });
    expect((await engine.status()).failures).toEqual([
      expect.objectContaining({
        path: file,
        reason: 'the file is no longer inside the folder (a link leads elsewhere)',
      }),
    ]);
  });

  it('indexes what a file holds when it changed between the scan and the read, and settles on the next run', async () => {
    const { indexer, close } = await indexerBeside(engine.library, modelDir);
    const file = join(photos, 'changing.jpg');
    await solidJpeg(file, COLOURS.blue!, 150, 100);
    const scanned = await stat(file);
    // Rewritten after the scan saw it: the read gets the new (green) bytes.
    await solidJpeg(file, COLOURS.green!, 150, 100);
    const counts = { indexed: 0, reused: 0, unchanged: 0, failed: 0, removed: 0 };
    await indexer
      .process([{ path: file, root: photos, size: scanned.size, mtime: scanned.mtimeMs }], counts)
      .finally(close);
    expect(counts.indexed).toBe(1);
    const hit = (await engine.search('green', { limit: 50 })).find((h) => h.path === file);
    expect(hit?.score).toBeGreaterThan(0.9);
    // The stored size/mtime are the scan's, so the next run looks again: same content, no model run.
    expect(await engine.index()).toMatchObject({ indexed: 0, reused: 1, failed: 0 });
    expect(await engine.index()).toMatchObject({ indexed: 0, reused: 0 });
    await rm(file);
    expect(await engine.index()).toMatchObject({ removed: 1 });
  });

  it('keeps an unplugged root as it was and re-embeds nothing when it returns', async () => {
    const count = (await engine.status()).photos;
    const away = `${photos}-unplugged`;
    await rename(photos, away);
    const offline = await engine.index();
    expect(offline).toMatchObject({ offline: [photos], removed: 0, indexed: 0 });
    const status = await engine.status();
    expect(status.photos).toBe(count);
    expect(await engine.photoCount()).toBe(count);
    expect(status.roots[0]).toMatchObject({ path: photos, online: false, photos: count });
    expect((await engine.search('red', { limit: 1 }))[0]!.path).toBe(join(photos, 'red.jpg'));
    await rename(away, photos);
    expect(await engine.index()).toMatchObject({ indexed: 0, reused: 0, removed: 0, unchanged: count, offline: [] });
  });

  it('stops early when asked and resumes without redoing finished files', async () => {
    const extra = join(photos, 'extra');
    for (let i = 0; i < 60; i++)
      await solidJpeg(join(extra, `p${i}.jpg`), [(i * 37) % 256, (i * 91) % 256, (i * 53) % 256], 96, 64);
    const controller = new AbortController();
    const stopped = await engine.index({
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'indexing' && p.done > 0) controller.abort();
      },
    });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.indexed + stopped.reused).toBeGreaterThan(0);
    expect(stopped.indexed + stopped.reused).toBeLessThan(60);
    const resumed = await engine.index();
    expect(resumed.indexed + resumed.reused + stopped.indexed + stopped.reused).toBe(60);
  });

  it("removes a root's entries, never its files", async () => {
    const { removed } = await engine.removeRoot(photos);
    expect(removed).toBe(17);
    expect((await engine.status()).photos).toBe(0);
    expect((await stat(join(photos, 'red.jpg'))).isFile()).toBe(true);
    await expect(engine.removeRoot(photos)).rejects.toMatchObject({ code: 'ROOT_UNKNOWN' });
  });
});
