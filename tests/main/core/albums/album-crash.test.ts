import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { writeManyPhotos } from '#support/photos.ts';
import { makeTestModel } from '#support/test-model.ts';

const PHOTOS = 60;
const KILLS = 10;
const engineModule = new URL('../../../../app/main/core/engine/engine.ts', import.meta.url).pathname;

/**
 * A real process that adds the photos to "Trip" one commit at a time, favouriting each. Its
 * inference process sees the IPC channel close when it is killed, and leaves with it.
 */
async function editor(dir: string, library: string, model: string, files: string[]): Promise<ReturnType<typeof spawn>> {
  const code = `
    import { Engine } from ${JSON.stringify(engineModule)};
    const files = ${JSON.stringify(files)};
    const engine = await Engine.open({ libraryDir: ${JSON.stringify(library)}, modelDir: ${JSON.stringify(model)}, threads: 1 }, { write: true, command: 'album editor' });
    const albums = await engine.albums();
    const have = new Set((await albums.show('Trip')).photos.map((p) => p.path));
    console.log('ready');
    for (const f of files) {
      if (!have.has(f)) await albums.add('Trip', [f]);
      if (!(await albums.marksOf(f)).favourite) await albums.setFavourite(f, true);
    }
    await engine.close();`;
  const script = join(dir, 'album-editor.mjs');
  await writeFile(script, code);
  return spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
}

describe('kill -9 while albums are being edited', () => {
  let tmp: string;
  let model: string;
  let library: string;
  let files: string[];
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-album-crash-'));
    model = await makeTestModel(join(tmp, 'model'));
    library = join(tmp, 'library');
    files = await writeManyPhotos(join(tmp, 'photos'), PHOTOS, 48);
    const engine = await Engine.open(
      { libraryDir: library, modelDir: model, threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(join(tmp, 'photos'));
    await engine.index();
    await (await engine.albums()).create('Trip');
    await engine.close();
  }, 60_000);
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  it(`keeps every finished edit and nothing half-done, ${KILLS} kills over`, async () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let before = 0;
    for (let i = 0; i < KILLS; i++) {
      const child = await editor(tmp, library, model, files);
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => (d.toString().includes('ready') ? resolve() : undefined));
        child.once('exit', (c) => reject(new Error(`the editor exited early (${String(c)})`)));
      });
      await new Promise((r) => setTimeout(r, 50 + random() * 400));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const engine = await Engine.open({ libraryDir: library, modelDir: model, threads: 1 }, { write: false });
      try {
        const trip = await (await engine.albums()).show('Trip');
        const paths = trip.photos.map((p) => p.path);
        expect(new Set(paths).size, `duplicate album items after kill ${i + 1}`).toBe(paths.length);
        expect(paths.length, 'album items never go away on a crash').toBeGreaterThanOrEqual(before);
        before = paths.length;
      } finally {
        await engine.close();
      }
    }
    expect(before).toBeGreaterThan(0);
    const finish = await editor(tmp, library, model, files);
    expect(await new Promise((r) => finish.once('exit', r))).toBe(0);
    const engine = await Engine.open({ libraryDir: library, modelDir: model, threads: 1 }, { write: false });
    try {
      const trip = await (await engine.albums()).show('Trip');
      expect(trip.photos).toHaveLength(PHOTOS);
      expect(trip.photos.every((p) => p.favourite)).toBe(true);
    } finally {
      await engine.close();
    }
  }, 180_000);
});
