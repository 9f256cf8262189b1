// The inference process's OCR models: opened on first use, opened again with another script's
// recogniser when a read asks for one, and the old ones released only once no read is using them.
// Real PP-OCRv4 models; the "other" recogniser is the test stand-in (the built-in one with its
// digits 4 and 7 swapped in its dictionary), so which one read a line shows in what it reads.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextReaders } from '#core/embed/text-readers.ts';
import type { TextRecogniserFiles } from '#core/ocr/ocr-models.ts';
import { writeStandIn } from '#support/text-language.ts';

describe('the OCR models held by the inference process', () => {
  let tmp = '';
  let other: TextRecogniserFiles;
  let receipt: [Uint8Array, number, number];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-readers-'));
    const characters = await writeStandIn(tmp);
    other = { model: join(tmp, 'rec.onnx'), dictionary: join(tmp, 'dict.txt'), characters };
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="300"><rect width="700" height="300" fill="#fff"/><text x="50" y="170" font-family="DejaVu Sans" font-size="60">4711</text></svg>`;
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    receipt = [new Uint8Array(data), info.width, info.height];
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('reads with the recogniser each read asks for, finishing reads already under way', async () => {
    const readers = new TextReaders(() => 1);
    const read = (recogniser?: TextRecogniserFiles): Promise<string[]> =>
      readers.use(recogniser, async (r) => (await r.read(...receipt)).map((l) => l.text));
    // A read with the built-in models is under way when one with another recogniser comes in.
    const [builtIn, swapped] = await Promise.all([read(), read(other)]);
    expect(builtIn).toEqual(['4711']);
    // The other recogniser is a copy of the built-in one; only its dictionary tells them apart.
    expect(swapped).toEqual(['7411']);
    expect(await read()).toEqual(['4711']);
  });
});
