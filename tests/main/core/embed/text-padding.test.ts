import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder } from '#core/embed/embedder.ts';
import { openModelFolder } from '#core/model/model-folder.ts';
import { makeTestModel } from '#support/test-model.ts';
import type { TestModelOptions } from '#support/test-model.ts';

// Mixed lengths in one batch, and one text longer than the 24-token context (split into parts).
const TEXTS = ['red', 'a photo of a green apple on a blue table', 'blue', `${'red green blue yellow '.repeat(8)}end`];

async function start(root: string, name: string, opts: TestModelOptions): Promise<Embedder> {
  const dir = await makeTestModel(join(root, name), { contextLength: 24, ...opts });
  return Embedder.start(await openModelFolder(dir), { threads: 1 });
}

describe('text padding (real onnxruntime-node)', () => {
  let root: string;
  let fixed: Embedder;
  let dynamic: Embedder;
  let counting: Embedder;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'shoebox-pad-'));
    [fixed, dynamic, counting] = await Promise.all([
      start(root, 'fixed', {}),
      start(root, 'dynamic', { dynamicSequence: true }),
      start(root, 'counting', { dynamicSequence: true, paddingCounts: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([fixed.close(), dynamic.close(), counting.close()]);
    await rm(root, { recursive: true, force: true });
  });

  it('feeds only the longest text of a batch where the graph allows it and padding is proved inert', async () => {
    expect(fixed.info.trimsText).toBe(false);
    expect(dynamic.info.trimsText).toBe(true);
    const a = await fixed.embedTexts(TEXTS);
    const b = await dynamic.embedTexts(TEXTS);
    expect(b.length).toBe(a.length);
    for (let k = 0; k < a.length; k++) expect(b[k]).toBeCloseTo(a[k]!, 5);
  });

  it('keeps the full context where padding changes the embedding', async () => {
    expect(counting.info.trimsText).toBe(false);
    const padded = await counting.embedTexts(['red']);
    const plain = await dynamic.embedTexts(['red']);
    // The padding tokens' embedding shows: proof that this model really was fed all 24 columns.
    expect(Math.abs(padded[0]! - plain[0]!)).toBeGreaterThan(0.01);
  });
});
