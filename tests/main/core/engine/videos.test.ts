// Videos through the whole engine: Debian's ffmpeg makes them, the npm-installed ffmpeg samples
// them, the test model embeds the frames in the inference process, LanceDB keeps them on disk.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { trimmedCopy, videoOf } from '#support/media-tools.ts';
import { makeTestModel } from '#support/test-model.ts';

describe('Engine: videos are items found at their best moment', () => {
  let tmp = '';
  let photos = '';
  let engine: Engine;

  const frameCount = async (): Promise<number> => {
    const db = await lancedb.connect(join(tmp, 'library', 'db'));
    try {
      const name = (await db.tableNames()).find((n) => n.startsWith('frames__'));
      if (!name) throw new Error('no frames table');
      const table = await db.openTable(name);
      const n = await table.countRows();
      table.close();
      return n;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-videos-'));
    photos = join(tmp, 'photos');
    await mkdir(photos, { recursive: true });
    await sharp({ create: { width: 160, height: 120, channels: 3, background: { r: 220, g: 30, b: 30 } } })
      .jpeg()
      .toFile(join(photos, 'red.jpg'));
    await videoOf(join(photos, 'clip.mp4'), {
      scenes: [
        { colour: 'black', seconds: 1 },
        { colour: '0x1EB432', seconds: 3 },
        { colour: '0x1E3CDC', seconds: 3 },
      ],
      metadata: { creation_time: '2022-08-01T09:00:00Z' },
    });
    await writeFile(
      join(photos, 'broken.mov'),
      Buffer.concat([Buffer.from('\0\0\0\x14ftypqt  \0\0\0\0qt  '), Buffer.alloc(64)]),
    );
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir: await makeTestModel(join(tmp, 'model')), threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('indexes a video once as one item, with its length and date, and says why a broken one failed', async () => {
    const written: { done: number; total: number }[] = [];
    const summary = await engine.index({
      onProgress: (p) => {
        if (p.phase === 'indexing') written.push({ done: p.done, total: p.total });
      },
    });
    expect(summary).toMatchObject({ indexed: 2, failed: 1 });
    // The photo is written in a pass of its own before the videos are sampled: videos never hold photos back.
    expect(written[0]).toEqual({ done: 1, total: 3 });
    expect(written.at(-1)).toEqual({ done: 3, total: 3 });
    const failures = await engine.failures();
    expect(failures.map((f) => f.path)).toEqual([join(photos, 'broken.mov')]);
    expect(failures[0]!.reason).toMatch(/moov atom not found|Invalid data/);
    const { items } = await engine.listPhotos(0, 10);
    const clip = items.find((h) => h.path.endsWith('clip.mp4'))!;
    expect(clip).toMatchObject({ kind: 'video', format: 'mp4', date: Date.UTC(2022, 7, 1, 9) });
    expect(clip.durationMs).toBeGreaterThanOrEqual(6900);
    expect(items.find((h) => h.path.endsWith('red.jpg'))).toMatchObject({ kind: 'photo', durationMs: null });
    expect(await frameCount()).toBe(2);
    expect((await engine.index()).indexed).toBe(0);
  });

  it('finds the video by what happens in it, at the moment it happens', async () => {
    const [blue] = await engine.search('blue', { limit: 3 });
    expect(blue).toMatchObject({ kind: 'video', at: 4 });
    const [green] = await engine.search('green', { limit: 3 });
    expect(green).toMatchObject({ kind: 'video', at: 1 });
    // A photo result carries no moment; a video's score is its best frame's.
    const red = await engine.search('red', { limit: 3 });
    expect(red[0]).toMatchObject({ kind: 'photo', at: null });
    expect(blue!.score!).toBeGreaterThan(red.find((h) => h.kind === 'video')!.score!);
    expect((await engine.search('blue', { filters: { types: ['video'] } })).map((h) => h.kind)).toEqual(['video']);
    expect((await engine.search('blue', { filters: { types: ['jpg'] } })).map((h) => h.kind)).toEqual(['photo']);
  });

  it('reuses a copied video without decoding it, and drops its frames once every copy is gone', async () => {
    await mkdir(join(photos, 'copies'));
    await copyFile(join(photos, 'clip.mp4'), join(photos, 'copies', 'clip-copy.mp4'));
    expect(await engine.index()).toMatchObject({ indexed: 0, reused: 1 });
    const hits = await engine.search('blue', { limit: 5, filters: { types: ['video'] } });
    expect(hits.map((h) => [h.path, h.at])).toEqual(
      expect.arrayContaining([
        [join(photos, 'clip.mp4'), 4],
        [join(photos, 'copies', 'clip-copy.mp4'), 4],
      ]),
    );
    await rm(join(photos, 'clip.mp4'));
    await rm(join(photos, 'copies'), { recursive: true });
    expect(await engine.index()).toMatchObject({ removed: 2 });
    expect(await frameCount()).toBe(0);
    expect((await engine.search('blue', { limit: 5 })).every((h) => h.kind === 'photo')).toBe(true);
  });
});

describe('Engine: videos in albums and duplicates', () => {
  let tmp = '';
  let engine: Engine;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-video-dups-'));
    const photos = join(tmp, 'photos');
    await mkdir(photos, { recursive: true });
    const scenes = [
      { colour: '0x1EB432', seconds: 2 },
      { colour: '0x1E3CDC', seconds: 2 },
    ];
    // The same clip twice, as a phone and a messenger would keep it: full size in H.264, and
    // re-encoded smaller in VP9. Different bytes, the same moments.
    await videoOf(join(photos, 'clip.mp4'), { scenes });
    await videoOf(join(photos, 'clip-sent.webm'), { scenes, codec: 'webm', width: 160, height: 120 });
    await videoOf(join(photos, 'other.mp4'), { scenes: [{ colour: '0xDC1E1E', seconds: 3 }] });
    // A longer clip and its second half: the copy's poster (its purple shot) is not the
    // original's (yellow), so only their frames tell that it is the same footage.
    await videoOf(join(photos, 'walk.mp4'), {
      scenes: [
        { colour: '0xF0DC28', seconds: 3 },
        { colour: '0x8228AA', seconds: 3 },
        { colour: '0xFAFAFA', seconds: 3 },
      ],
    });
    await trimmedCopy(join(photos, 'walk.mp4'), join(photos, 'walk-trimmed.mp4'), 3);
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir: await makeTestModel(join(tmp, 'model')), threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
    expect(await engine.index()).toMatchObject({ indexed: 5, failed: 0 });
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('finds re-encoded and trimmed copies of a video as near-duplicates, and leaves a different video out', async () => {
    const groups = await (await engine.albums()).duplicates();
    const names = groups.map((g) => g.photos.map((p) => p.path.split('/').pop()).sort());
    expect(names).toEqual(
      expect.arrayContaining([
        ['clip-sent.webm', 'clip.mp4'],
        ['walk-trimmed.mp4', 'walk.mp4'],
      ]),
    );
    expect(names).toHaveLength(2);
  });

  it('takes videos into user albums and favourites', async () => {
    const albums = await engine.albums();
    const clip = (await engine.listPhotos(0, 10)).items.find((h) => h.path.endsWith('clip.mp4'))!;
    const trip = await albums.create('Trip');
    await albums.add(trip.id, [clip.id]);
    await albums.setFavourite(clip.id, true);
    const shown = await albums.show(trip.id);
    expect(shown.photos.map((p) => [p.path.split('/').pop(), p.kind])).toEqual([['clip.mp4', 'video']]);
    expect((await albums.marksOf(clip.id)).favourite).toBe(true);
  });
});
