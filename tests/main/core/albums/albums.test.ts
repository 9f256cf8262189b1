// Albums on a real library: sharp-made photos, the generated CLIP-like model in onnxruntime, and
// LanceDB on disk. The test model understands colour words only, so colours are the tags here.
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tagsTableName } from '#core/albums/user/album-db.ts';
import { Albums } from '#core/albums/albums.ts';
import { Engine } from '#core/engine/engine.ts';
import { eventually } from '#support/cli.ts';
import { setMtime, solid, writePhoto } from '#support/photos.ts';
import type { Rgb } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';
import { noisy, reencoded, scene } from './album-photos.ts';

const colour = (name: string): Rgb => COLOURS[name]!;

describe('Albums over a real library', () => {
  let tmp = '';
  let photos = '';
  let modelDir = '';
  let engine: Engine;
  let albums: Albums;
  const p = (...parts: string[]): string => join(photos, ...parts);
  const open = async (model = modelDir): Promise<Engine> =>
    Engine.open({ libraryDir: join(tmp, 'library'), modelDir: model, threads: 1 }, { write: true, command: 'test' });
  const names = async (): Promise<Map<string, number>> =>
    new Map((await albums.list()).map((a) => [`${a.kind}:${a.name}`, a.count]));
  const paths = async (album: string): Promise<string[]> => (await albums.show(album)).photos.map((x) => x.path).sort();

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-albums-'));
    modelDir = await makeTestModel(join(tmp, 'model'));
    photos = join(tmp, 'photos');
    for (let i = 1; i <= 4; i++) await writePhoto(p('red', `r${i}.jpg`), noisy(colour('red'), i, 100 + i * 10, 80));
    for (let i = 1; i <= 2; i++) await writePhoto(p('blue', `b${i}.jpg`), noisy(colour('blue'), 10 + i));
    const trip = [new Date(2024, 6, 12, 10), new Date(2024, 6, 12, 11, 30), new Date(2024, 6, 12, 14)];
    for (const [i, takenAt] of trip.entries())
      await writePhoto(p('trip', `t${i}.jpg`), noisy(colour('purple'), 20 + i), { takenAt });
    const weekend = [new Date(2024, 6, 14, 20), new Date(2024, 6, 15, 1), new Date(2024, 6, 15, 5, 30)];
    for (const [i, takenAt] of weekend.entries())
      await writePhoto(p('weekend', `w${i}.jpg`), noisy(colour('yellow'), 30 + i), { takenAt });
    await writePhoto(p('scenes', 'scene-a.jpg'), scene(1));
    await copyFile(p('scenes', 'scene-a.jpg'), p('scenes', 'scene-a-copy.jpg'));
    await reencoded(p('scenes', 'scene-a.jpg'), p('scenes', 'scene-a-small.jpg'));
    await writePhoto(p('scenes', 'scene-b.png'), scene(2));
    await setMtime(p('scenes', 'scene-a.jpg'), new Date(Date.now() - 3600_000));
    engine = await open();
    await engine.addRoot(photos);
    await engine.index();
    albums = await engine.albums();
  });

  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('forms a tag album from enough photos of one concept, with its best photo as cover', async () => {
    const list = await albums.list();
    const red = list.find((a) => a.id === 'tag:red');
    expect(red).toMatchObject({ name: 'red', kind: 'tag', count: 4 });
    expect(await paths('red')).toEqual([1, 2, 3, 4].map((i) => p('red', `r${i}.jpg`)));
    const shown = await albums.show('tag:red');
    expect(shown.coverId).toBe(shown.photos[0]!.id);
    expect(shown.photos[0]!.score).toBe(Math.max(...shown.photos.map((x) => x.score!)));
    // Two blue photos are not enough for an album.
    expect(list.some((a) => a.id === 'tag:blue')).toBe(false);
    const m = await names();
    expect(m.get('tag:purple')).toBe(3);
    expect(m.get('tag:yellow')).toBe(3);
    expect((await albums.tagsOf(p('red', 'r1.jpg'))).filter((t) => t.applied).map((t) => t.tag)).toEqual(['red']);
  });

  it('splits events where capture times have a gap, named by their dates', async () => {
    const m = await names();
    expect(m.get('event:12 Jul 2024')).toBe(3);
    expect(m.get('event:14–15 Jul 2024')).toBe(3);
    expect(await paths('12 Jul 2024')).toEqual([0, 1, 2].map((i) => p('trip', `t${i}.jpg`)));
  });

  it('groups exact and near duplicates for review and suggests keeping the largest', async () => {
    const groups = await albums.duplicates();
    expect(groups).toHaveLength(1);
    const [g] = groups;
    expect(g!.kind).toBe('near');
    expect(g!.photos.map((x) => x.path)).toEqual([
      p('scenes', 'scene-a.jpg'),
      p('scenes', 'scene-a-copy.jpg'),
      p('scenes', 'scene-a-small.jpg'),
    ]);
    expect(g!.suggestion.path).toBe(p('scenes', 'scene-a.jpg'));
    expect((await albums.list()).find((a) => a.kind === 'duplicates')).toMatchObject({
      id: 'duplicates',
      count: 3,
      coverId: g!.suggestion.id,
    });
    expect((await albums.show('duplicates')).photos).toHaveLength(3);
  });

  it('manages user albums: create, add, reorder, remove, rename, delete (photos untouched)', async () => {
    const created = await albums.create('  Holiday ');
    expect(created).toMatchObject({ name: 'Holiday', kind: 'user', count: 0, coverId: null });
    expect(await albums.add('holiday', [p('red', 'r1.jpg'), p('blue', 'b1.jpg'), p('trip', 't0.jpg')])).toEqual({
      added: 3,
    });
    expect(await albums.add(created.id, [p('red', 'r1.jpg')])).toEqual({ added: 0 });
    await albums.reorder('Holiday', [p('trip', 't0.jpg')]);
    expect((await albums.show('Holiday')).photos.map((x) => x.path)).toEqual([
      p('trip', 't0.jpg'),
      p('red', 'r1.jpg'),
      p('blue', 'b1.jpg'),
    ]);
    expect(await albums.remove('Holiday', [p('blue', 'b1.jpg')])).toEqual({ removed: 1 });
    expect(await albums.rename('Holiday', 'Summer')).toMatchObject({ id: created.id, name: 'Summer', count: 2 });
    expect((await albums.list())[0]).toMatchObject({ id: created.id, name: 'Summer', kind: 'user', count: 2 });
    await albums.delete('Summer');
    await expect(albums.show(created.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await engine.status()).photos).toBe(16);
  });

  it('takes photos by id (looked up together), by path and by hash, in the order given', async () => {
    const [a, b, c, d] = (await engine.listPhotos(0, 4)).items;
    const dHash = (await engine.photo(d!.id))!.hash;
    await albums.create('Mixed');
    expect(await albums.add('Mixed', [b!.id, a!.path, dHash, c!.id])).toEqual({ added: 4 });
    expect((await albums.show('Mixed')).photos.map((x) => x.path)).toEqual([b!.path, a!.path, d!.path, c!.path]);
    await expect(albums.add('Mixed', [a!.id, 'abcdef0123456789abcdef01'])).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('abcdef0123456789abcdef01') as string,
    });
    await albums.delete('Mixed');
  });

  it('refuses bad requests with clear errors', async () => {
    await albums.create('Family');
    await expect(albums.show('Nope')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no album "Nope"') as string,
    });
    await expect(albums.add('Nope', [p('red', 'r1.jpg')])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(albums.create('   ')).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'an album needs a name' });
    await expect(albums.create('family')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'there is already an album called "Family"',
    });
    await expect(albums.rename('Family', '')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(albums.add('red', [p('red', 'r1.jpg')])).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('automatic tag album') as string,
    });
    await expect(albums.add('Family', [p('red', 'missing.jpg')])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(albums.setRating(p('red', 'r1.jpg'), 6)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(albums.setRating(p('red', 'r1.jpg'), 0)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(albums.decide(p('red', 'r1.jpg'), 'no-such-tag', 'accept')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lets the user’s tag decisions win, and keeps sensitive photos out of automatic albums', async () => {
    const tags = await albums.decide(p('red', 'r4.jpg'), 'red', 'reject');
    expect(tags.find((t) => t.tag === 'red')).toMatchObject({ source: 'auto', decision: 'reject', applied: false });
    expect((await names()).has('tag:red')).toBe(true);
    expect(await paths('red')).not.toContain(p('red', 'r4.jpg'));
    await albums.decide(p('blue', 'b1.jpg'), 'dog', 'accept');
    expect((await albums.tagsOf(p('blue', 'b1.jpg'))).find((t) => t.tag === 'dog')).toMatchObject({
      source: 'user',
      decision: 'accept',
      applied: true,
    });

    const before = (await albums.list()).find(
      (a) => a.kind === 'event' && a.name !== '12 Jul 2024' && a.name !== '14–15 Jul 2024',
    )!;
    await albums.decide(p('blue', 'b2.jpg'), 'nudity', 'accept');
    expect(await albums.marksOf(p('blue', 'b2.jpg'))).toMatchObject({ sensitive: true });
    const after = (await albums.list()).find((a) => a.id === before.id)!;
    expect(after.count).toBe(before.count - 1);
    await albums.decide(p('blue', 'b2.jpg'), 'nudity', null);
    expect(await albums.marksOf(p('blue', 'b2.jpg'))).toMatchObject({ sensitive: false });
  });

  it('keeps smart albums current: a saved search picks up newly indexed photos', async () => {
    const smart = await albums.createSmart('Reds', { text: 'red' });
    expect(smart).toMatchObject({ kind: 'smart', count: 4 });
    const like = await albums.createSmart('Like scene A', { like: [p('scenes', 'scene-a.jpg')] });
    expect(like.count).toBeGreaterThanOrEqual(2);
    expect(await paths('Like scene A')).toContain(p('scenes', 'scene-a-small.jpg'));
    await expect(albums.createSmart('Empty', {})).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await writePhoto(p('red', 'r5.jpg'), noisy(colour('red'), 5));
    await engine.index();
    expect((await albums.show('Reds')).count).toBe(5);
    expect((await albums.show('red')).count).toBe(4);
    await expect(albums.add('Reds', [p('red', 'r1.jpg')])).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('understands a smart album’s text as the search box does: dates filter, exclusions push out', async () => {
    const made = [
      await albums.createSmart('Purple July', { text: 'purple july 2024' }),
      await albums.createSmart('Purple 2023', { text: 'purple 2023' }),
      await albums.createSmart('July', { text: 'July 2024' }),
      await albums.createSmart('July, not yellow', { text: 'July 2024 -yellow' }),
    ];
    expect(await paths('Purple July')).toEqual([0, 1, 2].map((i) => p('trip', `t${i}.jpg`)));
    expect(await paths('Purple 2023')).toEqual([]);
    // Nothing left to rank by: the month's photos, all six.
    expect(await paths('July')).toHaveLength(6);
    expect(await paths('July, not yellow')).toEqual([0, 1, 2].map((i) => p('trip', `t${i}.jpg`)));
    for (const a of made) await albums.delete(a.id);
  });

  it('tags incrementally and retags everything when the vocabulary changes', async () => {
    expect(await albums.retag()).toMatchObject({ tagged: 0, hashed: 0 });
    const scarlet = await albums.addTag('scarlet', ['a red photo.', 'a photo of something red.']);
    expect(scarlet).toMatchObject({ id: 'custom-scarlet', builtin: false });
    await expect(albums.addTag('Scarlet')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await albums.retag()).tagged).toBe(16);
    expect((await names()).get('tag:scarlet')).toBe(5);
    await albums.renameTag('scarlet', 'Crimson');
    expect((await albums.show('tag:custom-scarlet')).name).toBe('Crimson');
    await albums.hideTag('Crimson');
    expect((await names()).has('tag:Crimson')).toBe(false);
    await albums.removeTag('custom-scarlet');
    expect((await albums.vocabulary()).some((c) => c.id === 'custom-scarlet')).toBe(false);
    await albums.removeTag('red');
    expect((await albums.addTag('Red')).id).toBe('red');
    expect((await albums.retag()).tagged).toBe(16);
    expect((await names()).get('tag:red')).toBe(4);
  });

  it('tags the photos the watcher brings in', async () => {
    const controller = new AbortController();
    let ready!: () => void;
    const isReady = new Promise<void>((r) => {
      ready = r;
    });
    const watching = engine.watch({ signal: controller.signal, events: { onReady: () => ready() } });
    try {
      await isReady;
      for (let i = 0; i < 3; i++) await writePhoto(p('green', `g${i}.jpg`), noisy(colour('green'), 40 + i));
      await eventually(
        async () => ((await names()).get('tag:green') === 3 ? true : undefined),
        45_000,
        'a green album',
      );
    } finally {
      controller.abort();
      await watching;
    }
  });

  it('keeps albums, favourites, ratings and decisions through re-indexing, moves and a model change', async () => {
    const keep = await albums.create('Keep');
    await albums.add('Keep', [p('red', 'r1.jpg'), p('trip', 't1.jpg')]);
    await albums.setFavourite(p('red', 'r2.jpg'), true);
    await albums.setRating(p('red', 'r3.jpg'), 4);
    const check = async (root: string): Promise<void> => {
      const at = (...parts: string[]): string => join(root, ...parts);
      expect((await albums.show('Keep')).photos.map((x) => x.path)).toEqual([
        at('red', 'r1.jpg'),
        at('trip', 't1.jpg'),
      ]);
      expect(await albums.marksOf(at('red', 'r2.jpg'))).toMatchObject({ favourite: true, rating: null });
      expect(await albums.marksOf(at('red', 'r3.jpg'))).toMatchObject({ favourite: false, rating: 4 });
      expect((await albums.tagsOf(at('red', 'r4.jpg'))).find((t) => t.tag === 'red')).toMatchObject({
        decision: 'reject',
        applied: false,
      });
      expect((await albums.show('red')).photos.map((x) => x.path)).not.toContain(at('red', 'r4.jpg'));
    };
    await check(photos);

    // Everything forgotten and indexed again from scratch.
    await engine.removeRoot(photos);
    expect((await albums.show('Keep')).count).toBe(0);
    await engine.addRoot(photos);
    await engine.index();
    await check(photos);

    // The whole folder moved: new paths and photo ids, same content.
    await engine.removeRoot(photos);
    const moved = join(tmp, 'moved-photos');
    await rename(photos, moved);
    await engine.addRoot(moved);
    await engine.index();
    await check(moved);
    expect((await albums.show(keep.id)).name).toBe('Keep');

    // Another model: its own vectors and tags, the user's albums and marks unchanged.
    const firstModel = (await engine.modelInfo()).id;
    expect(existsSync(join(tmp, 'library', 'db', `${tagsTableName(firstModel)}.lance`))).toBe(true);
    await engine.close();
    engine = await open(await makeTestModel(join(tmp, 'model-2'), { dim: 20 }));
    await engine.index();
    albums = await engine.albums();
    expect((await engine.modelInfo()).dim).toBe(20);
    await check(moved);
    await Albums.forgetModel(engine.library, firstModel);
    expect(existsSync(join(tmp, 'library', 'db', `${tagsTableName(firstModel)}.lance`))).toBe(false);
    await check(moved);
  });
});

describe('Albums on a library opened read-only', () => {
  it('reads without the writer lock and refuses to change anything', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'shoebox-albums-ro-'));
    try {
      const modelDir = await makeTestModel(join(tmp, 'model'));
      for (let i = 0; i < 3; i++)
        await writePhoto(join(tmp, 'photos', `g${i}.png`), solid(colour('green'), 40 + i, 30));
      const writer = await Engine.open(
        { libraryDir: join(tmp, 'lib'), modelDir, threads: 1 },
        { write: true, command: 'test' },
      );
      await writer.addRoot(join(tmp, 'photos'));
      await writer.index();
      const reader = await Engine.open({ libraryDir: join(tmp, 'lib'), threads: 1 }, { write: false });
      const ro = await reader.albums();
      expect((await ro.list()).find((a) => a.id === 'tag:green')?.count).toBe(3);
      await (await writer.albums()).create('Made while reading');
      expect((await ro.list()).some((a) => a.name === 'Made while reading')).toBe(true);
      await expect(ro.create('Nope')).rejects.toMatchObject({
        code: 'INTERNAL',
        message: expect.stringContaining('read-only') as string,
      });
      await reader.close();
      await writer.close();
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
