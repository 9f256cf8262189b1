import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import type { IndexProgress } from '#core/index/index-types.ts';
import { solid, writePhoto } from '#support/photos.ts';
import { killedOnImages } from '#support/processes.ts';
import { makeTestModel } from '#support/test-model.ts';

const PHOTOS = 24;

describe('indexer batches (real sharp, onnxruntime, LanceDB)', () => {
  let tmp: string;
  let engine: Engine;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-batches-'));
    const modelDir = await makeTestModel(join(tmp, 'model'));
    await mkdir(join(tmp, 'a'));
    for (let i = 0; i < PHOTOS; i++) await writePhoto(join(tmp, 'a', `p${i}.jpg`), solid([i * 10, 255 - i * 10, 40]));
    // Batches of 2 photos: a copy-only batch is written after 16 items.
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir, threads: 1, batchSize: 2 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(join(tmp, 'a'));
    expect(await engine.index()).toMatchObject({ indexed: PHOTOS, failed: 0 });
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('writes a folder of copies in several commits, with progress, instead of all at the end', async () => {
    await cp(join(tmp, 'a'), join(tmp, 'b'), { recursive: true });
    await engine.addRoot(join(tmp, 'b'));
    const progress: IndexProgress[] = [];
    expect(await engine.index({ onProgress: (p) => progress.push(p) })).toMatchObject({
      indexed: 0,
      reused: PHOTOS,
      failed: 0,
    });
    const steps = progress.filter((p) => p.phase === 'indexing').map((p) => p.done);
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(steps[0]).toBeLessThan(PHOTOS);
    expect(steps.at(-1)).toBe(PHOTOS);
  });

  it('loses no photo when the inference process dies in the middle of a run', async () => {
    const kills = { left: 1 };
    const other = await Engine.open(
      {
        libraryDir: join(tmp, 'library-crash'),
        modelDir: join(tmp, 'model'),
        threads: 1,
        batchSize: 2,
        spawn: killedOnImages(kills),
      },
      { write: true, command: 'test' },
    );
    try {
      await other.addRoot(join(tmp, 'a'));
      expect(await other.index()).toMatchObject({ indexed: PHOTOS, failed: 0 });
      expect(kills.left).toBe(0);
      expect((await other.failures()).length).toBe(0);
    } finally {
      await other.close();
    }
  });
});
