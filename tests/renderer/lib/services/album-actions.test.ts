// The albums screen's service under Node, against a real LibraryService through the same dispatch
// as Electron's IPC (tests/support/renderer-bridge.ts): races between reads, ordered exactly by
// holding back one answer, and an album deleted elsewhere.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AlbumSummary } from '#shared/types.ts';
import { rendererHarness } from '#support/renderer-bridge.ts';
import type { TestBridge } from '#support/renderer-bridge.ts';
import type { ServiceFixture } from '#support/service.ts';

type AlbumActions = typeof import('#renderer/lib/services/album-actions.ts');
type AlbumsState = typeof import('#renderer/lib/state/albums.svelte.ts');

describe('album actions (renderer service, real LibraryService)', () => {
  const harness = rendererHarness();
  let fx: ServiceFixture;
  let bridge: TestBridge;
  let actions: AlbumActions;
  let albums: AlbumsState['albums'];
  let notifications: (typeof import('#renderer/lib/state/notifications.svelte.ts'))['notifications'];
  let trip: AlbumSummary;
  let home: AlbumSummary;

  const data: TestBridge['data'] = (channel, args) => bridge.data(channel, args);
  const shown = (): string | undefined => albums.page?.album.id;

  beforeAll(async () => {
    ({ fx, bridge } = harness);
    actions = await import('#renderer/lib/services/album-actions.ts');
    albums = (await import('#renderer/lib/state/albums.svelte.ts')).albums;
    ({ notifications } = await import('#renderer/lib/state/notifications.svelte.ts'));
    await data('roots.add', { path: fx.photos });
    await fx.indexed();
    const photos = (await data('photos.list', { offset: 0, limit: 100 })).items;
    const id = (name: string): string => photos.find((p) => p.path.endsWith(`/${name}`))!.id;
    trip = await data('albums.create', { name: 'Trip' });
    home = await data('albums.create', { name: 'Home' });
    await data('albums.add', { id: trip.id, photoIds: [id('green.jpg')] });
    await data('albums.add', { id: home.id, photoIds: [id('blue.jpg'), id('red.jpg')] });
  }, 60_000);

  it('shows the album opened last when an earlier one answers after it', async () => {
    const slowTrip = bridge.hold('albums.get', (args) => (args as { id: string }).id === trip.id);
    const opening = actions.openAlbum(trip.id);
    await vi.waitFor(() => expect(slowTrip.held()).toBe(1));
    await actions.openAlbum(home.id);
    expect(shown()).toBe(home.id);
    slowTrip.release();
    await opening;
    expect(albums.pane).toEqual({ kind: 'album', id: home.id });
    expect(shown()).toBe(home.id);
    expect(albums.page?.items).toHaveLength(2);
  });

  it('refreshes the album open when the refresh reaches it, not the one open when it began', async () => {
    await actions.openAlbum(trip.id);
    expect(shown()).toBe(trip.id);
    const slowList = bridge.hold('albums.list');
    const refreshing = actions.refreshAlbums();
    await vi.waitFor(() => expect(slowList.held()).toBe(1));
    await actions.openAlbum(home.id);
    slowList.release();
    await refreshing;
    expect(albums.pane).toEqual({ kind: 'album', id: home.id });
    expect(shown()).toBe(home.id);
  });

  it('goes back to the list when the open album was deleted elsewhere', async () => {
    const gone = await data('albums.create', { name: 'Short-lived' });
    await actions.openAlbum(gone.id);
    expect(shown()).toBe(gone.id);
    // Another window deletes it; this one hears of the change and refreshes.
    await data('albums.delete', { id: gone.id });
    const toasts = notifications.items.length;
    await actions.refreshAlbums();
    expect(albums.pane).toEqual({ kind: 'list' });
    // A background refresh: the album's going is shown by the list, not by an error.
    expect(notifications.items.slice(toasts).filter((t) => t.kind === 'error')).toEqual([]);
    expect(albums.list.map((a) => a.id)).not.toContain(gone.id);
    expect(albums.list.map((a) => a.id)).toEqual(expect.arrayContaining([trip.id, home.id]));
  });
});
