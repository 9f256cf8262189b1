import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '#support/cli.ts';
import { writeManyPhotos } from '#support/photos.ts';
import { gpuStandIn } from '#support/processes.ts';
import { serviceFixture } from '#support/service.ts';
import type { ServiceFixture } from '#support/service.ts';

describe('LibraryService: an unplugged drive', () => {
  let fx: ServiceFixture;
  beforeAll(async () => {
    fx = await serviceFixture();
    await fx.service.addRoot(fx.photos);
    await fx.indexed();
  });
  afterAll(async () => fx.close());
  const rootEvent = (online: boolean): true | undefined =>
    fx.events.some((e) => e.event === 'root.state' && (e.payload as { online: boolean }).online === online)
      ? true
      : undefined;

  it('marks the root offline, keeps its photos searchable, and re-embeds nothing when it returns', async () => {
    const away = `${fx.photos}-unplugged`;
    await rename(fx.photos, away);
    await eventually(() => Promise.resolve(rootEvent(false)), 5000, 'an offline event');
    const offline = await fx.service.status();
    expect(offline.roots).toEqual([{ path: fx.photos, online: false, photos: 8, failed: 1 }]);
    expect((await fx.service.search('red', 1))[0]!.path).toBe(`${fx.photos}/red.jpg`);

    fx.events.length = 0;
    await rename(away, fx.photos);
    await eventually(() => Promise.resolve(rootEvent(true)), 5000, 'an online event');
    await fx.indexed();
    const back = await fx.service.status();
    expect(back.roots[0]).toMatchObject({ online: true, photos: 8 });
    expect(back.indexing).toMatchObject({ indexed: 0, reused: 0, removed: 0 });
  });

  it('pauses indexing between files and resumes where it was', async () => {
    await writeManyPhotos(join(fx.photos, 'new'), 40, 96);
    const state = fx.service.pause();
    expect(state.paused).toBe(true);
    await fx.service.startIndex();
    await new Promise((r) => setTimeout(r, 800));
    const paused = (await fx.service.status()).indexing;
    expect(paused).toMatchObject({ running: true, paused: true });
    expect(paused.indexed).toBeLessThan(40);
    fx.service.resume();
    await fx.indexed();
    expect((await fx.service.status()).indexing).toMatchObject({ running: false, paused: false, indexed: 40 });
  });
});

describe('LibraryService: a GPU that fails after start-up', () => {
  let fx: ServiceFixture;
  const gpu = gpuStandIn();
  beforeAll(async () => {
    fx = await serviceFixture({ spawn: gpu.spawn });
  });
  afterAll(async () => fx.close());

  it('shows the CPU in the status and tells every window, then indexes on', async () => {
    expect((await fx.service.status()).model).toMatchObject({ state: 'ready', provider: 'webgpu' });
    const before = fx.events.length;
    gpu.failGpu('webgpu: the device was lost');
    // Pushed at once, before any window reads the status.
    expect(
      fx.events
        .slice(before)
        .filter((e) => e.event === 'model.state')
        .map((e) => e.payload),
    ).toEqual([expect.objectContaining({ state: 'ready', provider: 'cpu' })]);
    expect((await fx.service.status()).model).toMatchObject({ state: 'ready', provider: 'cpu' });
    await fx.service.addRoot(fx.photos);
    await fx.indexed();
    expect((await fx.service.search('red', 1))[0]!.path).toBe(`${fx.photos}/red.jpg`);
  });
});
