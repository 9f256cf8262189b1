import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openModelFolder } from '#core/model/model-folder.ts';
import { readManifest } from '#core/model/model-manifest.ts';
import { ModelStore } from '#core/model-store/model-store.ts';
import { colourCheck, matchesColours } from '#support/embed-check.ts';
import { makeImmichTestModel } from '#support/immich-model.ts';
import { writeCatalog } from '#support/model-catalog.ts';
import { makeTestModel } from '#support/test-model.ts';

describe('importing a model folder', () => {
  let tmp: string;
  let immich: string;
  let mclip: string;
  let library: string;
  let catalogPath: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-import-'));
    immich = await makeImmichTestModel(path.join(tmp, 'ViT-B-32__openai'));
    mclip = await makeImmichTestModel(path.join(tmp, 'XLM-Roberta-Large-Vit-B-32'), {
      variant: 'mclip',
      externalTextWeights: 'onnx__MatMul_2679',
    });
    // Only the store's catalogue loading needs this; imports never download.
    catalogPath = await writeCatalog(path.join(tmp, 'catalog.json'), [
      {
        id: 'unused',
        name: 'unused',
        repo: 'x/y',
        layout: 'huggingface',
        dim: 16,
        contextLength: 77,
        licence: 'MIT',
        languages: ['en'],
        note: 'n',
        verified: true,
        files: [
          'onnx/vision_model.onnx',
          'onnx/text_model.onnx',
          'tokenizer.json',
          'tokenizer_config.json',
          'preprocessor_config.json',
          'config.json',
        ].map((p) => ({ path: p, url: `http://127.0.0.1:9/${p}`, bytes: 1, sha256: '0'.repeat(64) })),
      },
    ]);
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));
  beforeEach(async () => {
    library = await mkdtemp(path.join(tmp, 'lib-'));
  });

  const store = (): Promise<ModelStore> => ModelStore.open({ libraryDir: library, catalogPath });

  it('reads an Immich folder in place (--model DIR): fixed batch 1, int32 ids, normalised outputs', async () => {
    const folder = await openModelFolder(immich);
    expect(folder.visionPath).toBe(path.join(immich, 'visual/model.onnx'));
    expect(folder.preprocess).toMatchObject({
      resize: { mode: 'shortest_edge', shortestEdge: 64 },
      crop: { width: 64, height: 64 },
      resample: 'cubic',
    });
    const check = await colourCheck(immich, ['red', 'blue', 'green', 'yellow']);
    expect(check.info).toMatchObject({ maxBatch: 1, dim: 16, contextLength: 77, inputSize: { width: 64, height: 64 } });
    expect(matchesColours(check)).toBe(true);
    for (const n of check.norms) expect(n).toBeCloseTo(1, 5);
  });

  it('converts an Immich folder into the Hugging Face layout, leaving the source untouched', async () => {
    const before = await readdir(immich, { recursive: true });
    const installed = await (await store()).importModel(immich);
    expect(installed).toMatchObject({
      id: 'ViT-B-32__openai',
      dir: path.join(library, 'models', 'ViT-B-32__openai'),
      dim: 16,
    });
    expect(await readdir(immich, { recursive: true })).toEqual(before);
    const folder = await openModelFolder(installed.dir);
    expect(folder.visionPath).toBe(path.join(installed.dir, 'onnx/vision_model.onnx'));
    expect(folder.io).toEqual({
      visionInput: 'image',
      visionOutput: 'embedding',
      textInput: 'text',
      textOutput: 'embedding',
    });
    const pre = JSON.parse(await readFile(path.join(installed.dir, 'preprocessor_config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(pre).toMatchObject({
      size: { shortest_edge: 64 },
      crop_size: { height: 64, width: 64 },
      resample: 3,
      image_mean: [0.48145466, 0.4578275, 0.40821073],
    });
    expect(await readManifest(installed.dir)).toMatchObject({
      source: { kind: 'import', from: immich, layout: 'immich' },
      contextLength: 77,
    });
    expect(matchesColours(await colourCheck(installed.dir))).toBe(true);
  });

  it('imports an M-CLIP export whose text weights live beside the graph', async () => {
    const installed = await (await store()).importModel(mclip, { id: 'multilingual' });
    expect((await readdir(path.join(installed.dir, 'onnx'))).sort()).toEqual([
      'onnx__MatMul_2679',
      'text_model.onnx',
      'vision_model.onnx',
    ]);
    expect((await openModelFolder(installed.dir)).io).toMatchObject({
      textInput: 'input_ids',
      textMask: 'attention_mask',
    });
    expect(matchesColours(await colourCheck(installed.dir))).toBe(true);
  });

  it('imports a Hugging Face folder and lists it as imported', async () => {
    const hf = await makeTestModel(path.join(tmp, 'my model'));
    const s = await store();
    const installed = await s.importModel(hf);
    expect(installed.id).toBe('my-model');
    const listed = (await s.listModels()).models.find((m) => m.id === 'my-model');
    expect(listed).toMatchObject({ source: 'imported', installed: true, inUse: false, dim: 16, contextLength: 77 });
    await expect(s.importModel(hf)).rejects.toThrow(/a model called "my-model" is already installed: pass --id NAME/);
  });

  it('names the missing file and copies nothing', async () => {
    const broken = await makeImmichTestModel(path.join(tmp, 'broken'));
    await unlink(path.join(broken, 'textual/tokenizer.json'));
    await expect((await store()).importModel(broken)).rejects.toThrow(/is missing textual\/tokenizer\.json/);
    expect(existsSync(path.join(library, 'models', 'broken'))).toBe(false);
    expect(existsSync(path.join(library, 'models', '.installing-broken'))).toBe(false);
  });
});
