// Pictures for album tests. The test model sees only quadrant mean colours, so photos of one
// colour embed alike (tag albums) and two pictures with the same colours but different layouts
// embed alike too: only their dHash tells them apart, as near-duplicate detection requires.
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import type { Rgb } from '#support/photos.ts';

function lcg(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A colour with per-pixel noise: same tag as the solid colour, a dHash of its own per seed. */
export function noisy(rgb: Rgb, seed: number, width = 120, height = 90): Sharp {
  const rand = lcg(seed);
  const px = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const d = Math.round((rand() - 0.5) * 40);
    for (let c = 0; c < 3; c++) px[i * 3 + c] = Math.max(0, Math.min(255, rgb[c]! + d));
  }
  return sharp(px, { raw: { width, height, channels: 3 } });
}

/**
 * A "scene": a grid of random-brightness blocks around a base colour. Different seeds give the
 * same mean colours (the test model cannot tell them apart) but unrelated dHashes.
 */
export function scene(seed: number, width = 400, height = 300, base: Rgb = [40, 170, 60]): Sharp {
  const rand = lcg(seed);
  const cols = 12;
  const rows = 8;
  const levels = Array.from({ length: cols * rows }, () => Math.round((rand() - 0.5) * 80));
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = levels[Math.floor((y * rows) / height) * cols + Math.floor((x * cols) / width)]!;
      for (let c = 0; c < 3; c++) px[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, base[c]! + d));
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } });
}

/** The same picture stored again smaller and at a lower JPEG quality. */
export async function reencoded(file: string, out: string, scale = 0.5, quality = 60): Promise<void> {
  const meta = await sharp(file).metadata();
  await sharp(file)
    .resize(Math.round(meta.width * scale))
    .jpeg({ quality })
    .toFile(out);
}
