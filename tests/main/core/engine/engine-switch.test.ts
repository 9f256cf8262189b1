// Switching models in one engine: reads stay on the previous model until the new model's table
// has caught up, never on a half-filled table, and a retired model is closed only after the
// searches that picked it have finished. Real onnxruntime, LanceDB and sharp.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import type { ModelRef } from '#core/engine/engine.ts';
import { solid, writePhoto } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

describe('Engine.switchModel', () => {
  let tmp: string;
  let engine: Engine;
  let first: string;
  let second: string;
  let firstRef: ModelRef | undefined;
  const top = async (query: string): Promise<string> => basename((await engine.search(query, { limit: 1 }))[0]!.path);

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-switch-'));
    first = await makeTestModel(join(tmp, 'first'));
    // Reads "red" as green, so the top hit tells which model answered.
    second = await makeTestModel(join(tmp, 'second'), { dim: 20, wordColours: { red: 'green' } });
    const photos = join(tmp, 'photos');
    let i = 0;
    for (const [name, rgb] of Object.entries(COLOURS))
      await writePhoto(join(photos, `${name}.jpg`), solid(rgb, 70 + i++, 50));
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir: first, threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
    await engine.index();
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('keeps answering from the previous model until the new table is filled', async () => {
    const before = (await engine.models()).current!;
    firstRef = before;
    const ref = await engine.switchModel(second);
    expect(await engine.models()).toEqual({ current: ref, previous: before });
    const settings = JSON.parse(await readFile(join(tmp, 'library', 'library.json'), 'utf8')) as { modelDir: string };
    expect(settings.modelDir).toBe(second);
    expect(await top('red')).toBe('red.jpg');
    expect((await engine.status()).photos).toBe(8);
  });

  it('goes back to the previous model without re-embedding, when switched back before catching up', async () => {
    const { current, previous } = await engine.models();
    expect(await engine.switchModel(first)).toEqual(previous);
    expect(await engine.models()).toEqual({ current: previous, previous: null });
    expect(await engine.index()).toMatchObject({ indexed: 0, unchanged: 8 });
    expect(await top('red')).toBe('red.jpg');
    expect(current).not.toEqual(previous);
  });

  it('hands over once a full index with the new model has finished, closing the old one after its searches', async () => {
    const old = (await engine.models()).current!;
    await engine.switchModel(second);
    const caughtUp: ModelRef[] = [];
    // Searches that start during the index: each answers from one model, whole, never failing.
    const searches: Promise<string>[] = [];
    const index = engine.index({ onProgress: () => searches.push(top('red')), onCaughtUp: (p) => caughtUp.push(p) });
    searches.push(top('red'));
    expect(await index).toMatchObject({ indexed: 8, interrupted: false });
    const answers = await Promise.all(searches);
    expect(answers.every((a) => a === 'red.jpg' || a === 'green.jpg')).toBe(true);
    expect(caughtUp).toEqual([old]);
    expect((await engine.models()).previous).toBeNull();
    expect(await top('red')).toBe('green.jpg');
    expect((await engine.status()).photos).toBe(8);
  });

  it("drops a retired model's vectors, never those of the model in use", async () => {
    const current = (await engine.models()).current!;
    const firstId = firstRef!.id;
    await expect(engine.removeModelVectors(current.id)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await engine.removeModelVectors(firstId)).toBe(true);
    expect(await engine.removeModelVectors(firstId)).toBe(false);
    expect(await top('red')).toBe('green.jpg');
  });
});
