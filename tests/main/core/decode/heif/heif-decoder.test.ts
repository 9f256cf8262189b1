// HEIC photos as iPhones write them, made here by libheif's own encoder (heif-enc, HEVC through
// x265) and decoded by Shoebox's WebAssembly libheif on a decoder thread through decodePhoto.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto } from '#core/decode/decode-photo.ts';
import type { DecodedPhoto } from '#core/decode/decode-photo.ts';
import { ShoeboxError } from '#core/errors.ts';
import { heicFrom, heicOf, withIrot } from '#support/media-tools.ts';
import { fakeHeic, options, quadrants, solid } from '../images.ts';

let dir = '';
const thumb = (): string => join(dir, `t${Math.random().toString(36).slice(2)}.webp`);
const decode = (input: Buffer): Promise<DecodedPhoto> => decodePhoto(input, options(thumb()));

/** The model input's pixel at (x, y) of its 224 × 224. */
const pixel = (photo: DecodedPhoto, x: number, y: number): number[] => [
  ...photo.rgb.subarray((y * 224 + x) * 3, (y * 224 + x) * 3 + 3),
];

function near(actual: number[], expected: readonly number[], tolerance = 24): void {
  expect(
    actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance),
    `${JSON.stringify(actual)} ≈ ${JSON.stringify(expected)}`,
  ).toBe(true);
}

async function failure(input: Buffer): Promise<string> {
  const err: unknown = await decode(input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ShoeboxError);
  expect((err as ShoeboxError).code).toBe('DECODE_FAILED');
  return (err as ShoeboxError).message;
}

// A JPEG as a phone writes one: taken upright (EXIF orientation 6), with its date, camera and place.
async function phoneJpeg(): Promise<Buffer> {
  return quadrants(160, 120)
    .withExif({
      IFD0: { Make: 'Apple', Model: 'iPhone 15 Pro' },
      IFD2: { DateTimeOriginal: '2023:07:14 10:11:12', OffsetTimeOriginal: '+02:00' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 3012/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 17/1 4032/100',
      },
    })
    .jpeg({ quality: 95 })
    .toBuffer();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoebox-heic-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('HEIC (libheif in WebAssembly)', () => {
  it('decodes a real HEVC HEIC into the model input and a thumbnail', async () => {
    const heic = await heicFrom(await solid(320, 240, [200, 40, 40]).png().toBuffer());
    expect(heic.toString('latin1', 4, 12)).toBe('ftypheic');
    const photo = await decode(heic);
    expect(photo).toMatchObject({ width: 320, height: 240, format: 'heic' });
    near(pixel(photo, 112, 112), [200, 40, 40]);
  });

  it('writes the thumbnail from the one decode', async () => {
    const file = thumb();
    await decodePhoto(await heicFrom(await solid(640, 480, [30, 160, 60]).png().toBuffer()), options(file));
    const meta = await sharp(file).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 480, 360]);
    expect((await stat(file)).size).toBeGreaterThan(0);
  });

  it('reads the date, camera and place from the HEIC EXIF', async () => {
    const photo = await decode(await heicFrom(await phoneJpeg(), { ext: 'jpg' }));
    expect(photo).toMatchObject({
      cameraMake: 'Apple',
      cameraModel: 'iPhone 15 Pro',
      takenAt: Date.UTC(2023, 6, 14, 8, 11, 12),
    });
    expect(photo.gpsLat).toBeCloseTo(48.85837, 4);
    expect(photo.gpsLon).toBeCloseTo(2.29453, 4);
  });

  it('applies the HEIF rotation once, and not the EXIF orientation on top of it', async () => {
    // As an iPhone writes a portrait photo: the pixels stored landscape, irot turning them, and
    // EXIF orientation 6 saying the same thing again for readers that know only EXIF.
    const jpeg = await sharp(await phoneJpeg())
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 95 })
      .toBuffer();
    // The JPEG itself is read upright (EXIF is all it has).
    expect(await decode(jpeg)).toMatchObject({ width: 120, height: 160 });
    const stored = await heicFrom(jpeg, { ext: 'jpg' });
    const flat = await decode(stored);
    expect([flat.width, flat.height]).toEqual([160, 120]);
    // Top-left quadrant of the stored pixels is red; a quarter turn anticlockwise (irot 1) brings
    // the top-right one (green) to the top-left.
    near(pixel(flat, 60, 10), [230, 30, 30]);
    const turned = await decode(withIrot(stored, 1));
    expect([turned.width, turned.height]).toEqual([120, 160]);
    near(pixel(turned, 10, 30), [30, 200, 30]);
  });

  it('brings a 10-bit HEIC to 8 bits', async () => {
    const png16 = await solid(96, 64, [48, 80, 208]).toColourspace('rgb16').png().toBuffer();
    const heic = await heicFrom(png16, { bitDepth: 10 });
    const photo = await decode(heic);
    expect(photo).toMatchObject({ width: 96, height: 64, format: 'heic' });
    near(pixel(photo, 112, 112), [48, 80, 208]);
  });

  it('gives the primary image of a file that holds several', async () => {
    const red = await solid(200, 150, [220, 30, 30]).png().toBuffer();
    const blue = await solid(100, 80, [30, 30, 220]).png().toBuffer();
    const photo = await decode(await heicOf([red, blue]));
    expect(photo).toMatchObject({ width: 200, height: 150 });
    near(pixel(photo, 112, 112), [220, 30, 30]);
  });

  it('fails an empty, a truncated or a fake HEIC with a reason, and refuses an oversized one from its header', async () => {
    const heic = await heicFrom(await quadrants(400, 300).png().toBuffer());
    expect(await failure(Buffer.alloc(0))).toBe('empty file');
    expect(await failure(heic.subarray(0, heic.length - 200))).toMatch(/^corrupt or truncated HEIC image: /);
    expect(await failure(fakeHeic(640, 480))).toMatch(/^corrupt or truncated HEIC image: /);
    const t0 = performance.now();
    expect(await failure(fakeHeic(30_000, 20_000))).toBe(
      'image too large: 30000×20000 (600 MP) exceeds the 200 MP limit',
    );
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
