// Photo files for tests, generated with real sharp: solid colours, split images, EXIF-rotated
// copies, files with capture dates or chosen modification times, broken files and big batches.
import { randomBytes } from 'node:crypto';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Sharp } from 'sharp';

export type Rgb = readonly [number, number, number];

export interface WriteOptions {
  /** Written as EXIF DateTimeOriginal (local wall time, as cameras write it). */
  takenAt?: Date;
  /** Set as both access and modification time once the file is written. */
  mtime?: Date;
}

/** A solid image of one colour. */
export function solid(rgb: Rgb, width = 96, height = 64): Sharp {
  const [r, g, b] = rgb;
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } });
}

/** Left half one colour, right half another: any rotation or mirror changes what a model sees. */
export function halves(left: Rgb, right: Rgb, width = 120, height = 80): Sharp {
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) px.set(x < width / 2 ? left : right, (y * width + x) * 3);
  }
  return sharp(px, { raw: { width, height, channels: 3 } });
}

/** EXIF's "YYYY:MM:DD HH:MM:SS" for a local wall time. */
export function exifDate(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}:${p(d.getMonth() + 1)}:${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Encodes as the file's extension says (jpg/jpeg, png, webp). */
function encode(image: Sharp, file: string): Sharp {
  const ext = path.extname(file).slice(1).toLowerCase();
  switch (ext) {
    case 'jpg':
    case 'jpeg':
      // 4:4:4 keeps colour edges where they are, so split images embed like their source.
      return image.jpeg({ quality: 95, chromaSubsampling: '4:4:4' });
    case 'png':
      return image.png();
    case 'webp':
      return image.webp({ lossless: true });
    default:
      throw new Error(`writePhoto: no encoder for .${ext} (${file})`);
  }
}

/** Writes `image` to `file` (creating its folder), with optional EXIF date and mtime. */
export async function writePhoto(file: string, image: Sharp, opts: WriteOptions = {}): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  let out = encode(image, file);
  if (opts.takenAt) out = out.withExif({ IFD2: { DateTimeOriginal: exifDate(opts.takenAt) } });
  await out.toFile(file);
  if (opts.mtime) await setMtime(file, opts.mtime);
  return file;
}

export async function setMtime(file: string, mtime: Date): Promise<void> {
  await utimes(file, mtime, mtime);
}

/**
 * The same picture stored sideways: the pixels rotated 90° counter-clockwise, with EXIF
 * orientation 6 ("rotate 90° clockwise to display"). Only a decoder that applies the
 * orientation sees `image`; one that ignores it sees the picture on its side.
 */
export async function writeExifRotated(file: string, image: Sharp): Promise<string> {
  const upright = await image.png().toBuffer();
  await mkdir(path.dirname(file), { recursive: true });
  await encode(sharp(upright).rotate(-90), file).withMetadata({ orientation: 6 }).toFile(file);
  return file;
}

/** The picture turned upside down in its pixels, with no EXIF orientation. */
export async function writeRotated180(file: string, image: Sharp): Promise<string> {
  const upright = await image.png().toBuffer();
  return writePhoto(file, sharp(upright).rotate(180));
}

/**
 * Random bytes under a photo's name: no decoder can read it. A fixed text prefix keeps the
 * random part from starting with some format's magic number by chance.
 */
export async function writeBroken(file: string, bytes = 4096): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Buffer.concat([Buffer.from('this is not a photo\n'), randomBytes(bytes)]));
  return file;
}

/** A colour unique to `i` for i < 512, so every generated file has distinct content. */
export function distinctColour(i: number): Rgb {
  if (!Number.isInteger(i) || i < 0 || i >= 512) throw new Error(`distinctColour: ${i} is out of range 0..511`);
  return [30 + (i % 8) * 28, 30 + (Math.floor(i / 8) % 8) * 28, 30 + Math.floor(i / 64) * 28];
}

/** `count` solid PNGs of distinct colours, `size`×`size`, named p000.png… in `dir`. */
export async function writeManyPhotos(dir: string, count: number, size = 64): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, i) => path.join(dir, `p${String(i).padStart(3, '0')}.png`));
  // sharp queues on libuv's thread pool itself; a few at a time keeps memory flat.
  const inFlight = 8;
  for (let start = 0; start < files.length; start += inFlight) {
    await Promise.all(
      files.slice(start, start + inFlight).map((f, k) =>
        solid(distinctColour(start + k), size, size)
          .png()
          .toFile(f),
      ),
    );
  }
  return files;
}

/** EXIF GPS tags (sharp's withExif IFD3) for a position in degrees, as cameras write them. */
export function gpsExif(lat: number, lon: number): Record<string, string> {
  const dms = (deg: number): string => {
    const a = Math.abs(deg);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    return `${d}/1 ${m}/1 ${Math.round(((a - d) * 60 - m) * 6000)}/100`;
  };
  return {
    GPSLatitudeRef: lat >= 0 ? 'N' : 'S',
    GPSLatitude: dms(lat),
    GPSLongitudeRef: lon >= 0 ? 'E' : 'W',
    GPSLongitude: dms(lon),
  };
}
