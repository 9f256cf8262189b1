// 12-megapixel camera-like JPEGs for the benchmark, generated once and cached: smooth
// gradients for the scene, interpolated value noise for texture and fine noise for grain,
// which lands at the 3-5 MB a phone or compact camera writes for 4000×3000.
import { copyFile, link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { CACHE_DIR } from './vit-model.ts';
import { uniform01 } from './random.ts';

export const PHOTO_WIDTH = 4000;
export const PHOTO_HEIGHT = 3000;
const PHOTOS_VERSION = 'photos-12mp-v1';
const TEXTURE_CELL = 6;

/** A coarse random grid, bilinearly sampled: texture with detail at every JPEG block scale. */
function valueNoise(rand: () => number, w: number, h: number, cell: number): (x: number, y: number) => number {
  const gw = Math.ceil(w / cell) + 2;
  const grid = Float32Array.from({ length: gw * (Math.ceil(h / cell) + 2) }, () => rand() * 2 - 1);
  return (x, y) => {
    const gx = x / cell;
    const gy = y / cell;
    const ix = Math.floor(gx);
    const iy = Math.floor(gy);
    const fx = gx - ix;
    const fy = gy - iy;
    const i = iy * gw + ix;
    const top = grid[i]! + (grid[i + 1]! - grid[i]!) * fx;
    const bottom = grid[i + gw]! + (grid[i + gw + 1]! - grid[i + gw]!) * fx;
    return top + (bottom - top) * fy;
  };
}

/** Raw RGB pixels of photo `index`: distinct per index, so every file has its own content hash. */
export function photoPixels(index: number, width = PHOTO_WIDTH, height = PHOTO_HEIGHT): Buffer {
  const rand = uniform01(0x9e3779b9 ^ Math.imul(index + 1, 0x85ebca6b));
  const corner = (): number[] => [rand() * 255, rand() * 255, rand() * 255];
  const [c00, c10, c01, c11] = [corner(), corner(), corner(), corner()];
  const texture = valueNoise(rand, width, height, TEXTURE_CELL);
  const waveX = ((1 + rand() * 4) * Math.PI * 2) / width;
  const waveY = ((1 + rand() * 3) * Math.PI * 2) / height;
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const v = y / (height - 1);
    for (let x = 0; x < width; x++) {
      const u = x / (width - 1);
      const shade = 30 * Math.sin(x * waveX) * Math.cos(y * waveY) + 22 * texture(x, y);
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const base = (c00[c]! * (1 - u) + c10[c]! * u) * (1 - v) + (c01[c]! * (1 - u) + c11[c]! * u) * v;
        px[o + c] = base + shade + (rand() - 0.5) * 24;
      }
    }
  }
  return px;
}

async function writePhoto(file: string, index: number): Promise<void> {
  const date = new Date(Date.UTC(2024, 0, 1) + index * 3_600_000)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ')
    .replace(/-/g, ':');
  await sharp(photoPixels(index), { raw: { width: PHOTO_WIDTH, height: PHOTO_HEIGHT, channels: 3 } })
    // Camera-like settings: 4:2:0, high quality, with the EXIF fields the indexer reads.
    .jpeg({ quality: 92, chromaSubsampling: '4:2:0' })
    .withExif({ IFD0: { Make: 'Shoebox', Model: 'Bench 12MP' }, IFD2: { DateTimeOriginal: date } })
    .toFile(file);
}

const photoName = (i: number): string => `IMG_${String(i).padStart(4, '0')}.jpg`;

/**
 * The folder of cached photos, holding at least `count`; missing ones are generated. `shard`
 * makes this process write only every `of`-th photo, so several processes can share the work.
 */
export async function ensurePhotos(
  count: number,
  onProgress?: (done: number) => void,
  shard = { index: 0, of: 1 },
): Promise<string> {
  const dir = path.join(CACHE_DIR, PHOTOS_VERSION);
  await mkdir(dir, { recursive: true });
  const have = new Set(await readdir(dir));
  for (let i = shard.index; i < count; i += shard.of) {
    const name = photoName(i);
    if (have.has(name)) continue;
    // Written under a temporary name and renamed, so a killed run leaves no truncated photo.
    const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
    await writePhoto(tmp, i);
    await rename(tmp, path.join(dir, name));
    onProgress?.(i + 1);
  }
  return dir;
}

/** How many of the first `count` photos are not generated yet. */
export async function missingPhotos(count: number): Promise<number> {
  const have = new Set(await readdir(path.join(CACHE_DIR, PHOTOS_VERSION)).catch(() => []));
  let missing = 0;
  for (let i = 0; i < count; i++) if (!have.has(photoName(i))) missing++;
  return missing;
}

export function photoFiles(dir: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => path.join(dir, photoName(i)));
}

/**
 * A fresh folder of `count` cached photos, hard-linked (a copy across filesystems): plain files
 * inside the root, since the scanner skips symlinks that lead out of a library root.
 */
export async function linkPhotos(photosDir: string, count: number, rootDir: string): Promise<string> {
  await rm(rootDir, { recursive: true, force: true });
  await mkdir(rootDir, { recursive: true });
  for (const [i, file] of photoFiles(photosDir, count).entries()) {
    const target = path.join(rootDir, photoName(i));
    await link(file, target).catch(() => copyFile(file, target));
  }
  return rootDir;
}

export async function totalBytes(files: readonly string[]): Promise<number> {
  let sum = 0;
  for (const f of files) sum += (await stat(f)).size;
  return sum;
}

/** OpenAI CLIP's preprocessing (preprocessor_config.json of clip-vit-base-patch32), for decode benches. */
export const CLIP_PREPROCESS = {
  resize: { mode: 'shortest_edge' as const, shortestEdge: 224 },
  crop: { width: 224, height: 224 },
  resample: 'cubic' as const,
  rescaleFactor: 1 / 255,
  mean: [0.48145466, 0.4578275, 0.40821073] as [number, number, number],
  std: [0.26862954, 0.26130258, 0.27577711] as [number, number, number],
};
