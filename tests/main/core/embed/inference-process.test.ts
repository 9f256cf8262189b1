// The inference process's life: it exits when idle (giving its memory back), lets its image
// encoder go between bursts of photos, starts again on the next request with the same answers,
// and a crash fails only the requests it held.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder } from '#core/embed/embedder.ts';
import { forkInference } from '#core/embed/inference-channel.ts';
import type { SpawnInference } from '#core/embed/inference-channel.ts';
import { openModelFolder } from '#core/model/model-folder.ts';
import type { ModelFolder } from '#core/model/model-folder.ts';
import { gpuStandIn, inferencePids, killedOnImages, patternRgb, until } from '#support/processes.ts';
import { makeTestModel } from '#support/test-model.ts';

const SIZE = 32;

const pixels = (count: number, shade: number): Uint8Array => patternRgb(count, shade, SIZE);

describe('the inference process (real child processes, real onnxruntime-node)', () => {
  let dir: string;
  let model: ModelFolder;
  beforeAll(async () => {
    dir = await makeTestModel(await mkdtemp(join(tmpdir(), 'shoebox-host-')), { imageSize: SIZE });
    model = await openModelFolder(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits when idle and starts again on the next request, with the same answers', async () => {
    const embedder = await Embedder.start(model, { threads: 1, exitWhenIdleMs: 200 });
    try {
      const [pid] = await inferencePids();
      expect(pid).toBeGreaterThan(0);
      const text = await embedder.embedTexts(['a red car']);
      const image = await embedder.embedImages(pixels(2, 175), 2);
      await until(async () => !embedder.running && (await inferencePids()).length === 0, 'the idle exit');
      // Info stays known without a process.
      expect(embedder.info.dim).toBe(text.length);

      expect([...(await embedder.embedTexts(['a red car']))]).toEqual([...text]);
      const [again] = await inferencePids();
      expect(again).not.toBe(pid);
      // Woken by a search: the image encoder waits for the first photo.
      expect(embedder.imageEncoderLoaded).toBe(false);
      expect([...(await embedder.embedImages(pixels(2, 175), 2))]).toEqual([...image]);
      expect(embedder.imageEncoderLoaded).toBe(true);
    } finally {
      await embedder.close();
    }
    expect(await inferencePids()).toEqual([]);
  });

  it('lets the image encoder go after a quiet spell and reopens it, same answers, for the next photos', async () => {
    const embedder = await Embedder.start(model, { threads: 1, releaseImagesAfterMs: 150 });
    try {
      const before = await embedder.embedImages(pixels(2, 200), 2);
      await until(() => !embedder.imageEncoderLoaded, 'the release');
      // Texts never need the image encoder.
      expect(await embedder.embedTexts(['red'])).toHaveLength(embedder.info.dim);
      expect(embedder.imageEncoderLoaded).toBe(false);
      // Two batches arrive together while it reopens: one session serves both.
      const [again, other] = await Promise.all([
        embedder.embedImages(pixels(2, 200), 2),
        embedder.embedImages(pixels(1, 75), 1),
      ]);
      expect(embedder.imageEncoderLoaded).toBe(true);
      expect([...again]).toEqual([...before]);
      expect(other).toHaveLength(embedder.info.dim);
      await until(() => !embedder.imageEncoderLoaded, 'the second release');
    } finally {
      await embedder.close();
    }
  });

  it('stays up while requests keep coming', async () => {
    const embedder = await Embedder.start(model, { threads: 1, exitWhenIdleMs: 600 });
    try {
      const [pid] = await inferencePids();
      // Gaps far shorter than the idle time (so load cannot fake an exit), over twice its length.
      for (let i = 0; i < 24; i++) {
        await embedder.embedTexts([`query ${i}`]);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await inferencePids()).toEqual([pid]);
    } finally {
      await embedder.close();
    }
  });

  it('tries a request again on a new process when the process dies holding it', async () => {
    const embedder = await Embedder.start(model, { threads: 1 });
    try {
      const [pid] = await inferencePids();
      const before = await embedder.embedImages(pixels(8, 100), 8);
      const held = embedder.embedImages(pixels(8, 100), 8);
      process.kill(pid!, 'SIGKILL');
      expect([...(await held)]).toEqual([...before]);
      const [fresh] = await inferencePids();
      expect(fresh).not.toBe(pid);
    } finally {
      await embedder.close();
    }
  });

  it('fails a request that takes down two processes in a row, and serves the next', async () => {
    const kills = { left: 2 };
    const embedder = await Embedder.start(model, { threads: 1, spawn: killedOnImages(kills) });
    try {
      await expect(embedder.embedImages(pixels(2, 100), 2)).rejects.toThrow(/inference process stopped .* twice/);
      expect(kills.left).toBe(0);
      expect(await embedder.embedImages(pixels(2, 100), 2)).toHaveLength(2 * embedder.info.dim);
    } finally {
      await embedder.close();
    }
  });

  it('stops a process that is still opening the model when the embedder closes', async () => {
    let holdInit = false;
    // Real processes; after the first, the model is held back, so the next one never says hello.
    const spawn: SpawnInference = () => {
      const channel = forkInference();
      return {
        ...channel,
        send: (message) => (holdInit && message.type === 'init' ? undefined : channel.send(message)),
      };
    };
    const embedder = await Embedder.start(model, { threads: 1, exitWhenIdleMs: 100, spawn });
    await until(async () => !embedder.running && (await inferencePids()).length === 0, 'the idle exit');
    holdInit = true;
    const waiting = expect(embedder.embedTexts(['red'])).rejects.toThrow(/stopped before it opened the model/);
    await until(async () => (await inferencePids()).length === 1, 'the restart');
    await embedder.close();
    await waiting;
    expect(await inferencePids()).toEqual([]);
  });

  it('shows the CPU once the image encoder has fallen back to it, and starts the next process there', async () => {
    const gpu = gpuStandIn();
    const embedder = await Embedder.start(model, { threads: 1, exitWhenIdleMs: 200, spawn: gpu.spawn });
    try {
      expect(embedder.info.provider).toBe('webgpu');
      const before = await embedder.embedImages(pixels(2, 120), 2);
      gpu.failGpu('webgpu: the device was lost');
      expect(embedder.info.provider).toBe('cpu');
      expect(embedder.info.fallbacks).toContain('webgpu: the device was lost');
      await until(async () => !embedder.running && (await inferencePids()).length === 0, 'the idle exit');
      expect([...(await embedder.embedImages(pixels(2, 120), 2))]).toEqual([...before]);
      expect(gpu.inits).toHaveLength(2);
      expect(gpu.inits[1]!.known?.info.provider).toBe('cpu');
      expect(embedder.info.provider).toBe('cpu');
    } finally {
      await embedder.close();
    }
  });

  it('names a model the process cannot open, and leaves no process behind', async () => {
    const broken = { ...model, textPath: join(dir, 'onnx', 'missing_text_model.onnx') };
    await expect(Embedder.start(broken, { threads: 1 })).rejects.toThrow(/missing_text_model\.onnx/);
    await until(async () => (await inferencePids()).length === 0, 'the failed process to exit');
  });
});
