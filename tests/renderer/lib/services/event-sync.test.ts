// The renderer's state follows the main side's pushed events: the real LibraryService's own
// events, through the IPC dispatch (tests/support/renderer-bridge.ts), into the rune state.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '#shared/types.ts';
import { rendererHarness } from '#support/renderer-bridge.ts';
import type { TestBridge } from '#support/renderer-bridge.ts';
import type { ServiceFixture } from '#support/service.ts';

type LibraryState = typeof import('#renderer/lib/state/library.svelte.ts');

describe('event sync (renderer service, real LibraryService events)', () => {
  const harness = rendererHarness();
  let fx: ServiceFixture;
  let bridge: TestBridge;
  let library: LibraryState['library'];
  let stop: () => void;

  const status = (): Promise<AppStatus> => bridge.data('app.status', {});

  beforeAll(async () => {
    ({ fx, bridge } = harness);
    const { startEventSync } = await import('#renderer/lib/services/event-sync.ts');
    library = (await import('#renderer/lib/state/library.svelte.ts')).library;
    stop = startEventSync();
  }, 60_000);
  afterAll(() => stop?.());

  it('shows a folder as it is added and its photos as they are indexed, from the events alone', async () => {
    expect(library.hasRoots).toBe(false);
    // Status reads wait until the end: what the state shows meanwhile came with the events.
    const reads = bridge.hold('app.status');
    try {
      const r = await bridge.call('roots.add', { path: fx.photos });
      expect(r.ok).toBe(true);
      await vi.waitFor(() => expect(library.roots.map((x) => x.path)).toEqual([fx.photos]), { timeout: 5000 });
      expect(library.hasRoots).toBe(true);
      await fx.indexed();
      const s = await fx.service.status();
      expect(s.photos).toBeGreaterThan(0);
      await vi.waitFor(() => expect(library.photos).toBe(s.photos), { timeout: 10_000 });
      expect(reads.held()).toBeGreaterThan(0);
    } finally {
      reads.release();
    }
    const s = await status();
    await vi.waitFor(() => expect(library.roots).toEqual(s.roots), { timeout: 10_000 });
  });

  it('forgets a removed folder and its photos', async () => {
    const r = await bridge.call('roots.remove', { path: fx.photos });
    expect(r.ok).toBe(true);
    await vi.waitFor(
      () => {
        expect(library.roots).toEqual([]);
        expect(library.photos).toBe(0);
      },
      { timeout: 5000 },
    );
    expect(library.hasRoots).toBe(false);
  });

  it('stops following once stopped, refreshes still waiting out their throttle included', async () => {
    // Events that schedule throttled refreshes, just before the stop.
    await bridge.data('roots.add', { path: fx.photos });
    const shown = library.roots;
    stop();
    const reads = bridge.hold('app.status');
    // Longer than any of its throttles (1.5 s).
    await new Promise((r) => setTimeout(r, 1700));
    expect(reads.held()).toBe(0);
    reads.release();
    await fx.indexed();
    await bridge.data('roots.remove', { path: fx.photos });
    // Events were sent (the service records them); the state did not move.
    expect(fx.events.filter((e) => e.event === 'roots.changed').length).toBeGreaterThan(2);
    expect(library.roots).toBe(shown);
  });
});
