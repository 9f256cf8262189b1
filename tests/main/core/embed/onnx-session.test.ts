// Opening a graph on a provider that fails now: the CPU takes over with the same answers, and the
// reason is kept. The failing provider is a real one this platform's onnxruntime-node lacks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, createSessionOrCpu } from '#core/embed/onnx-session.ts';
import { makeTestModel } from '#support/test-model.ts';

const SIZE = 32;
const absent = process.platform === 'win32' ? 'coreml' : 'dml';

describe('createSessionOrCpu (real onnxruntime-node sessions)', () => {
  let dir: string;
  let vision: string;
  beforeAll(async () => {
    dir = await makeTestModel(await mkdtemp(join(tmpdir(), 'shoebox-session-')), { imageSize: SIZE });
    vision = join(dir, 'onnx', 'vision_model.onnx');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const embed = async (session: ort.InferenceSession): Promise<number[]> => {
    const pixels = Float32Array.from({ length: 3 * SIZE * SIZE }, (_, i) => (i % 17) / 17);
    const out = await session.run({ pixel_values: new ort.Tensor('float32', pixels, [1, 3, SIZE, SIZE]) });
    return [...(out.image_embeds!.data as Float32Array)];
  };

  it(`opens on the CPU when ${absent} cannot open the graph, says why, and answers as the CPU does`, async () => {
    const opened = await createSessionOrCpu(vision, absent, { provider: 4, cpu: 1 }, false);
    const plain = await createSession(vision, 'cpu', 1, false);
    try {
      expect(opened.provider).toBe('cpu');
      expect(opened.fallback).toMatch(new RegExp(`^${absent}: .*backend`));
      expect(await embed(opened.session)).toEqual(await embed(plain));
    } finally {
      await Promise.all([opened.session.release(), plain.release()]);
    }
  });

  it('keeps a provider that opens, with no fall-back', async () => {
    const opened = await createSessionOrCpu(vision, 'cpu', { provider: 1, cpu: 2 });
    try {
      expect(opened).toMatchObject({ provider: 'cpu', fallback: null });
    } finally {
      await opened.session.release();
    }
  });

  it('fails, naming the file, when the CPU cannot open it either', async () => {
    await expect(createSessionOrCpu(join(dir, 'onnx', 'gone.onnx'), absent, { provider: 1, cpu: 1 })).rejects.toThrow(
      /gone\.onnx/,
    );
  });
});
