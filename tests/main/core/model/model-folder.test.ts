import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openModelFolder, parsePreprocessorConfig } from '#core/model/model-folder.ts';
import { makeTestModel } from '#support/test-model.ts';

describe('openModelFolder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTestModel(await mkdtemp(join(tmpdir(), 'shoebox-model-')));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('reads a Hugging Face layout folder', async () => {
    const m = await openModelFolder(dir);
    expect(m.visionPath).toBe(join(dir, 'onnx/vision_model.onnx'));
    expect(m.preprocess.resize).toEqual({ mode: 'shortest_edge', shortestEdge: 64 });
    expect(m.preprocess.crop).toEqual({ width: 64, height: 64 });
    expect(m.preprocess.resample).toBe('cubic');
    expect(m.id).toMatch(/^shoebox-test-clip-[0-9a-f]{10}$/);
  });

  it.each(['onnx/vision_model.onnx', 'onnx/text_model.onnx', 'tokenizer.json', 'preprocessor_config.json'])(
    'names the missing %s',
    async (file) => {
      await unlink(join(dir, file));
      await expect(openModelFolder(dir)).rejects.toThrow(file);
    },
  );

  it('says when the folder is not there', async () => {
    await expect(openModelFolder(join(dir, 'nope'))).rejects.toMatchObject({ code: 'MODEL_MISSING' });
  });

  it('rejects a preprocessor config it cannot follow', async () => {
    await writeFile(join(dir, 'preprocessor_config.json'), JSON.stringify({ image_mean: [1, 2] }));
    await expect(openModelFolder(dir)).rejects.toThrow(/preprocessor_config.json/);
  });
});

describe('parsePreprocessorConfig', () => {
  it('understands exact sizes, integer sizes and disabled steps', () => {
    expect(
      parsePreprocessorConfig({
        size: { height: 256, width: 256 },
        resample: 2,
        do_normalize: false,
        do_rescale: true,
      }),
    ).toMatchObject({
      resize: { mode: 'exact', width: 256, height: 256 },
      resample: 'linear',
      mean: null,
      std: null,
      rescaleFactor: 1 / 255,
    });
    expect(
      parsePreprocessorConfig({ size: 224, crop_size: 224, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] }),
    ).toMatchObject({
      resize: { mode: 'shortest_edge', shortestEdge: 224 },
      crop: { width: 224, height: 224 },
      mean: [0.5, 0.5, 0.5],
    });
    expect(
      parsePreprocessorConfig({ do_resize: false, do_center_crop: false, size: 224, crop_size: 224 }),
    ).toMatchObject({ resize: null, crop: null });
  });
});
