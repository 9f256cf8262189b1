import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { ModelStore } from '#core/model-store/model-store.ts';
import { makeTestModel } from '#support/test-model.ts';

describe('ModelStore: list, use, remove', () => {
  let tmp: string;
  let library: string;
  let store: ModelStore;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-store-'));
    library = path.join(tmp, 'library');
    store = await ModelStore.open({ libraryDir: library, language: 'en_GB.UTF-8' });
    await store.importModel(await makeTestModel(path.join(tmp, 'first')));
    await store.importModel(await makeTestModel(path.join(tmp, 'second'), { dim: 20 }));
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  it('lists the bundled catalogue and the imported models, none in use yet', async () => {
    const list = await store.listModels();
    expect(list).toMatchObject({ library, modelsDir: path.join(library, 'models'), current: null });
    expect(list.models[0]).toMatchObject({
      id: 'vit-b-32-laion2b',
      source: 'catalog',
      isDefault: true,
      installed: false,
      approximate: false,
      dim: 512,
    });
    expect(list.models.filter((m) => m.isDefault)).toHaveLength(1);
    expect(list.models.filter((m) => m.source === 'imported').map((m) => [m.id, m.dim])).toEqual([
      ['first', 16],
      ['second', 20],
    ]);
  });

  it('makes a model the library model, which the engine then opens', async () => {
    expect(await store.useModel('second')).toBe(path.join(library, 'models', 'second'));
    const settings = JSON.parse(await readFile(path.join(library, 'library.json'), 'utf8')) as { modelDir: string };
    expect(settings.modelDir).toBe(path.join(library, 'models', 'second'));
    expect((await store.listModels()).models.filter((m) => m.inUse).map((m) => m.id)).toEqual(['second']);
    const engine = await Engine.open({ libraryDir: library, providers: ['cpu'], threads: 1 }, { write: false });
    try {
      expect((await engine.modelInfo()).dim).toBe(20);
    } finally {
      await engine.close();
    }
  });

  it('refuses to use a model that is not installed, or to remove the one in use', async () => {
    await expect(store.useModel('clip-vit-base-patch32')).rejects.toThrow(
      'model "clip-vit-base-patch32" is not installed: install it first: shoebox model install clip-vit-base-patch32',
    );
    await expect(store.useModel('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.removeModel('second')).rejects.toThrow(
      /"second" is the model this library uses: switch to another first/,
    );
    await expect(store.installModel('nope')).rejects.toThrow(/there is no model "nope" in the catalogue/);
  });

  it('removes an installed model, and what an interrupted install left behind', async () => {
    await store.removeModel('first');
    expect(existsSync(path.join(library, 'models', 'first'))).toBe(false);
    const staging = path.join(library, 'models', '.installing-clip-vit-base-patch32', 'onnx');
    await mkdir(staging, { recursive: true });
    await writeFile(path.join(staging, 'vision_model.onnx.partial'), Buffer.alloc(1234));
    expect((await store.listModels()).models.find((m) => m.id === 'clip-vit-base-patch32')).toMatchObject({
      installed: false,
      downloaded: 1234,
    });
    await store.removeModel('clip-vit-base-patch32');
    expect(existsSync(path.dirname(staging))).toBe(false);
    await expect(store.removeModel('first')).rejects.toThrow('model "first" is not installed');
  });
});
