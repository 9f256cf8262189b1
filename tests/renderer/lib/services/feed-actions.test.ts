// Filling the grid under Node against a real LibraryService with the generated model (colour
// words find photos of that colour): searches answered out of order, "more like this" and the
// browse refresh that must not disturb it, and the warm-up the search field asks for.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { PhotoHit } from '#shared/types.ts';
import { rendererHarness } from '#support/renderer-bridge.ts';
import type { TestBridge } from '#support/renderer-bridge.ts';
import type { ServiceFixture } from '#support/service.ts';

type FeedActions = typeof import('#renderer/lib/services/feed-actions.ts');
type FeedState = (typeof import('#renderer/lib/state/feed.svelte.ts'))['feed'];
type SearchState = (typeof import('#renderer/lib/state/search.svelte.ts'))['search'];

describe('feed actions (renderer service, real LibraryService and model)', () => {
  const harness = rendererHarness();
  let fx: ServiceFixture;
  let bridge: TestBridge;
  let actions: FeedActions;
  let feed: FeedState;
  let search: SearchState;
  let photos: PhotoHit[];

  const name = (p: PhotoHit | undefined): string | undefined => p?.path.split('/').pop();
  const first = (): string | undefined => name(feed.itemAt(0));

  beforeAll(async () => {
    ({ fx, bridge } = harness);
    actions = await import('#renderer/lib/services/feed-actions.ts');
    feed = (await import('#renderer/lib/state/feed.svelte.ts')).feed;
    search = (await import('#renderer/lib/state/search.svelte.ts')).search;
    await bridge.data('roots.add', { path: fx.photos });
    await fx.indexed();
    photos = (await bridge.data('photos.list', { offset: 0, limit: 100 })).items;
  }, 60_000);

  it('browses every photo, then shows the search typed last even when an earlier one answers after it', async () => {
    await actions.showBrowse();
    expect(feed.mode).toEqual({ kind: 'browse' });
    expect(feed.total).toBe(photos.length);
    const slowBlue = bridge.hold('search.query', (args) => (args as { query: string }).query === 'blue');
    search.text = 'blue';
    actions.searchNow();
    await vi.waitFor(() => expect(slowBlue.held()).toBe(1));
    search.text = 'red';
    actions.searchNow();
    await vi.waitFor(() => expect(feed.mode).toEqual({ kind: 'search', query: 'red' }));
    expect(first()).toBe('red.jpg');
    slowBlue.release();
    await slowBlue.answered();
    // The answer is in; what the page does with it follows in a task or two.
    await new Promise((r) => setTimeout(r, 20));
    expect(feed.mode).toEqual({ kind: 'search', query: 'red' });
    expect(first()).toBe('red.jpg');
  });

  it('keeps "more like this" while indexing refreshes only the browse view, and leaves it for the search', async () => {
    search.text = 'red';
    const green = photos.find((p) => name(p) === 'green.jpg')!;
    await actions.showSimilar(green.id, 'green.jpg');
    expect(feed.mode).toEqual({ kind: 'similar', id: green.id, name: 'green.jpg' });
    // Every other photo, most alike first; not the photo itself.
    expect(feed.total).toBe(photos.length - 1);
    const shown = Array.from({ length: feed.total }, (_, i) => name(feed.itemAt(i)));
    expect(shown).not.toContain('green.jpg');
    const reads = bridge.hold('search.similar');
    const refreshing = actions.refreshView(true);
    // A call is counted as it is made, so any re-read would show here already.
    const asked = reads.held();
    reads.release();
    await refreshing;
    expect(asked).toBe(0);
    expect(feed.mode.kind).toBe('similar');
    actions.leaveSimilar();
    await vi.waitFor(() => expect(feed.mode).toEqual({ kind: 'search', query: 'red' }));
    actions.clearSearch();
    await vi.waitFor(() => expect(feed.mode).toEqual({ kind: 'browse' }));
    expect(feed.total).toBe(photos.length);
  });

  it('keeps browsing when the library changes while the cleared search is on its way back to all photos', async () => {
    search.text = 'red';
    actions.searchNow();
    await vi.waitFor(() => expect(feed.mode).toEqual({ kind: 'search', query: 'red' }));
    const browse = bridge.hold('photos.list');
    actions.clearSearch();
    await vi.waitFor(() => expect(browse.held()).toBe(1));
    // The grid still shows "red" while its answer is held: the refresh must not run "red" again.
    const searches = bridge.hold('search.query');
    const refreshing = actions.refreshView();
    await vi.waitFor(() => expect(browse.held()).toBe(2));
    const asked = searches.held();
    searches.release();
    browse.release();
    await refreshing;
    await browse.answered();
    expect(asked).toBe(0);
    await vi.waitFor(() => expect(feed.mode).toEqual({ kind: 'browse' }));
    expect(feed.total).toBe(photos.length);
  });

  it('stays on "more like this" when the library changes while its answer is on its way', async () => {
    search.text = 'red';
    actions.searchNow();
    await vi.waitFor(() => expect(feed.mode).toEqual({ kind: 'search', query: 'red' }));
    const green = photos.find((p) => name(p) === 'green.jpg')!;
    const similar = bridge.hold('search.similar');
    const searches = bridge.hold('search.query');
    const liking = actions.showSimilar(green.id, 'green.jpg');
    await vi.waitFor(() => expect(similar.held()).toBe(1));
    // The grid still shows "red": a refresh now must re-read what was asked for, not the search.
    const refreshing = actions.refreshView();
    similar.release();
    await liking;
    searches.release();
    await refreshing;
    await searches.answered();
    expect(feed.mode).toEqual({ kind: 'similar', id: green.id, name: 'green.jpg' });
    actions.leaveSimilar();
    await vi.waitFor(() => expect(feed.mode).toEqual({ kind: 'search', query: 'red' }));
    actions.clearSearch();
    await vi.waitFor(() => expect(feed.mode).toEqual({ kind: 'browse' }));
  });

  it('asks the main side to warm the model up when the search field is focused', async () => {
    const prepare = bridge.hold('search.prepare');
    actions.prepareSearch();
    await vi.waitFor(() => expect(prepare.held()).toBe(1));
    prepare.release();
  });

  it('browses with the timeline’s days, which a ranked search leaves out, and a map area narrows both', async () => {
    await actions.showBrowse();
    expect(feed.days).not.toBeNull();
    expect(feed.days!.reduce((n, d) => n + d.count, 0)).toBe(feed.total);
    search.text = 'red';
    actions.searchNow();
    await vi.waitFor(() => expect(feed.mode).toEqual({ kind: 'search', query: 'red' }));
    expect(feed.days).toBeNull();
    actions.clearSearch();
    await vi.waitFor(() => expect(feed.days).not.toBeNull());
    // The fixture's photos carry no GPS: an area anywhere holds none of them.
    search.area = { box: { south: -90, west: -180, north: 90, east: 180 }, label: 'the world' };
    actions.filtersChanged();
    await vi.waitFor(() => expect(feed.total).toBe(0));
    expect(feed.days).toEqual([]);
    search.clearFilters();
    actions.filtersChanged();
    await vi.waitFor(() => expect(feed.total).toBe(photos.length));
  });
});
