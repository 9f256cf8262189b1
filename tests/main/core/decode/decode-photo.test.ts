import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto, DEFAULT_THUMB_SIZE } from '#core/decode/decode-photo.ts';
import type { PreprocessSpec } from '#core/model/model-folder.ts';
import {
  bands,
  INPUT,
  maxAbsDiff,
  norm,
  options,
  photoLike,
  PLANE,
  planeMean,
  quadrants,
  solid,
  tensorOf,
} from './images.ts';

let dir = '';
let n = 0;
const thumb = (): string => join(dir, 'thumbs', `t${n++}.webp`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoebox-decode-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every sample of every channel equals the expected normalised value. */
function expectSolid(pixels: Float32Array, rgb: readonly [number, number, number], tol = 1e-3): void {
  expect(pixels.length).toBe(3 * PLANE);
  for (const c of [0, 1, 2] as const) {
    const want = norm(rgb[c], c);
    let worst = 0;
    for (let i = c * PLANE; i < (c + 1) * PLANE; i++) worst = Math.max(worst, Math.abs(pixels[i]! - want));
    expect(worst, `channel ${c}`).toBeLessThan(tol);
  }
}

describe('decodePhoto: tensor values', () => {
  it('gives exactly the normalised colour of a solid red PNG', async () => {
    const photo = await decodePhoto(await solid(64, 48, [255, 0, 0]).png().toBuffer(), options(thumb()));
    expect(tensorOf(photo)[0]).toBeCloseTo((1 - 0.48145466) / 0.26862954, 3);
    expectSolid(tensorOf(photo), [255, 0, 0]);
    expect(photo).toMatchObject({ width: 64, height: 48, format: 'png' });
  });

  it('gives exactly the normalised colour of a solid grey JPEG', async () => {
    const photo = await decodePhoto(await solid(300, 200, [128, 128, 128]).jpeg().toBuffer(), options(thumb()));
    expectSolid(tensorOf(photo), [128, 128, 128]);
    expect(photo.format).toBe('jpeg');
  });

  it('resizes the shortest edge and centre-crops a landscape photo to its middle', async () => {
    // 200×100 → 448×224, crop columns 112..335 → source x ≈ 50..150, inside the green band.
    const img = bands(100, [
      [40, [255, 0, 0]],
      [120, [0, 255, 0]],
      [40, [0, 0, 255]],
    ]);
    const photo = await decodePhoto(await img.png().toBuffer(), options(thumb()));
    expect(photo).toMatchObject({ width: 200, height: 100 });
    expectSolid(tensorOf(photo), [0, 255, 0]);
  });

  it('centre-crops a portrait photo vertically', async () => {
    const img = bands(100, [
      [40, [255, 0, 0]],
      [120, [0, 255, 0]],
      [40, [0, 0, 255]],
    ]);
    const portrait = await sharp(await img.png().toBuffer())
      .rotate(90)
      .png()
      .toBuffer();
    const photo = await decodePhoto(portrait, options(thumb()));
    expect(photo).toMatchObject({ width: 100, height: 200 });
    expectSolid(tensorOf(photo), [0, 255, 0]);
  });

  it('squashes to an exact size when the config asks for one (no crop)', async () => {
    const img = bands(100, [
      [40, [255, 0, 0]],
      [120, [0, 255, 0]],
      [40, [0, 0, 255]],
    ]);
    const preprocess: PreprocessSpec = {
      resize: { mode: 'exact', width: 224, height: 224 },
      crop: null,
      resample: 'cubic',
      rescaleFactor: 1 / 255,
      mean: null,
      std: null,
    };
    const photo = await decodePhoto(await img.png().toBuffer(), options(thumb(), { preprocess }));
    // Squashed, not cropped: the first column is red and the last is blue.
    expect(tensorOf(photo, preprocess)[0]).toBeCloseTo(1, 2);
    expect(tensorOf(photo, preprocess)[2 * PLANE + INPUT.width - 1]).toBeCloseTo(1, 2);
  });

  it('converts colour-managed (Display P3) pixels to sRGB', async () => {
    const p3 = await solid(32, 32, [200, 100, 100]).withIccProfile('p3').png().toBuffer();
    const photo = await decodePhoto(p3, options(thumb()));
    expectSolid(tensorOf(photo), [200, 100, 100], 2.5 / 255 / 0.26);
  });
});

describe('decodePhoto: EXIF orientation', () => {
  const cases = [
    [6, 90],
    [3, 180],
    [8, 270],
  ] as const;
  it.each(cases)('orientation %i matches the photo physically rotated %i°', async (orientation, angle) => {
    const plain = await quadrants(60, 40).jpeg({ quality: 95 }).toBuffer();
    const tagged = await quadrants(60, 40).jpeg({ quality: 95 }).withMetadata({ orientation }).toBuffer();
    const rotated = await sharp(plain).rotate(angle).png().toBuffer();
    const photo = await decodePhoto(tagged, options(thumb()));
    const reference = await decodePhoto(rotated, options(thumb()));
    const swapped = angle !== 180;
    expect(photo).toMatchObject(swapped ? { width: 40, height: 60 } : { width: 60, height: 40 });
    expect(maxAbsDiff(tensorOf(photo), tensorOf(reference))).toBeLessThan(1e-3);
    // The comparison is sensitive: ignoring the tag gives a very different tensor.
    const ignored = await decodePhoto(plain, options(thumb()));
    expect(maxAbsDiff(tensorOf(photo), tensorOf(ignored))).toBeGreaterThan(1);
  });
});

describe('decodePhoto: formats', () => {
  const colour = [200, 60, 40] as const;
  const base = (): Sharp => solid(64, 48, colour);
  const formats: [string, () => Promise<Buffer>, string, readonly [number, number, number], number][] = [
    ['JPEG', () => base().jpeg().toBuffer(), 'jpeg', colour, 4],
    ['progressive JPEG', () => base().jpeg({ progressive: true }).toBuffer(), 'jpeg', colour, 4],
    ['CMYK JPEG', () => base().toColourspace('cmyk').jpeg().toBuffer(), 'jpeg', colour, 30],
    ['greyscale PNG', () => solid(64, 48, [90, 90, 90]).toColourspace('b-w').png().toBuffer(), 'png', [90, 90, 90], 1],
    [
      'PNG with alpha (transparent → white)',
      () => solid(64, 48, [255, 0, 0], 0).png().toBuffer(),
      'png',
      [255, 255, 255],
      1,
    ],
    ['PNG with half alpha', () => solid(64, 48, [255, 0, 0], 0.5).png().toBuffer(), 'png', [255, 128, 128], 2],
    ['16-bit PNG', () => base().toColourspace('rgb16').png().toBuffer(), 'png', colour, 1],
    ['palette PNG', () => base().png({ palette: true }).toBuffer(), 'png', colour, 1],
    ['WebP', () => base().webp({ quality: 95 }).toBuffer(), 'webp', colour, 6],
    ['TIFF', () => base().tiff().toBuffer(), 'tiff', colour, 4],
    ['GIF', () => base().gif().toBuffer(), 'gif', colour, 8],
    ['AVIF', () => base().avif({ quality: 90 }).toBuffer(), 'avif', colour, 8],
  ];
  it.each(formats)('%s decodes to the right shape and colour', async (_name, make, format, rgb, tol) => {
    const photo = await decodePhoto(await make(), options(thumb()));
    expect(photo.format).toBe(format);
    expect(tensorOf(photo).length).toBe(3 * INPUT.width * INPUT.height);
    expect(tensorOf(photo).every(Number.isFinite)).toBe(true);
    for (const c of [0, 1, 2] as const) {
      expect(Math.abs(planeMean(tensorOf(photo), c) - norm(rgb[c], c)), `channel ${c}`).toBeLessThan(tol / 255 / 0.26);
    }
  });

  it('decodes a 1×1 image', async () => {
    const photo = await decodePhoto(await solid(1, 1, [0, 0, 255]).png().toBuffer(), options(thumb()));
    expect(photo).toMatchObject({ width: 1, height: 1 });
    expectSolid(tensorOf(photo), [0, 0, 255]);
  });

  it('decodes a 10000×100 panorama', async () => {
    const pano = await solid(10_000, 100, [10, 120, 230]).png().toBuffer();
    const photo = await decodePhoto(pano, options(thumb()));
    expect(photo).toMatchObject({ width: 10_000, height: 100 });
    expectSolid(tensorOf(photo), [10, 120, 230]);
  });
});

describe('decodePhoto: thumbnail', () => {
  it('writes a WebP no longer than DEFAULT_THUMB_SIZE (480 px) into a folder it creates, atomically', async () => {
    const file = join(dir, 'nested', 'deeper', 'a.webp');
    await decodePhoto(await photoLike(1200, 800).jpeg().toBuffer(), options(file));
    const meta = await sharp(file).metadata();
    expect(DEFAULT_THUMB_SIZE).toBe(480);
    expect(meta).toMatchObject({ format: 'webp', width: 480, height: 320 });
    expect(await readdir(join(dir, 'nested', 'deeper'))).toEqual(['a.webp']);
  });

  it('honours thumbSize and never enlarges a small photo', async () => {
    const big = join(dir, 'sized.webp');
    await decodePhoto(await photoLike(300, 600).png().toBuffer(), options(big, { thumbSize: 128 }));
    expect(await sharp(big).metadata()).toMatchObject({ width: 64, height: 128 });
    const small = join(dir, 'small.webp');
    await decodePhoto(await solid(40, 30, [1, 2, 3]).png().toBuffer(), options(small));
    expect(await sharp(small).metadata()).toMatchObject({ width: 40, height: 30 });
  });

  it.each([
    [6000, 4000],
    [4000, 3000],
  ])('decodes a %i×%i camera-sized JPEG quickly', async (width, height) => {
    const jpeg = await photoLike(width, height).jpeg({ quality: 92 }).toBuffer();
    const file = join(dir, `camera-${width}.webp`);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const photo = await decodePhoto(jpeg, options(file));
      times.push(performance.now() - t0);
      expect(photo).toMatchObject({ width, height });
    }
    const fullDecode = performance.now();
    await sharp(jpeg).raw().toBuffer();
    const fullMs = performance.now() - fullDecode;
    console.log(
      `${width}×${height} JPEG (${(jpeg.length / 1e6).toFixed(1)} MB): decodePhoto ${times.map((t) => t.toFixed(0)).join('/')} ms; plain full-size decode ${fullMs.toFixed(0)} ms`,
    );
    const meta = await sharp(file).metadata();
    expect(Math.max(meta.width, meta.height)).toBe(DEFAULT_THUMB_SIZE);
  });
});
