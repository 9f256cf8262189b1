// `node bench/ocr.ts`: reading text on this machine's CPU with the PP-OCRv4 models, one thread
// and two. A 2048×1536 photo-sized picture with six lines of text (as `shoebox text` reads it),
// and the detector alone at 320 pixels: what a cheap "has text?" check before reading would cost.
import sharp from 'sharp';
import { TextReader } from '../app/main/core/embed/text-reader.ts';
import { median } from './machine.ts';

const RUNS = 10;
const lines = ['INVOICE 4711', 'Café de la Paix', 'Total EUR 23.50', 'Rue de Rivoli 12', 'Thank you', 'Merci'];
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2048" height="1536"><rect width="2048" height="1536" fill="#efece4"/>${lines
  .map((l, i) => `<text x="200" y="${300 + i * 170}" font-family="DejaVu Sans" font-size="96">${l}</text>`)
  .join('')}</svg>`;
const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const rgb = new Uint8Array(data);
const small = await sharp(Buffer.from(svg)).resize(320).removeAlpha().raw().toBuffer({ resolveWithObject: true });

for (const threads of [1, 2]) {
  const reader = await TextReader.open(threads);
  let read: string[] = [];
  const full: number[] = [];
  const gate: number[] = [];
  for (let r = 0; r < RUNS + 1; r++) {
    let t = performance.now();
    read = (await reader.read(rgb, info.width, info.height)).map((l) => l.text);
    if (r > 0) full.push(performance.now() - t);
    t = performance.now();
    await reader.detect(new Uint8Array(small.data), small.info.width, small.info.height, 320);
    if (r > 0) gate.push(performance.now() - t);
  }
  console.log(
    `${threads} thread${threads > 1 ? 's' : ''}: reading a photo with ${read.length} lines ${median(full).toFixed(0)} ms ` +
      `(${(1000 / median(full)).toFixed(1)} photos/s); detector alone at 320 px ${median(gate).toFixed(1)} ms`,
  );
  console.log(`  read: ${read.join(' | ')}`);
  await reader.close();
}
process.exit(0);
