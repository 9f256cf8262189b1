import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DESKTOP, createHandlers } from '#main/ipc/handlers.ts';
import type { Handlers } from '#main/ipc/handlers.ts';
import type { AlbumPage, AlbumSummary, DuplicateGroup, PhotoHit, PhotoMarks, PhotoTag } from '#shared/types.ts';
import { dispatchHelpers } from '#support/dispatch.ts';
import { serviceFixture } from '#support/service.ts';
import type { ServiceFixture } from '#support/service.ts';

/** Albums, tags and marks through the same dispatch the Electron IPC and the web server use. */
describe('album and mark calls (real LibraryService, LanceDB, onnxruntime)', () => {
  let fx: ServiceFixture;
  let handlers: Handlers;
  let photos: PhotoHit[];
  const UNKNOWN_ALBUM = 'ffffffffffffffff';
  const { data, refused, photo } = dispatchHelpers(
    () => handlers,
    () => photos,
  );
  const changes = (): number => fx.events.filter((e) => e.event === 'library.changed').length;

  beforeAll(async () => {
    fx = await serviceFixture();
    // Two copies of one photo, so there is a duplicate group to review.
    await copyFile(join(fx.photos, 'red.jpg'), join(fx.photos, 'red-copy.jpg'));
    handlers = createHandlers(fx.service, NO_DESKTOP);
    await data('roots.add', { path: fx.photos });
    await fx.indexed();
    photos = (await data<{ items: PhotoHit[] }>('photos.list', { offset: 0, limit: 100 })).items;
  }, 60_000);
  afterAll(async () => fx.close());

  it('lists albums as summaries, and the duplicates with the one to keep', async () => {
    const list = await data<AlbumSummary[]>('albums.list', {});
    for (const a of list)
      expect(Object.keys(a).sort()).toEqual(['count', 'coverId', 'coverSensitive', 'id', 'kind', 'name']);
    expect(list.find((a) => a.kind === 'duplicates')).toMatchObject({ id: 'duplicates', count: 2 });
    const groups = await data<DuplicateGroup[]>('albums.duplicates', {});
    expect(groups).toHaveLength(1);
    const [group] = groups;
    expect(group!.kind).toBe('exact');
    expect(group!.photos.map((p) => p.path.split('/').pop()).sort()).toEqual(['red-copy.jpg', 'red.jpg']);
    expect(group!.photos.map((p) => p.id)).toContain(group!.suggestionId);
  });

  it('creates, fills, pages, renames, empties and deletes a user album, announcing each change', async () => {
    const before = changes();
    const trip = await data<AlbumSummary>('albums.create', { name: '  Trip  ' });
    expect(trip).toMatchObject({ name: 'Trip', kind: 'user', count: 0, coverId: null });
    const ids = [photo('green.jpg').id, photo('blue.jpg').id];
    expect(await data('albums.add', { id: trip.id, photoIds: ids })).toEqual({ added: 2 });
    const page = await data<AlbumPage>('albums.get', { id: trip.id });
    expect(page).toMatchObject({ album: { id: trip.id, count: 2, coverId: ids[0] }, total: 2, offset: 0 });
    expect(page.items.map((p) => p.id)).toEqual(ids);
    expect(page.items[0]).toMatchObject({
      format: 'jpeg',
      favourite: false,
      rating: null,
      sensitive: false,
      width: 81,
      height: 60,
    });
    const second = await data<AlbumPage>('albums.get', { id: trip.id, offset: 1, limit: 1 });
    expect(second.items.map((p) => p.id)).toEqual([ids[1]]);
    expect(await data('albums.rename', { id: trip.id, name: 'Summer' })).toMatchObject({
      id: trip.id,
      name: 'Summer',
      count: 2,
    });
    expect(await data('albums.remove', { id: trip.id, photoIds: [ids[0]] })).toEqual({ removed: 1 });
    expect((await data<AlbumPage>('albums.get', { id: trip.id })).total).toBe(1);
    expect(await data('albums.delete', { id: trip.id })).toEqual({ deleted: trip.id });
    await refused('albums.get', { id: trip.id }, 'NOT_FOUND', 'no album');
    // Sent after the answer (and the watcher may add its own), so wait for at least one per change.
    await expect.poll(changes).toBeGreaterThanOrEqual(before + 5);
  });

  it('refuses bad album arguments with a message', async () => {
    await refused('albums.create', { name: '' }, 'BAD_REQUEST', 'an album needs a name');
    await refused('albums.create', { name: '   ' }, 'BAD_REQUEST', 'an album needs a name');
    await refused('albums.create', { name: 'x'.repeat(201) }, 'BAD_REQUEST', 'at most 200 characters');
    await refused('albums.create', { name: 'Trip', extra: 1 }, 'BAD_REQUEST', 'albums.create');
    await refused('albums.get', { id: '../etc' }, 'BAD_REQUEST', 'not an album id');
    await refused('albums.get', { id: 'duplicates', limit: 0 }, 'BAD_REQUEST', 'limit');
    await refused('albums.add', { id: UNKNOWN_ALBUM, photoIds: [] }, 'BAD_REQUEST', 'name at least one photo');
    await refused('albums.add', { id: UNKNOWN_ALBUM, photoIds: ['/etc/passwd'] }, 'BAD_REQUEST', 'not a photo id');
    await data('albums.create', { name: 'Once' });
    await refused('albums.create', { name: 'once' }, 'BAD_REQUEST', 'already an album called "Once"');
  });

  it('answers NOT_FOUND for unknown albums and photos, and refuses to change automatic albums', async () => {
    await refused('albums.get', { id: UNKNOWN_ALBUM }, 'NOT_FOUND', UNKNOWN_ALBUM);
    await refused('albums.rename', { id: UNKNOWN_ALBUM, name: 'x' }, 'NOT_FOUND', UNKNOWN_ALBUM);
    await refused('albums.delete', { id: UNKNOWN_ALBUM }, 'NOT_FOUND', UNKNOWN_ALBUM);
    await refused('albums.add', { id: UNKNOWN_ALBUM, photoIds: [photo('red.jpg').id] }, 'NOT_FOUND', UNKNOWN_ALBUM);
    await refused('albums.delete', { id: 'duplicates' }, 'BAD_REQUEST', 'only albums you made');
    const once = (await data<AlbumSummary[]>('albums.list', {})).find((a) => a.name === 'Once')!;
    await refused('albums.add', { id: once.id, photoIds: ['0123456789abcdef01234567'] }, 'NOT_FOUND', 'no photo');
    await refused('photos.tags', { id: '0123456789abcdef01234567' }, 'NOT_FOUND', 'no photo');
  });

  it("reads a photo's tags and takes the user's accept and reject", async () => {
    const id = photo('red.jpg').id;
    const tags = await data<PhotoTag[]>('photos.tags', { id });
    expect(tags.length).toBeGreaterThan(0);
    const red = tags.find((t) => t.name === 'red');
    expect(red).toMatchObject({ source: 'auto', decision: null, applied: true });
    expect(typeof red!.score).toBe('number');
    const rejected = await data<PhotoTag[]>('photos.decideTag', { id, tag: red!.tag, decision: 'reject' });
    expect(rejected.find((t) => t.tag === red!.tag)).toMatchObject({ decision: 'reject', applied: false });
    const undone = await data<PhotoTag[]>('photos.decideTag', { id, tag: red!.tag, decision: null });
    expect(undone.find((t) => t.tag === red!.tag)).toMatchObject({ decision: null, applied: true });
    await refused('photos.decideTag', { id, tag: red!.tag, decision: 'maybe' }, 'BAD_REQUEST', 'decision');
    await refused('photos.decideTag', { id, tag: 'no-such-tag-here', decision: 'accept' }, 'NOT_FOUND', 'no tag');
  });

  it('sets and clears favourites and 1–5 star ratings', async () => {
    const id = photo('blue.jpg').id;
    expect(await data<PhotoMarks>('photos.marks', { id })).toEqual({
      favourite: false,
      rating: null,
      sensitive: false,
    });
    expect(await data<PhotoMarks>('photos.setFavourite', { id, favourite: true })).toMatchObject({ favourite: true });
    expect(await data<PhotoMarks>('photos.setRating', { id, rating: 4 })).toEqual({
      favourite: true,
      rating: 4,
      sensitive: false,
    });
    expect(await data<PhotoMarks>('photos.setRating', { id, rating: null })).toMatchObject({ rating: null });
    await refused('photos.setRating', { id, rating: 0 }, 'BAD_REQUEST', 'a rating is 1 to 5 stars');
    await refused('photos.setRating', { id, rating: 6 }, 'BAD_REQUEST', 'a rating is 1 to 5 stars');
    await refused('photos.setRating', { id, rating: 2.5 }, 'BAD_REQUEST', 'whole number');
    await refused('photos.setFavourite', { id, favourite: 'yes' }, 'BAD_REQUEST', 'favourite');
  });
});
