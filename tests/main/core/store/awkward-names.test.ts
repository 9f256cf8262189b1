// File and folder names that a filter built from strings could get wrong: a quote, a backslash,
// SQL's comment marker, a LIKE wildcard. Every path that filters by name (search by folder,
// similar, forgetting a removed file or folder, removing a root) must touch exactly its own rows.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { PhotoStore } from '#core/store/photo-store.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

const ODD = ["it's", 'back\\slash', 'x -- y', "o' OR '1'='1", '100%_done'];

describe('names with quotes, backslashes and -- in every filter (real LanceDB)', () => {
  let tmp: string;
  let photos: string;
  let engine: Engine;
  const files: string[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-names-'));
    photos = join(tmp, 'photos');
    const colours = Object.values(COLOURS);
    for (const [i, name] of ODD.entries()) {
      for (const [j, file] of [`${name}.jpg`, 'plain.jpg'].entries()) {
        const path = join(photos, name, file);
        await mkdir(join(photos, name), { recursive: true });
        const rgb = colours[(i * 2 + j) % colours.length]!;
        const background = { r: rgb[0], g: rgb[1], b: rgb[2] };
        await writeFile(
          path,
          await sharp({ create: { width: 40 + i, height: 30 + j, channels: 3, background } })
            .jpeg()
            .toBuffer(),
        );
        files.push(path);
      }
    }
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir: await makeTestModel(join(tmp, 'model')), threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
    expect(await engine.index()).toMatchObject({ indexed: files.length, failed: 0 });
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const stored = async (): Promise<string[]> => (await engine.listPhotos(0, 100)).items.map((h) => h.path).sort();

  it('finds each folder by name, and only that folder', async () => {
    for (const name of ODD) {
      const hits = await engine.search('red', { limit: 50, filters: { folder: join(photos, name) } });
      expect(hits.map((h) => h.path).sort(), name).toEqual(
        [join(photos, name, `${name}.jpg`), join(photos, name, 'plain.jpg')].sort(),
      );
      expect(await engine.similar(join(photos, name, `${name}.jpg`), { limit: 50 })).toHaveLength(files.length - 1);
    }
  });

  it('forgets a removed file and a removed folder by their names, leaving every other row', async () => {
    const { id, dim } = await engine.modelInfo();
    // The store the watcher drops files and folders through, on the engine's own table.
    const store = await PhotoStore.open(engine.library.dbDir, id, dim);
    // Read back through the same store: another connection sees its commits within moments
    // (SEARCHED_STALENESS_S), and what is checked here is which rows the filters removed.
    const kept = async (): Promise<string[]> => [...(await store.knownFiles()).keys()].sort();
    try {
      await store.deletePaths([join(photos, "it's", "it's.jpg")]);
      expect(await kept()).toEqual(files.filter((f) => f !== join(photos, "it's", "it's.jpg")).sort());
      await store.deleteUnder(join(photos, 'x -- y'), sep);
      await store.deleteUnder(join(photos, "o' OR '1'='1"), sep);
      const left = files.filter(
        (f) => f !== join(photos, "it's", "it's.jpg") && !f.includes(`${sep}x -- y${sep}`) && !f.includes("o' OR"),
      );
      expect(await kept()).toEqual(left.sort());
    } finally {
      store.close();
    }
  });

  it('removes a root by its name and nothing else', async () => {
    const other = join(tmp, "other's -- root");
    await mkdir(other);
    await writeFile(
      join(other, 'keep.jpg'),
      await sharp({ create: { width: 33, height: 22, channels: 3, background: '#0a0' } })
        .jpeg()
        .toBuffer(),
    );
    await engine.addRoot(other);
    await engine.index();
    const { removed } = await engine.removeRoot(photos);
    expect(removed).toBeGreaterThan(0);
    expect(await stored()).toEqual([join(other, 'keep.jpg')]);
  });
});
