import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DESKTOP, createHandlers, dispatch } from '#main/ipc/handlers.ts';
import type { Handlers } from '#main/ipc/handlers.ts';
import type { PhotoHit, PhotoPage, RootStatus } from '#shared/types.ts';
import { eventually } from '#support/cli.ts';
import { inferencePids } from '#support/processes.ts';
import { dispatchHelpers } from '#support/dispatch.ts';
import { serviceFixture } from '#support/service.ts';
import type { ServiceFixture } from '#support/service.ts';

/** Every call through the same dispatch the Electron IPC and the web server use. */
describe('IPC handlers (real LibraryService, LanceDB, onnxruntime)', () => {
  let fx: ServiceFixture;
  let handlers: Handlers;
  const revealed: string[] = [];
  const { call, data } = dispatchHelpers(
    () => handlers,
    () => [],
  );

  beforeAll(async () => {
    fx = await serviceFixture();
    handlers = createHandlers(fx.service, {
      pickFolder: () => Promise.resolve(fx.photos),
      reveal: (path) => {
        revealed.push(path);
        return Promise.resolve(true);
      },
    });
  });
  afterAll(async () => fx.close());

  it('rejects unknown calls and malformed arguments with a message, never a throw', async () => {
    expect(await call('nope.nothing', {})).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('unknown call') as string },
    });
    expect(await call(42, {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('search.text', { query: 5 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('query') as string },
    });
    expect(await call('search.text', { query: 'x', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await call('search.text', { query: 'x'.repeat(5000) })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('too long') as string },
    });
    expect(await call('photos.get', { id: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('not a photo id') as string },
    });
    expect(await call('photos.list', { offset: -1, limit: 10 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await call('roots.add', { path: '' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('app.status', null)).toMatchObject({ ok: true });
  });

  it('adds a root, indexes it and reports progress and status', async () => {
    const picked = await data<{ path: string | null }>('roots.pick', {});
    const roots = await data<RootStatus[]>('roots.add', { path: picked.path });
    expect(roots.map((r) => r.path)).toEqual([fx.photos]);
    await fx.indexed();
    const status = await data<{ photos: number; failed: number; model: { state: string } }>('app.status', {});
    expect(status).toMatchObject({ photos: 8, failed: 1, model: { state: 'ready' } });
    expect(fx.events.some((e) => e.event === 'index.progress')).toBe(true);
    await eventually(
      () => Promise.resolve(fx.events.some((e) => e.event === 'library.changed') || undefined),
      5000,
      'a library.changed event',
    );
    expect(await data('index.failures', {})).toEqual([
      { path: `${fx.photos}/broken.jpg`, reason: expect.any(String) as string },
    ]);
    expect(await call('roots.add', { path: fx.photos })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('already') as string },
    });
    expect(await call('roots.add', { path: `${fx.photos}/nope` })).toMatchObject({
      ok: false,
      error: { code: 'ROOT_MISSING' },
    });
  });

  it('searches, browses, shows details, finds similar and reveals', async () => {
    const hits = await data<PhotoHit[]>('search.text', { query: 'red', limit: 3 });
    expect(hits[0]!.path).toBe(`${fx.photos}/red.jpg`);
    expect(await data('search.text', { query: 'red', filters: { types: ['png'] } })).toEqual([]);
    const page = await data<PhotoPage>('photos.list', { offset: 0, limit: 5 });
    expect(page).toMatchObject({ total: 8, offset: 0 });
    expect(page.items).toHaveLength(5);
    const next = await data<PhotoPage>('photos.list', { offset: 5, limit: 5 });
    expect(new Set([...page.items, ...next.items].map((p) => p.id)).size).toBe(8);
    const details = await data<{ name: string; root: string }>('photos.get', { id: hits[0]!.id });
    expect(details).toMatchObject({ name: 'red.jpg', root: fx.photos });
    const similar = await data<PhotoHit[]>('search.similar', { id: hits[0]!.id, limit: 3 });
    expect(similar.map((h) => h.id)).not.toContain(hits[0]!.id);
    expect(await data('photos.reveal', { id: hits[0]!.id })).toEqual({ shown: true });
    expect(revealed).toEqual([`${fx.photos}/red.jpg`]);
    expect(await call('photos.get', { id: 'abcdef0123456789' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await call('search.similar', { id: 'abcdef0123456789' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await call('search.text', { query: '   ' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('pauses and resumes indexing', async () => {
    expect(await data('index.pause', {})).toMatchObject({ paused: true });
    expect(await data('index.resume', {})).toMatchObject({ paused: false });
    expect(await data('index.start', {})).toMatchObject({ running: true });
    await fx.indexed();
  });

  it('removes a root without touching files', async () => {
    expect(await data('roots.remove', { path: fx.photos })).toEqual({ removed: 8 });
    expect(await data('app.status', {})).toMatchObject({ photos: 0, roots: [] });
    expect(await call('roots.remove', { path: fx.photos })).toMatchObject({
      ok: false,
      error: { code: 'ROOT_UNKNOWN' },
    });
  });
});

describe('search.prepare (real inference process)', () => {
  it('starts the inference process again after its idle exit, ahead of the search', async () => {
    const fx = await serviceFixture({ exitWhenIdleMs: 300 });
    try {
      const handlers = createHandlers(fx.service, NO_DESKTOP);
      await fx.service.engine.modelInfo();
      await eventually(async () => ((await inferencePids()).length === 0 ? true : undefined), 10_000, 'the idle exit');
      expect(await dispatch(handlers, 'search.prepare', {})).toEqual({ ok: true, data: { ready: true } });
      expect(await inferencePids()).toHaveLength(1);
      expect(await dispatch(handlers, 'search.prepare', { now: true })).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    } finally {
      await fx.close();
    }
  });
});

describe('IPC handlers without a model', () => {
  it('say what is missing instead of failing obscurely', async () => {
    const fx = await serviceFixture({ withModel: false });
    try {
      const handlers = createHandlers(fx.service, NO_DESKTOP);
      const status = await dispatch(handlers, 'app.status', {});
      expect(status).toMatchObject({
        ok: true,
        data: { model: { state: 'missing', message: expect.stringContaining('--model') as string } },
      });
      expect(await dispatch(handlers, 'search.text', { query: 'red' })).toMatchObject({
        ok: false,
        error: { code: 'MODEL_MISSING' },
      });
      expect(await dispatch(handlers, 'search.prepare', {})).toMatchObject({
        ok: false,
        error: { code: 'MODEL_MISSING' },
      });
      expect(await dispatch(handlers, 'photos.list', { offset: 0, limit: 10 })).toMatchObject({
        ok: true,
        data: { total: 0 },
      });
      expect(await dispatch(handlers, 'roots.pick', {})).toEqual({ ok: true, data: { path: null } });
    } finally {
      await fx.close();
    }
  });
});
