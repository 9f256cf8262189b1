import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder } from '../../../../app/main/core/embed/embedder.ts';
import { openModelFolder } from '../../../../app/main/core/model/model-folder.ts';
import { patternRgb, until } from '../../../support/processes.ts';
import { makeTestModel } from '../../../support/test-model.ts';

const SIZE = 32;

const pixels = (count: number, shade: number): Uint8Array => patternRgb(count, shade, SIZE);

describe('image encoder released when idle (real onnxruntime-node)', () => {
  let dir: string;
  let embedder: Embedder;
  beforeAll(async () => {
    dir = await makeTestModel(await mkdtemp(join(tmpdir(), 'shoebox-idle-')), { imageSize: SIZE });
    embedder = await Embedder.start(await openModelFolder(dir), { threads: 1, releaseImagesAfterMs: 150 });
  });
  afterAll(async () => {
    await embedder.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lets the image encoder go after a quiet spell and reopens it, same answers, for the next photos', async () => {
    const before = await embedder.embedImages(pixels(2, 200), 2);
    await until(() => !embedder.imageEncoderLoaded, 'the release');
    // Texts never need the image encoder.
    expect(await embedder.embedTexts(['red'])).toHaveLength(embedder.info.dim);
    expect(embedder.imageEncoderLoaded).toBe(false);
    // Two batches arrive together while it reopens: one session serves both.
    const [again, other] = await Promise.all([embedder.embedImages(pixels(2, 200), 2), embedder.embedImages(pixels(1, 75), 1)]);
    expect(embedder.imageEncoderLoaded).toBe(true);
    expect([...again]).toEqual([...before]);
    expect(other).toHaveLength(embedder.info.dim);
    await until(() => !embedder.imageEncoderLoaded, 'the second release');
  });
});
