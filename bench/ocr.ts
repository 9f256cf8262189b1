// `node bench/ocr.ts`: reading text on this machine's CPU with the PP-OCRv4 models, one thread
// and two. A 2048×1536 photo-sized picture with six lines of text (as `shoebox text` reads it),
// and the detector alone at 320 pixels. Then the indexing stage's work on a folder of 50
// 12-megapixel JPEGs where one in ten holds text: the check on each thumbnail (flat pictures
// skipped, else the detector at 256 pixels), and the ones that pass decoded at 2048 and read.
import sharp from 'sharp';
import { decodeForReading } from '../app/main/core/decode/decode-photo.ts';
import { TextReader } from '../app/main/core/embed/text-reader.ts';
import { CHECK_EDGE, READ_EDGE } from '../app/main/core/index/text-stage.ts';
import { isFlat } from '../app/main/core/index/thumbs.ts';
import { median } from './machine.ts';
import { uniform01 } from './random.ts';

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

// The stage over a folder: 45 scenes (blocks of random brightness, as busy as a photo) and 5 with text.
const rand = uniform01(0x0c7);
const folder: Buffer[] = [];
for (let i = 0; i < 50; i++) {
  const blocks = Array.from({ length: 48 }, (_, k) => {
    const v = Math.floor(60 + rand() * 140);
    return `<rect x="${(k % 8) * 500}" y="${Math.floor(k / 8) * 500}" width="500" height="500" fill="rgb(${v},${Math.floor(v * 0.9)},${Math.floor(v * 0.7)})"/>`;
  }).join('');
  const text =
    i % 10 === 0
      ? `<rect x="600" y="1000" width="2800" height="900" fill="#f4f1ea"/><text x="700" y="1400" font-family="DejaVu Sans" font-size="220">INVOICE ${4700 + i}</text>`
      : '';
  folder.push(
    await sharp(
      Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="3000">${blocks}${text}</svg>`),
    )
      .jpeg({ quality: 90 })
      .toBuffer(),
  );
}
const thumbs = await Promise.all(folder.map((f) => sharp(f).resize(320, 320, { fit: 'inside' }).webp().toBuffer()));
const reader = await TextReader.open(2);
let passed = 0;
let checkMs = 0;
let readMs = 0;
const found: string[] = [];
for (const [i, file] of folder.entries()) {
  let t = performance.now();
  const { data, info } = await sharp(thumbs[i])
    .resize(CHECK_EDGE, CHECK_EDGE, { fit: 'inside' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgb = new Uint8Array(data);
  const hasText =
    !isFlat(rgb, info.width, info.height) && (await reader.detect(rgb, info.width, info.height)).length > 0;
  checkMs += performance.now() - t;
  if (!hasText) continue;
  passed++;
  t = performance.now();
  const image = await decodeForReading(file, { maxEdge: READ_EDGE });
  found.push(...(await reader.read(image.rgb, image.width, image.height)).map((l) => l.text));
  readMs += performance.now() - t;
}
const perPhoto = (checkMs + readMs) / folder.length;
console.log(
  `text stage over 50 photos, 5 with text: ${passed} passed the check; check ${(checkMs / folder.length).toFixed(1)} ms a photo, ` +
    `reading ${(readMs / Math.max(1, passed)).toFixed(0)} ms a photo that passed; ${perPhoto.toFixed(1)} ms a photo in all (2 threads)`,
);
console.log(`  read: ${found.join(' | ')}`);
await reader.close();
process.exit(0);
