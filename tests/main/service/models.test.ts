// Models in the running app, through the same dispatch the Electron IPC and the web server use:
// a first download from a local stand-in for the Hub, indexing with it, switching to a second
// model while the first keeps answering, removing, and a download that cannot reach the server.
// Everything is real: HTTP, onnxruntime, LanceDB.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DESKTOP, createHandlers, dispatch } from '#main/ipc/handlers.ts';
import type { Handlers } from '#main/ipc/handlers.ts';
import { LibraryService } from '#main/service/library-service.ts';
import type { EventName, Events } from '#shared/contract.ts';
import type { ModelEntry, ModelState, PhotoHit } from '#shared/types.ts';
import { eventually } from '#support/cli.ts';
import { testEntry, writeCatalog } from '#support/model-catalog.ts';
import { closedPort, startModelServer } from '#support/model-server.ts';
import type { ModelServer } from '#support/model-server.ts';
import { solid, writePhoto } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

const FIRST = 'tiny';
// A second model that reads "red" as green: which photo comes first tells which model answered.
const SECOND = 'tiny-contrary';
const OFFLINE = 'tiny-offline';

describe('models in the running app', () => {
  let tmp: string;
  let photos: string;
  let server: ModelServer;
  let dispatcher: Agent;
  let service: LibraryService;
  let handlers: Handlers;
  const events: { event: EventName; payload: Events[EventName] }[] = [];

  const call = async <T>(channel: string, args: unknown = {}): Promise<T> => {
    const r = await dispatch(handlers, channel, args);
    if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
    return r.data as T;
  };
  const refused = (channel: string, args: unknown): ReturnType<typeof dispatch> => dispatch(handlers, channel, args);
  const model = async (): Promise<ModelState> => (await service.status()).model;
  const entry = async (id: string): Promise<ModelEntry> =>
    (await call<ModelEntry[]>('models.list')).find((m) => m.id === id)!;
  const topHit = async (query: string): Promise<string> =>
    path.basename((await call<PhotoHit[]>('search.text', { query, limit: 1 }))[0]!.path);
  const indexed = (): Promise<true> =>
    eventually(
      async () => {
        const s = await service.status();
        return s.indexing.phase === 'watching' && !s.indexing.running ? true : undefined;
      },
      30_000,
      'the index to finish',
    );

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-models-'));
    const first = await makeTestModel(path.join(tmp, 'hub', 'first'));
    const second = await makeTestModel(path.join(tmp, 'hub', 'second'), { dim: 20, wordColours: { red: 'green' } });
    server = await startModelServer({ 'test/first': first, 'test/second': second });
    dispatcher = new Agent();
    const port = await closedPort();
    const offline = await testEntry(server, { id: OFFLINE, repo: 'test/first', dir: first });
    const files = (offline.files as { url: string }[]).map((f) => ({
      ...f,
      url: f.url.replace(server.origin, `http://127.0.0.1:${port}`),
    }));
    const catalogPath = await writeCatalog(path.join(tmp, 'catalog.json'), [
      await testEntry(server, { id: FIRST, repo: 'test/first', dir: first }),
      await testEntry(server, { id: SECOND, repo: 'test/second', dir: second }),
      { ...offline, files },
    ]);
    photos = path.join(tmp, 'photos');
    let i = 0;
    for (const [name, rgb] of Object.entries(COLOURS))
      await writePhoto(path.join(photos, `${name}.jpg`), solid(rgb, 80 + i++, 60));
    service = await LibraryService.start(
      { libraryDir: path.join(tmp, 'library'), threads: 1, catalogPath, dispatcher },
      (event, payload) => events.push({ event, payload }),
    );
    handlers = createHandlers(service, NO_DESKTOP);
  });
  afterAll(async () => {
    await service?.close();
    await dispatcher?.close();
    await server?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('starts with no model and lists the catalogue, the first entry the default', async () => {
    expect((await model()).state).toBe('missing');
    const list = await call<ModelEntry[]>('models.list');
    expect(list.map((m) => [m.id, m.installed, m.inUse, m.isDefault])).toEqual([
      [FIRST, false, false, true],
      [SECOND, false, false, false],
      [OFFLINE, false, false, false],
    ]);
    expect(list[0]).toMatchObject({
      name: `Test model ${FIRST}`,
      approximate: false,
      languages: ['en'],
      note: expect.any(String) as string,
    });
    expect(list[0]!.bytes).toBeGreaterThan(3_000_000);
  });

  it('refuses unknown and malformed model ids', async () => {
    expect(await refused('models.install', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await refused('models.install', { id: '../etc' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('not a model id') as string },
    });
    expect(await refused('models.use', { id: SECOND })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('not installed') as string },
    });
  });

  it('downloads the first model in the background with progress, then indexes with it by itself', async () => {
    // Slow enough that the call visibly answers before the download ends.
    server.misbehave = { bytesPerSecond: 4_000_000 };
    await call('roots.add', { path: photos });
    const started = await call<ModelEntry[]>('models.install', { id: FIRST });
    expect(started.find((m) => m.id === FIRST)).toMatchObject({ downloading: true, installed: false });
    expect((await model()).download).toMatchObject({ id: FIRST, phase: 'downloading' });
    await eventually(
      async () => ((await model()).state === 'ready' ? true : undefined),
      30_000,
      'the model to be ready',
    );
    server.misbehave = {};
    const progress = events
      .flatMap((e) => (e.event === 'model.state' ? [(e.payload as ModelState).download] : []))
      .filter((d) => d?.id === FIRST);
    expect(progress.some((d) => d!.bytes > 0 && d!.bytes < d!.total && d!.rate > 0)).toBe(true);
    expect(progress.some((d) => d!.file === 'onnx/text_model.onnx')).toBe(true);
    expect((await model()).download ?? null).toBeNull();
    expect(await entry(FIRST)).toMatchObject({ installed: true, inUse: true, downloading: false });
    const settings = JSON.parse(await readFile(path.join(tmp, 'library', 'library.json'), 'utf8')) as {
      modelDir: string;
    };
    expect(settings.modelDir).toBe(path.join(tmp, 'library', 'models', FIRST));
    await indexed();
    expect((await service.status()).photos).toBe(8);
    expect(await topHit('red')).toBe('red.jpg');
  });

  it('installs a second model without switching to it', async () => {
    await call('models.install', { id: SECOND });
    await eventually(
      async () => ((await entry(SECOND)).installed ? true : undefined),
      30_000,
      'the second model to install',
    );
    expect(await entry(SECOND)).toMatchObject({ inUse: false, answering: false });
    expect(await entry(FIRST)).toMatchObject({ inUse: true });
    expect(await topHit('red')).toBe('red.jpg');
  });

  it('switches models: the first answers until the second has indexed every photo, then the second', async () => {
    const firstId = (await model()).id;
    // Held between files, so the second model's table stays empty while we look.
    service.pause();
    await call('models.use', { id: SECOND });
    const during = await model();
    expect(during).toMatchObject({ state: 'ready', previous: firstId });
    expect(during.id).not.toBe(firstId);
    expect(await entry(SECOND)).toMatchObject({ inUse: true, answering: false });
    expect(await entry(FIRST)).toMatchObject({ inUse: false, answering: true });
    expect(await topHit('red')).toBe('red.jpg');
    expect((await service.status()).photos).toBe(8);
    expect(await refused('models.remove', { id: FIRST })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('still answers searches') as string },
    });

    service.resume();
    await eventually(
      async () => ((await model()).previous === null ? true : undefined),
      30_000,
      'the second model to catch up',
    );
    expect(await topHit('red')).toBe('green.jpg');
    expect((await service.status()).photos).toBe(8);
    expect(await entry(FIRST)).toMatchObject({ answering: false, installed: true });
  });

  it('removes the first model: its files and its table go; the model in use cannot be removed', async () => {
    const db = await lancedb.connect(path.join(tmp, 'library', 'db'));
    const tables = async (): Promise<string[]> => (await db.tableNames()).filter((t) => t.startsWith('photos__'));
    expect(await tables()).toHaveLength(2);
    await call('models.remove', { id: FIRST });
    expect(existsSync(path.join(tmp, 'library', 'models', FIRST))).toBe(false);
    expect(await tables()).toEqual([`photos__${(await model()).id!.replace(/[^A-Za-z0-9_-]/g, '_')}`]);
    db.close();
    expect(await refused('models.remove', { id: SECOND })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('the model this library uses') as string },
    });
    expect(await topHit('red')).toBe('green.jpg');
  });

  it('says so when the server cannot be reached, and keeps the model in use', async () => {
    await call('models.install', { id: OFFLINE });
    const failed = await eventually(
      async () => {
        const d = (await model()).download;
        return d?.phase === 'failed' ? d : undefined;
      },
      15_000,
      'the download to fail',
    );
    expect(failed).toMatchObject({
      id: OFFLINE,
      offline: true,
      error: expect.stringMatching(/could not reach 127\.0\.0\.1:\d+ .*check your connection/) as string,
    });
    expect(await entry(OFFLINE)).toMatchObject({ installed: false, downloading: false });
    expect((await model()).state).toBe('ready');
    expect(await topHit('red')).toBe('green.jpg');
  });
});
