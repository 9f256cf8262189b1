// The albums commands of the real `shoebox` CLI, and the user's albums and marks surviving a
// `kill -9` of an index run.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { cliFor, jsonOutput, runCli, startCli } from '#support/cli.ts';
import type { CliResult } from '#support/cli.ts';
import { writeManyPhotos, writePhoto } from '#support/photos.ts';
import type { Rgb } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';
import { noisy } from '../core/albums/album-photos.ts';

interface Summary {
  id: string;
  name: string;
  kind: string;
  count: number;
  coverId: string | null;
}

interface Details extends Summary {
  photos: { id: string; path: string; favourite: boolean; rating: number | null }[];
}

const colour = (name: string): Rgb => COLOURS[name]!;

let tmp = '';
let model = '';
let lib = '';
let photos = '';
let sb: (...args: string[]) => Promise<CliResult>;
const p = (...parts: string[]): string => path.join(photos, ...parts);
const openEngine = async (): Promise<Engine> =>
  Engine.open({ libraryDir: lib, modelDir: model, threads: 1 }, { write: true, command: 'test' });

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-albums-cli-'));
  model = await makeTestModel(path.join(tmp, 'model'));
  lib = path.join(tmp, 'library');
  photos = path.join(tmp, 'photos');
  for (let i = 1; i <= 3; i++) await writePhoto(p('red', `r${i}.jpg`), noisy(colour('red'), i));
  await writePhoto(p('blue', 'b1.jpg'), noisy(colour('blue'), 9));
  sb = cliFor(lib, model);
  // Set up in-process: every CLI start costs a second of CPU on this kind of machine.
  const engine = await openEngine();
  await engine.addRoot(photos);
  await engine.index();
  await engine.close();
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('shoebox albums, album and tags', () => {
  it('lists albums as JSON (id, name, kind, count) without the writer lock; changes need it', async () => {
    const holder = await openEngine();
    try {
      const list = jsonOutput(await sb('albums', '--json')) as Summary[];
      for (const a of list) expect(Object.keys(a).sort()).toEqual(['count', 'coverId', 'id', 'kind', 'name']);
      expect(list.find((a) => a.id === 'tag:red')).toMatchObject({ name: 'red', kind: 'tag', count: 3 });
      const write = await sb('album', 'create', 'Blocked');
      expect(write.code).toBe(1);
      expect(write.stderr).toContain('[LIBRARY_LOCKED]');
    } finally {
      await holder.close();
    }
  });

  it('creates an album, adds photos by path (relative ones too) and shows their paths', async () => {
    const created = await sb('album', 'create', 'Trip');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created album "Trip" \[[0-9a-f]{16}\]$/m);
    const added = await runCli(
      [
        '--library',
        lib,
        'album',
        'add',
        'trip',
        p('red', 'r1.jpg'),
        path.join('blue', 'b1.jpg'),
        path.join('red', 'r2.jpg'),
        '--json',
      ],
      { cwd: photos },
    );
    expect(jsonOutput(added)).toEqual({ added: 3 });
    const shown = jsonOutput(await sb('album', 'show', 'Trip', '--json')) as Details;
    expect(shown).toMatchObject({ name: 'Trip', kind: 'user', count: 3 });
    expect(shown.photos.map((x) => x.path)).toEqual([p('red', 'r1.jpg'), p('blue', 'b1.jpg'), p('red', 'r2.jpg')]);
    const text = await sb('album', 'show', shown.id);
    expect(text.stdout.split('\n').slice(0, 4)).toEqual([
      `Trip (user, 3 photos) [${shown.id}]`,
      `  ${p('red', 'r1.jpg')}`,
      `  ${p('blue', 'b1.jpg')}`,
      `  ${p('red', 'r2.jpg')}`,
    ]);
  });

  it('prints a photo’s tags', async () => {
    const tags = jsonOutput(await sb('tags', p('red', 'r3.jpg'), '--json')) as {
      tag: string;
      applied: boolean;
      source: string;
      score: number;
    }[];
    expect(tags.filter((t) => t.applied)).toMatchObject([{ tag: 'red', source: 'auto', applied: true }]);
    expect(tags[0]!.score).toBeGreaterThan(0.9);
  });

  it('answers bad requests with clear messages and exit codes', async () => {
    const unknown = await sb('album', 'show', 'Nope', '--json');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'shoebox album: there is no album "Nope" (list them with: shoebox albums) [NOT_FOUND]\n',
    );
    const twice = await sb('album', 'create', 'trip');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('there is already an album called "Trip" [BAD_REQUEST]');
    const blank = await sb('album', 'create', '   ');
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain('an album needs a name [BAD_REQUEST]');
    // Usage errors are found before the library is opened.
    const usage = await sb('album', 'frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('expected one of: show, create, add, remove, rename, delete, not "frobnicate"');
  });
});

describe('albums and marks through a kill -9 of shoebox index', () => {
  it('keeps the album, favourite, rating and rejected tag; the library reopens and finishes', async () => {
    let engine = await openEngine();
    let albums = await engine.albums();
    await albums.create('Keep');
    await albums.add('Keep', [p('red', 'r1.jpg'), p('blue', 'b1.jpg')]);
    await albums.setFavourite(p('red', 'r2.jpg'), true);
    await albums.setRating(p('red', 'r3.jpg'), 5);
    await albums.decide(p('red', 'r1.jpg'), 'red', 'reject');
    await engine.close();

    // Enough work that indexing outlasts the first plain progress line (one every 2 s on a pipe).
    const many = 300;
    await writeManyPhotos(p('many'), many, 1024);
    const run = startCli(['--library', lib, '--model', model, '--threads', '1', 'index'], { timeoutMs: 60_000 });
    try {
      const progress = await run.waitForStderr(/^(\d+)\/(\d+) \(/m, 30_000);
      if (Number(progress[1]) >= Number(progress[2]))
        throw new Error(`indexing finished before it could be killed:\n${run.stderr()}`);
    } finally {
      run.child.kill('SIGKILL');
    }
    expect((await run.done).signal).toBe('SIGKILL');

    const check = async (): Promise<void> => {
      expect((await albums.show('Keep')).photos.map((x) => x.path)).toEqual([p('red', 'r1.jpg'), p('blue', 'b1.jpg')]);
      expect(await albums.marksOf(p('red', 'r2.jpg'))).toMatchObject({ favourite: true });
      expect(await albums.marksOf(p('red', 'r3.jpg'))).toMatchObject({ rating: 5 });
      expect((await albums.tagsOf(p('red', 'r1.jpg'))).find((t) => t.tag === 'red')).toMatchObject({
        decision: 'reject',
        applied: false,
      });
    };
    // The dead process's writer lock is taken over; what it committed is intact.
    engine = await openEngine();
    albums = await engine.albums();
    await check();
    const summary = await engine.index();
    expect(summary.indexed + summary.reused).toBeGreaterThan(0);
    expect((await engine.status()).photos).toBe(4 + many);
    await check();
    expect((await albums.list()).find((a) => a.name === 'Keep')).toMatchObject({ kind: 'user', count: 2 });
    await engine.close();
  });
});
