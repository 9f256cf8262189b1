import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DESKTOP, createHandlers } from '#main/ipc/handlers.ts';
import type { Handlers } from '#main/ipc/handlers.ts';
import type { AlbumSummary, PhotoHit, PhotoTag, TagEntry } from '#shared/types.ts';
import { eventually } from '#support/cli.ts';
import { writePhoto } from '#support/photos.ts';
import { dispatchHelpers } from '#support/dispatch.ts';
import { serviceFixture } from '#support/service.ts';
import type { ServiceFixture } from '#support/service.ts';
import { COLOURS } from '#support/test-model.ts';
import { noisy } from '../core/albums/album-photos.ts';

/**
 * The tag vocabulary over the contract, on the real service: the generated model understands
 * colour words only, so a custom tag prompted with "red" finds the four red photos.
 */
describe('tag vocabulary calls (real LibraryService, LanceDB, onnxruntime)', () => {
  let fx: ServiceFixture;
  let handlers: Handlers;
  let photos: PhotoHit[];
  const { data, refused, photo } = dispatchHelpers(
    () => handlers,
    () => photos,
  );
  const album = async (id: string): Promise<AlbumSummary | undefined> =>
    (await data<AlbumSummary[]>('albums.list', {})).find((a) => a.id === id);
  /** Tagging again after a vocabulary change runs in the background: wait for its outcome. */
  const albumCount = async (id: string, count: number | null): Promise<void> => {
    await eventually(
      async () => (((await album(id))?.count ?? null) === count ? true : undefined),
      45_000,
      `album ${id} to have ${String(count)} photos`,
    );
  };
  const tagOf = async (name: string, tag: string): Promise<PhotoTag | undefined> =>
    (await data<PhotoTag[]>('photos.tags', { id: photo(name).id })).find((t) => t.tag === tag);

  beforeAll(async () => {
    fx = await serviceFixture();
    for (let i = 1; i <= 3; i++)
      await writePhoto(join(fx.photos, `red-${i}.jpg`), noisy(COLOURS.red!, i, 90 + i * 4, 70));
    handlers = createHandlers(fx.service, NO_DESKTOP);
    await data('roots.add', { path: fx.photos });
    await fx.indexed();
    photos = (await data<{ items: PhotoHit[] }>('photos.list', { offset: 0, limit: 100 })).items;
    await albumCount('tag:red', 4);
  }, 60_000);
  afterAll(async () => fx.close());

  it('lists the vocabulary: built-in tags by group, sensitive ones marked', async () => {
    const list = await data<TagEntry[]>('tags.list', {});
    expect(list.length).toBeGreaterThan(100);
    for (const t of list)
      expect(Object.keys(t).sort()).toEqual(['builtin', 'group', 'hidden', 'id', 'name', 'sensitive']);
    expect(list.find((t) => t.id === 'red')).toEqual({
      id: 'red',
      name: 'red',
      group: 'colour',
      builtin: true,
      hidden: false,
      sensitive: false,
    });
    expect(list.find((t) => t.id === 'nudity')).toMatchObject({ sensitive: true, group: 'sensitive' });
  });

  it('adds a tag, tags every photo for it in the background, and its album appears', async () => {
    const list = await data<TagEntry[]>('tags.add', {
      name: '  Scarlet ',
      prompts: ['a red photo.', 'a photo of something red.'],
    });
    expect(list.find((t) => t.id === 'custom-scarlet')).toEqual({
      id: 'custom-scarlet',
      name: 'Scarlet',
      group: 'custom',
      builtin: false,
      hidden: false,
      sensitive: false,
    });
    await albumCount('tag:custom-scarlet', 4);
    expect(await tagOf('red.jpg', 'custom-scarlet')).toMatchObject({ name: 'Scarlet', source: 'auto', applied: true });
    expect(fx.events.some((e) => e.event === 'library.changed')).toBe(true);
  });

  it('refuses empty, duplicate and meaningless tag names, and bad prompts, with a message', async () => {
    await refused('tags.add', { name: '' }, 'BAD_REQUEST', 'a tag needs a name');
    await refused('tags.add', { name: '   ' }, 'BAD_REQUEST', 'a tag needs a name');
    await refused('tags.add', { name: 'x'.repeat(101) }, 'BAD_REQUEST', 'at most 100 characters');
    await refused('tags.add', { name: 'RED' }, 'BAD_REQUEST', 'there is already a tag called "red"');
    await refused('tags.add', { name: 'scarlet' }, 'BAD_REQUEST', 'there is already a tag called "Scarlet"');
    await refused('tags.add', { name: '!!!' }, 'BAD_REQUEST', 'at least one letter or digit');
    await refused('tags.add', { name: 'ok', prompts: [] }, 'BAD_REQUEST', '1 to 20 prompts');
    await refused('tags.add', { name: 'ok', prompts: ['  '] }, 'BAD_REQUEST', 'a prompt cannot be empty');
    await refused('tags.add', { name: 'ok', colour: 'red' }, 'BAD_REQUEST', 'tags.add');
    await refused('tags.rename', { tag: 'no-such-tag', name: 'x' }, 'NOT_FOUND', 'there is no tag "no-such-tag"');
    await refused(
      'tags.rename',
      { tag: 'custom-scarlet', name: 'Blue' },
      'BAD_REQUEST',
      'there is already a tag called "blue"',
    );
    await refused('tags.rename', { tag: 'custom-scarlet', name: ' ' }, 'BAD_REQUEST', 'a tag needs a name');
    await refused('tags.hide', { tag: 'no-such-tag', hidden: true }, 'NOT_FOUND', 'there is no tag');
    await refused('tags.hide', { tag: 'red', hidden: 'yes' }, 'BAD_REQUEST', 'hidden');
    await refused('tags.remove', { tag: 'no-such-tag' }, 'NOT_FOUND', 'there is no tag');
    await refused('tags.remove', { tag: '' }, 'BAD_REQUEST', 'name a tag');
  });

  it("renames a tag keeping its id, album and the user's decisions", async () => {
    await data('photos.decideTag', { id: photo('red-1.jpg').id, tag: 'custom-scarlet', decision: 'reject' });
    await data('photos.decideTag', { id: photo('orange.jpg').id, tag: 'custom-scarlet', decision: 'accept' });
    await albumCount('tag:custom-scarlet', 4);
    const list = await data<TagEntry[]>('tags.rename', { tag: 'custom-scarlet', name: 'Crimson' });
    expect(list.find((t) => t.id === 'custom-scarlet')).toMatchObject({ name: 'Crimson' });
    expect(await album('tag:custom-scarlet')).toMatchObject({ name: 'Crimson', kind: 'tag', count: 4 });
    expect(await tagOf('red-1.jpg', 'custom-scarlet')).toMatchObject({
      name: 'Crimson',
      decision: 'reject',
      applied: false,
    });
    expect(await tagOf('orange.jpg', 'custom-scarlet')).toMatchObject({
      name: 'Crimson',
      decision: 'accept',
      applied: true,
    });
    // By name too, in any case.
    expect(
      (await data<TagEntry[]>('tags.rename', { tag: 'crimson', name: 'Crimson red' })).find(
        (t) => t.id === 'custom-scarlet',
      )?.name,
    ).toBe('Crimson red');
  });

  it('hides a tag from photos and albums, and un-hiding brings it back with the decisions', async () => {
    const hidden = await data<TagEntry[]>('tags.hide', { tag: 'custom-scarlet', hidden: true });
    expect(hidden.find((t) => t.id === 'custom-scarlet')).toMatchObject({ hidden: true });
    expect(await album('tag:custom-scarlet')).toBeUndefined();
    expect(await tagOf('red-1.jpg', 'custom-scarlet')).toBeUndefined();
    const shown = await data<TagEntry[]>('tags.hide', { tag: 'custom-scarlet', hidden: false });
    expect(shown.find((t) => t.id === 'custom-scarlet')).toMatchObject({ hidden: false });
    expect(await album('tag:custom-scarlet')).toMatchObject({ name: 'Crimson red', count: 4 });
    expect(await tagOf('red-1.jpg', 'custom-scarlet')).toMatchObject({ decision: 'reject', applied: false });
  });

  it('removes a custom tag for good and a built-in one until it is added again', async () => {
    const list = await data<TagEntry[]>('tags.remove', { tag: 'custom-scarlet' });
    expect(list.some((t) => t.id === 'custom-scarlet')).toBe(false);
    await albumCount('tag:custom-scarlet', null);
    expect((await data<TagEntry[]>('tags.remove', { tag: 'red' })).some((t) => t.id === 'red')).toBe(false);
    await albumCount('tag:red', null);
    // Naming a removed built-in brings it back under its own id, and photos are tagged for it again.
    expect((await data<TagEntry[]>('tags.add', { name: 'Red' })).find((t) => t.id === 'red')).toMatchObject({
      name: 'red',
      builtin: true,
    });
    await albumCount('tag:red', 4);
  });
});
