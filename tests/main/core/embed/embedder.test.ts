import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder } from '#core/embed/embedder.ts';
import { openModelFolder } from '#core/model/model-folder.ts';
import { solidRgb } from '#support/processes.ts';
import { makeTestModel } from '#support/test-model.ts';

function dot(a: Float32Array, b: Float32Array): number {
  return a.reduce((s, v, i) => s + v * b[i]!, 0);
}

describe('Embedder (real onnxruntime-node in the inference process)', () => {
  let dir: string;
  let embedder: Embedder;
  beforeAll(async () => {
    // Sizes other than CLIP's 224/512/77 prove they are read from the graphs, not assumed.
    dir = await makeTestModel(await mkdtemp(join(tmpdir(), 'shoebox-emb-')), {
      imageSize: 32,
      dim: 20,
      contextLength: 24,
    });
    embedder = await Embedder.start(await openModelFolder(dir), { threads: 1 });
  });
  afterAll(async () => {
    await embedder.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads input size, dimension and context length from the model', () => {
    expect(embedder.info).toMatchObject({
      dim: 20,
      inputSize: { width: 32, height: 32 },
      contextLength: 24,
      provider: 'cpu',
    });
  });

  it('returns L2-normalised image and text embeddings that share a space', async () => {
    const images = await embedder.embedImages(
      solidRgb(
        [
          [220, 30, 30],
          [30, 60, 220],
        ],
        32,
      ),
      2,
    );
    expect(images).toHaveLength(40);
    const texts = await embedder.embedTexts(['a photo of something red', 'blue']);
    for (const v of [images.subarray(0, 20), images.subarray(20), texts.subarray(0, 20), texts.subarray(20)]) {
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
    expect(dot(images.subarray(0, 20), texts.subarray(0, 20))).toBeGreaterThan(
      dot(images.subarray(0, 20), texts.subarray(20)),
    );
    expect(dot(images.subarray(20), texts.subarray(20))).toBeGreaterThan(0.95);
  });

  it('keeps answering while requests overlap', async () => {
    const all = await Promise.all(['red', 'green', 'blue', 'yellow'].map((w) => embedder.embedTexts([w])));
    expect(new Set(all.map((v) => v.join(','))).size).toBe(4);
  });

  it('names a broken graph instead of crashing', async () => {
    const broken = await makeTestModel(await mkdtemp(join(tmpdir(), 'shoebox-emb-bad-')));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(broken, 'onnx/vision_model.onnx'), 'not a graph');
    await expect(Embedder.start(await openModelFolder(broken))).rejects.toThrow(/vision_model.onnx/);
    await rm(broken, { recursive: true, force: true });
  });
});
