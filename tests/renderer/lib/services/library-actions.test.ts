// The folders screen's service under Node against a real LibraryService: a folder that cannot be
// added says why and leaves the form usable, a second submit while one is in flight is ignored,
// and removing a folder drops a filter on it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rendererHarness } from '#support/renderer-bridge.ts';
import type { TestBridge } from '#support/renderer-bridge.ts';
import type { ServiceFixture } from '#support/service.ts';

type LibraryActions = typeof import('#renderer/lib/services/library-actions.ts');

describe('library actions (renderer service, real LibraryService)', () => {
  const harness = rendererHarness();
  let fx: ServiceFixture;
  let bridge: TestBridge;
  let actions: LibraryActions;
  let ui: (typeof import('#renderer/lib/state/ui.svelte.ts'))['ui'];
  let library: (typeof import('#renderer/lib/state/library.svelte.ts'))['library'];
  let search: (typeof import('#renderer/lib/state/search.svelte.ts'))['search'];
  let notifications: (typeof import('#renderer/lib/state/notifications.svelte.ts'))['notifications'];

  beforeAll(async () => {
    ({ fx, bridge } = harness);
    actions = await import('#renderer/lib/services/library-actions.ts');
    ({ ui } = await import('#renderer/lib/state/ui.svelte.ts'));
    ({ library } = await import('#renderer/lib/state/library.svelte.ts'));
    ({ search } = await import('#renderer/lib/state/search.svelte.ts'));
    ({ notifications } = await import('#renderer/lib/state/notifications.svelte.ts'));
  }, 60_000);

  it('says why a folder cannot be added, and the form stays open and usable', async () => {
    ui.addFormOpen = true;
    const missing = join(fx.tmp, 'no-such-folder');
    expect(await actions.addFolder(missing)).toBe(false);
    const toast = notifications.items.at(-1);
    expect(toast).toMatchObject({ kind: 'error', title: 'Could not add the folder' });
    expect(toast?.message).toContain('no-such-folder');
    expect(ui.addFormOpen).toBe(true);
    expect(ui.adding).toBe(false);
    expect(library.roots).toEqual([]);
  });

  it('adds a folder once when it is submitted twice', async () => {
    const adds = bridge.hold('roots.add');
    const first = actions.addFolder(`  ${fx.photos}  `);
    const second = actions.addFolder(fx.photos);
    try {
      // Calls are counted as they are made: a second one would show at once.
      expect(adds.held()).toBe(1);
      expect(ui.adding).toBe(true);
    } finally {
      adds.release();
    }
    expect(await second).toBe(false);
    expect(await first).toBe(true);
    expect(ui.adding).toBe(false);
    expect(ui.addFormOpen).toBe(false);
    expect(library.roots.map((r) => r.path)).toEqual([fx.photos]);
    expect(notifications.items.at(-1)).toMatchObject({ kind: 'success', title: 'Folder added' });
  });

  it('removes a folder after asking, and drops a filter on it', async () => {
    if (!library.roots.some((r) => r.path === fx.photos)) expect(await actions.addFolder(fx.photos)).toBe(true);
    const other = join(fx.tmp, 'other');
    await mkdir(other);
    expect(await actions.addFolder(other)).toBe(true);
    await fx.indexed();
    search.folder = fx.photos;
    actions.askRemoveFolder(library.roots.find((r) => r.path === fx.photos)!);
    await actions.confirmRemoveFolder();
    expect(ui.removing).toBeNull();
    expect(search.folder).toBe('');
    expect(library.roots.map((r) => r.path)).toEqual([other]);
    expect(notifications.items.at(-1)).toMatchObject({ kind: 'success', title: 'Folder removed' });
  });
});
