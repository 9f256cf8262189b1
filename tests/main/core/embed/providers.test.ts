import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder } from '#core/embed/embedder.ts';
import { providersFor, tuningFor } from '#core/embed/providers.ts';
import { ClipTokenizer } from '#core/model/clip-tokenizer.ts';
import { openModelFolder } from '#core/model/model-folder.ts';
import { makeTestModel } from '#support/test-model.ts';

describe('execution providers', () => {
  it('tries the platform accelerators first and always ends on CPU', () => {
    // Linux tries only what a loaded driver can run: no GPU driver, no GPU provider and no advice.
    expect(providersFor('auto', 'linux', () => ({ nvidia: false, amd: false }))).toEqual(['cpu']);
    expect(providersFor('auto', 'linux', () => ({ nvidia: true, amd: false }))).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(providersFor('auto', 'linux', () => ({ nvidia: false, amd: true }))).toEqual(['webgpu', 'cpu']);
    expect(providersFor('auto', 'win32')).toEqual(['cuda', 'dml', 'cpu']);
    expect(providersFor('auto', 'darwin')).toEqual(['coreml', 'cpu']);
    expect(providersFor('webgpu', 'linux')).toEqual(['webgpu', 'cpu']);
    expect(providersFor('cpu', 'win32')).toEqual(['cpu']);
    expect(tuningFor('cpu', 8)).toEqual({ batch: 16, threads: 8 });
    expect(tuningFor('cuda', 8).batch).toBeGreaterThan(16);
  });

  describe('on this machine (no GPU, CPU build of onnxruntime)', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await makeTestModel(await mkdtemp(join(tmpdir(), 'shoebox-ep-')), { contextLength: 8 });
    });
    afterAll(async () => rm(dir, { recursive: true, force: true }));

    it('falls back from CUDA to CPU and records why', async () => {
      const embedder = await Embedder.start(await openModelFolder(dir), { providers: providersFor('cuda') });
      try {
        expect(embedder.info.provider).toBe('cpu');
        expect(embedder.info.fallbacks).toHaveLength(1);
        expect(embedder.info.fallbacks[0]).toMatch(/^cuda: .*not installed.*npm run install:cuda/);
      } finally {
        await embedder.close();
      }
    });

    it('splits a query longer than the context at word boundaries and pools the parts', async () => {
      const embedder = await Embedder.start(await openModelFolder(dir), { providers: ['cpu'], threads: 1 });
      try {
        const model = await openModelFolder(dir);
        const tokenizer = new ClipTokenizer(model.tokenizerJson, model.tokenizerConfig, 8);
        const long = 'a photo of some thing in red and then some blue';
        const parts = tokenizer.chunks(long);
        // Context 8 = start + end + 6 tokens: the text needs several parts, and "blue" is in the last.
        expect(parts.length).toBeGreaterThan(1);
        expect(parts.join(' ')).toBe(long);
        expect(parts.at(-1)).toContain('blue');
        const pooled = await embedder.embedTexts([long]);
        const each = await Promise.all(parts.map((p) => embedder.embedTexts([p])));
        const blue = await embedder.embedTexts(['blue']);
        const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
        expect(dot(pooled, blue)).toBeGreaterThan(0.3);
        const mean = pooled.map((_, i) => each.reduce((s, v) => s + v[i]!, 0) / each.length);
        const norm = Math.hypot(...mean);
        pooled.forEach((v, i) => expect(v).toBeCloseTo(mean[i]! / norm, 5));
      } finally {
        await embedder.close();
      }
    });
  });
});
