// Text in photos through a real engine: indexing checks every photo's thumbnail with the OCR
// detector, reads the ones with text from the original (upright, askew, turned by EXIF), and a
// search finds them by their words, fused with the picture's ranking; photos without text rank
// as before. Real models (the generated CLIP test model, PP-OCRv4), real LanceDB full-text index.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

const FONT = 'DejaVu Sans';
const page = (body: string, width = 900, height = 600, background = '#f6f3ec'): Buffer =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="${background}"/>${body}</svg>`,
  );
const words = (x: number, y: number, size: number, text: string, extra = ''): string =>
  `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" ${extra}>${text}</text>`;

describe('text in photos, indexed and searched', () => {
  let tmp = '';
  let engine: Engine;
  const name = (p: string): string => p.split('/').pop()!;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-text-'));
    const photos = join(tmp, 'photos');
    await mkdir(photos);
    await sharp(page(words(80, 160, 64, 'INVOICE 4711', 'font-weight="bold"') + words(80, 300, 40, 'Total 23.50')))
      .jpeg({ quality: 92 })
      .toFile(join(photos, 'receipt.jpg'));
    await sharp(
      page(
        `<g transform="rotate(-12 450 300)"><rect x="170" y="230" width="560" height="120" fill="#1d4f91"/>${words(200, 312, 60, 'Rue de Rivoli', 'fill="white"')}</g>`,
      ),
    )
      .jpeg({ quality: 92 })
      .toFile(join(photos, 'sign.jpg'));
    // Stored on its side, EXIF orientation 6: read upright.
    await sharp(
      await sharp(page(words(80, 300, 70, 'Boarding pass')))
        .rotate(-90)
        .png()
        .toBuffer(),
    )
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 92 })
      .toFile(join(photos, 'turned.jpg'));
    for (const colour of ['red', 'green', 'blue'] as const) {
      const [r, g, b] = COLOURS[colour]!;
      await sharp({ create: { width: 120, height: 90, channels: 3, background: { r, g, b } } })
        .jpeg()
        .toFile(join(photos, `${colour}.jpg`));
    }
    const modelDir = await makeTestModel(join(tmp, 'model'));
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir, threads: 2 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
    await engine.index();
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('finds a receipt by its words first, and says it matched by its text', async () => {
    const r = await engine.query('invoice 4711');
    expect(name(r.hits[0]!.path)).toBe('receipt.jpg');
    expect(r.hits[0]!.matched).toContain('text');
    expect(r.hits.filter((h) => h.matched?.includes('text')).map((h) => name(h.path))).toEqual(['receipt.jpg']);
  });

  it('finds a sign photographed askew by its street name, and text in a photo stored on its side', async () => {
    expect(name((await engine.query('Rivoli')).hits[0]!.path)).toBe('sign.jpg');
    expect(name((await engine.query('boarding pass')).hits[0]!.path)).toBe('turned.jpg');
  });

  it('holds a quoted phrase to the text read in the photo', async () => {
    const r = await engine.query('"total 23.50"');
    expect(r.hits.map((h) => name(h.path))).toEqual(['receipt.jpg']);
    expect(r.hits[0]!.matched).toEqual(['text']);
    // A phrase in a file name still finds it, and says so.
    const named = await engine.query('"green"');
    expect(named.hits.map((h) => [name(h.path), h.matched])).toEqual([['green.jpg', ['name']]]);
    expect((await engine.query('"total 99"')).hits).toEqual([]);
  });

  it('leaves photos without text ranked by their picture alone', async () => {
    const r = await engine.query('red');
    expect(name(r.hits[0]!.path)).toBe('red.jpg');
    expect(r.hits.every((h) => !h.matched?.includes('text'))).toBe(true);
    // By its picture, and by its name (red.jpg), not by text.
    expect(r.hits[0]!.matched).toEqual(['image', 'name']);
  });
});
