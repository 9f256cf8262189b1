import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DESKTOP, createHandlers } from '#main/ipc/handlers.ts';
import type { Handlers } from '#main/ipc/handlers.ts';
import type { AlbumPage, AlbumSummary, PhotoHit, PhotoPage } from '#shared/types.ts';
import { eventually } from '#support/cli.ts';
import { writePhoto } from '#support/photos.ts';
import { dispatchHelpers } from '#support/dispatch.ts';
import { serviceFixture } from '#support/service.ts';
import type { ServiceFixture } from '#support/service.ts';
import { COLOURS } from '#support/test-model.ts';
import { noisy } from '../core/albums/album-photos.ts';

/** Saved searches and the sensitive flag over the contract, on the real service and watcher. */
describe('smart albums and sensitive photos over the contract (real LibraryService, LanceDB, onnxruntime)', () => {
  let fx: ServiceFixture;
  let handlers: Handlers;
  let photos: PhotoHit[];
  const { data, refused, photo } = dispatchHelpers(
    () => handlers,
    () => photos,
  );
  const names = (items: readonly PhotoHit[]): string[] => items.map((p) => p.path.split('/').pop()!).sort();

  beforeAll(async () => {
    fx = await serviceFixture();
    for (let i = 1; i <= 2; i++)
      await writePhoto(join(fx.photos, `red-${i}.jpg`), noisy(COLOURS.red!, i, 90 + i * 4, 70));
    handlers = createHandlers(fx.service, NO_DESKTOP);
    await data('roots.add', { path: fx.photos });
    await fx.indexed();
    photos = (await data<PhotoPage>('photos.list', { offset: 0, limit: 100 })).items;
  }, 60_000);
  afterAll(async () => fx.close());

  it('saves a text search as a smart album that takes in photos indexed later', async () => {
    const reds = await data<AlbumSummary>('albums.createSmart', { name: 'Reds', text: '  red ' });
    expect(reds).toMatchObject({ name: 'Reds', kind: 'smart', count: 3 });
    const page = await data<AlbumPage>('albums.get', { id: reds.id });
    expect(page.search).toEqual({ text: 'red', filters: null, examples: 0 });
    expect(names(page.items)).toEqual(['red-1.jpg', 'red-2.jpg', 'red.jpg']);
    expect((await data<AlbumSummary[]>('albums.list', {})).find((a) => a.id === reds.id)).toMatchObject({
      kind: 'smart',
      count: 3,
    });

    // The watcher indexes the new photo; the album is computed when read, so it is in it.
    await writePhoto(join(fx.photos, 'red-new.jpg'), noisy(COLOURS.red!, 9, 100, 75));
    const grown = await eventually(
      async () => {
        const p = await data<AlbumPage>('albums.get', { id: reds.id });
        return p.total === 4 ? p : undefined;
      },
      // A bound for a failure only: the watcher, the decoder and the model share two cores with
      // the rest of the suite, which on a loaded machine has taken over 20 s.
      45_000,
      'the new red photo to join the smart album',
    );
    expect(names(grown.items)).toContain('red-new.jpg');
    photos = (await data<PhotoPage>('photos.list', { offset: 0, limit: 100 })).items;
  });

  it('saves filters and example photos, and describes what it searches', async () => {
    const jpegs = await data<AlbumSummary>('albums.createSmart', { name: 'JPEGs', filters: { types: ['jpg'] } });
    // Every readable photo is a JPEG; the broken file never made it into the library.
    expect(jpegs.count).toBe(photos.length);
    expect((await data<AlbumPage>('albums.get', { id: jpegs.id })).search).toEqual({
      text: null,
      filters: { types: ['jpg'] },
      examples: 0,
    });
    const like = await data<AlbumSummary>('albums.createSmart', {
      name: 'Like red',
      likeIds: [photo('red.jpg').id],
      filters: { folder: fx.photos },
    });
    const page = await data<AlbumPage>('albums.get', { id: like.id });
    expect(page.search).toEqual({ text: null, filters: { folder: fx.photos }, examples: 1 });
    expect(names(page.items)).toEqual(expect.arrayContaining(['red.jpg', 'red-1.jpg', 'red-2.jpg']));
    expect(names(page.items)).not.toContain('blue.jpg');
  });

  it('refuses a smart album without a search, a taken name, or unknown example photos', async () => {
    await refused(
      'albums.createSmart',
      { name: 'Nothing' },
      'BAD_REQUEST',
      'needs search text, example photos or filters',
    );
    await refused(
      'albums.createSmart',
      { name: 'Blank', text: '   ' },
      'BAD_REQUEST',
      'needs search text, example photos or filters',
    );
    await refused(
      'albums.createSmart',
      { name: 'reds', text: 'blue' },
      'BAD_REQUEST',
      'already an album called "Reds"',
    );
    await refused('albums.createSmart', { name: '', text: 'blue' }, 'BAD_REQUEST', 'an album needs a name');
    await refused('albums.createSmart', { name: 'X', likeIds: ['../etc/passwd'] }, 'BAD_REQUEST', 'not a photo id');
    await refused('albums.createSmart', { name: 'X', likeIds: ['0123456789abcdef01234567'] }, 'NOT_FOUND', 'no photo');
    await refused('albums.createSmart', { name: 'X', filters: { types: ['../x'] } }, 'BAD_REQUEST', 'not a file type');
    const reds = (await data<AlbumSummary[]>('albums.list', {})).find((a) => a.name === 'Reds')!;
    await refused('albums.add', { id: reds.id, photoIds: [photo('blue.jpg').id] }, 'BAD_REQUEST', 'smart album');
    await refused('albums.remove', { id: reds.id, photoIds: [photo('red.jpg').id] }, 'BAD_REQUEST', 'smart album');
  });

  it("renames and deletes a smart album like one of the user's own", async () => {
    const blues = await data<AlbumSummary>('albums.createSmart', { name: 'Blues', text: 'blue' });
    expect(await data('albums.rename', { id: blues.id, name: 'Sky' })).toMatchObject({
      id: blues.id,
      name: 'Sky',
      kind: 'smart',
    });
    expect(await data('albums.delete', { id: blues.id })).toEqual({ deleted: blues.id });
    await refused('albums.get', { id: blues.id }, 'NOT_FOUND', 'no album');
  });

  it('flags a photo sensitive in every grid and on the covers it is on, until the user takes it back', async () => {
    const blue = photo('blue.jpg');
    const trip = await data<AlbumSummary>('albums.create', { name: 'Trip' });
    await data('albums.add', { id: trip.id, photoIds: [blue.id, photo('green.jpg').id] });
    const flagged = async (): Promise<Record<string, boolean | undefined>> => ({
      list: (await data<PhotoPage>('photos.list', { offset: 0, limit: 100 })).items.find((p) => p.id === blue.id)
        ?.sensitive,
      search: (await data<PhotoHit[]>('search.text', { query: 'blue' })).find((p) => p.id === blue.id)?.sensitive,
      // "More like" leaves out the photo itself: look for it from another one.
      similar: (await data<PhotoHit[]>('search.similar', { id: photo('green.jpg').id, limit: 100 })).find(
        (p) => p.id === blue.id,
      )?.sensitive,
      cover: (await data<AlbumSummary[]>('albums.list', {})).find((a) => a.id === trip.id)?.coverSensitive,
      page: (await data<AlbumPage>('albums.get', { id: trip.id })).album.coverSensitive,
      item: (await data<AlbumPage>('albums.get', { id: trip.id })).items[0]?.sensitive,
    });
    const clear = { list: false, search: false, similar: false, cover: false, page: false, item: false };
    expect(await flagged()).toEqual(clear);
    await data('photos.decideTag', { id: blue.id, tag: 'nudity', decision: 'accept' });
    expect(await flagged()).toEqual({ list: true, search: true, similar: true, cover: true, page: true, item: true });
    // Only that photo: the others in the same page stay clear.
    const others = (await data<PhotoPage>('photos.list', { offset: 0, limit: 100 })).items.filter(
      (p) => p.id !== blue.id,
    );
    expect(others.every((p) => p.sensitive === false)).toBe(true);
    await data('photos.decideTag', { id: blue.id, tag: 'nudity', decision: null });
    expect(await flagged()).toEqual(clear);
  });
});
