// One man's face from twelve different photos, and 33 other people's: tiles of the face-match
// screenshot the npm package @vladmandic/human carries (a dev dependency; nothing is copied into
// this repo). The screenshot is a grid of 18 tiles a row, each about 106 pixels square with a face
// about 70 wide, ranked by likeness to the first; his are in the first row. Which tiles are his was
// decided by eye, leaving out any not certain; the others are 6 men and 27 women plainly not him.
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type { Sharp } from 'sharp';

const SCREENSHOT = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@vladmandic/human')),
  '..',
  'assets',
  'screenshot-facematch.jpg',
);

/** The top edge of each row of tiles, in the 1920-pixel screenshot. */
const ROWS = [283, 395, 508, 620, 732, 845];
const PER_ROW = 18;
const TILE = { width: 106, height: 107 };
/** How much of a tile's width the face takes. */
const FACE_IN_TILE = 0.66;

/** Tiles by their place in the grid (row by row). */
export const HIS_TILES: readonly number[] = [0, 1, 2, 3, 4, 7, 8, 10, 13, 15, 16, 17];
export const OTHER_TILES: readonly number[] = [
  22, 23, 41, 42, 51, 57, 24, 25, 26, 28, 29, 30, 31, 34, 35, 37, 38, 39, 44, 45, 46, 47, 48, 50, 53, 54, 55, 56, 58,
  59, 60, 61, 62,
];

/**
 * Tile `i` framed in a 4:3 picture `width` pixels wide (a plain background around it), scaled so
 * the face takes `share` of that width: a photo with its subject at that distance, as its
 * thumbnail shows it. Nothing is enlarged past the tile's own pixels as long as the face stays
 * under 70 pixels wide.
 */
export async function framedTile(i: number, share: number, width: number): Promise<Sharp> {
  const tile = await sharp(SCREENSHOT)
    .extract({
      left: Math.round((i % PER_ROW) * (1920 / PER_ROW)),
      top: ROWS[Math.floor(i / PER_ROW)]!,
      ...TILE,
    })
    .toBuffer();
  const height = Math.round(width * 0.75);
  const side = Math.round((share * width) / FACE_IN_TILE);
  const face = await sharp(tile).resize(side, side, { kernel: 'lanczos3' }).toBuffer();
  const framed = await sharp({ create: { width, height, channels: 3, background: { r: 110, g: 120, b: 100 } } })
    .composite([{ input: face, left: Math.round(width / 2 - side / 2), top: Math.round(height / 3 - side / 2) }])
    .removeAlpha()
    .raw()
    .toBuffer();
  return sharp(framed, { raw: { width, height, channels: 3 } });
}
