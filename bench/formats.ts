// `node bench/formats.ts [--reps N]`: decode rate of one core for the formats beside JPEG, on
// 12-megapixel photos: HEIC (encoded here by heif-enc, decoded by libheif in WebAssembly on a
// decoder thread) and camera RAW (a DNG whose 12 MP JPEG preview is what decodes, and a 12 MP
// DNG with no preview, whose sensor data LibRaw demosaics), each through decodePhoto as the
// indexer calls it, one photo at a time, against the same photo as a JPEG.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import sharp from 'sharp';
import { decodePhoto } from '../app/main/core/decode/decode-photo.ts';
import { makeDng } from '../tests/support/raw-files.ts';
import { ForeignCpu } from './machine.ts';
import { CLIP_PREPROCESS, PHOTO_HEIGHT, PHOTO_WIDTH, photoPixels } from './photos.ts';
import { CACHE_DIR } from './vit-model.ts';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '8' } } });
const REPS = Number(values.reps);
const dir = path.join(CACHE_DIR, 'formats');

async function inputs(): Promise<Record<'jpeg' | 'heic' | 'dng' | 'dng-sensor', Buffer>> {
  await mkdir(dir, { recursive: true });
  const jpegFile = path.join(dir, 'photo.jpg');
  const heicFile = path.join(dir, 'photo.heic');
  if (!existsSync(jpegFile)) {
    const raw = { width: PHOTO_WIDTH, height: PHOTO_HEIGHT, channels: 3 as const };
    await sharp(photoPixels(0), { raw }).jpeg({ quality: 90 }).toFile(jpegFile);
  }
  if (!existsSync(heicFile)) {
    // x265 takes a minute or so for 12 MP on two cores; cached after the first run.
    await promisify(execFile)('heif-enc', ['-q', '80', '-o', heicFile, jpegFile]);
  }
  const jpeg = await readFile(jpegFile);
  const dng = makeDng({
    preview: { jpeg, width: PHOTO_WIDTH, height: PHOTO_HEIGHT },
    sensor: { width: 400, height: 300 },
  });
  // 16-bit RGGB photosites of a 12 MP sensor, no preview: what LibRaw decodes at half size.
  const sensor = makeDng({ sensor: { width: PHOTO_WIDTH, height: PHOTO_HEIGHT }, scene: [0.6, 0.5, 0.3] });
  return { jpeg, heic: await readFile(heicFile), dng, 'dng-sensor': sensor };
}

const input = await inputs();
const thumbFile = path.join(dir, 'thumb.webp');
console.log(
  `12 MP (${PHOTO_WIDTH}×${PHOTO_HEIGHT}), one photo at a time, ${REPS} decodes after one untimed; ms per photo and photos/s`,
);
for (const [name, bytes] of Object.entries(input)) {
  const once = (): Promise<unknown> =>
    decodePhoto(bytes, {
      preprocess: CLIP_PREPROCESS,
      inputSize: { width: 224, height: 224 },
      thumbFile,
      fileName: `photo.${name.split('-')[0]!}`,
    });
  await once();
  const foreign = new ForeignCpu();
  const t0 = performance.now();
  for (let i = 0; i < REPS; i++) await once();
  const ms = (performance.now() - t0) / REPS;
  console.log(
    `${name.padEnd(10)} ${(bytes.length / 1048576).toFixed(1).padStart(5)} MB  ${ms.toFixed(0).padStart(5)} ms  ${(1000 / ms).toFixed(1).padStart(5)} photos/s  (others' CPU ${foreign.cores()?.toFixed(2) ?? 'unknown'} cores)`,
  );
}
await rm(thumbFile, { force: true });
process.exit(0);
