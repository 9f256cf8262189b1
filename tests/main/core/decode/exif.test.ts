import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto } from '#core/decode/decode-photo.ts';
import { options, solid, tensorOf } from './images.ts';

let dir = '';
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoebox-exif-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const decode = (buf: Buffer) => decodePhoto(buf, options(join(dir, `t${n++}.webp`)));

// libvips names the EXIF IFDs IFD0 (main), IFD2 (Exif sub-IFD) and IFD3 (GPS); GPS rationals
// are written as "num/den" triples.
const CAMERA = { Make: 'Acme', Model: 'Shoebox One' };
const SYDNEY = {
  GPSLatitudeRef: 'S',
  GPSLatitude: '33/1 52/1 0/1',
  GPSLongitudeRef: 'E',
  GPSLongitude: '151/1 12/1 36/1',
};
const withExif = (img: Sharp, ifd2: Record<string, string>, ifd3: Record<string, string> = {}): Sharp =>
  img.withExif({ IFD0: CAMERA, IFD2: ifd2, IFD3: ifd3 });

describe('decodePhoto: EXIF', () => {
  it('reads capture time, camera and GPS from a JPEG', async () => {
    const jpeg = await withExif(
      solid(64, 48, [9, 9, 9]).jpeg(),
      { DateTimeOriginal: '2021:06:15 10:30:00' },
      SYDNEY,
    ).toBuffer();
    const photo = await decode(jpeg);
    // No UTC offset was written, so the wall time is taken as local time (what exifr does too).
    expect(photo.takenAt).toBe(new Date(2021, 5, 15, 10, 30, 0).getTime());
    expect(photo).toMatchObject({ cameraMake: 'Acme', cameraModel: 'Shoebox One' });
    expect(photo.gpsLat).toBeCloseTo(-(33 + 52 / 60), 6);
    expect(photo.gpsLon).toBeCloseTo(151 + 12 / 60 + 36 / 3600, 6);
  });

  it('applies OffsetTimeOriginal when the camera wrote one', async () => {
    const jpeg = await withExif(solid(16, 16, [9, 9, 9]).jpeg(), {
      DateTimeOriginal: '2021:06:15 10:30:00',
      OffsetTimeOriginal: '+02:00',
    }).toBuffer();
    expect((await decode(jpeg)).takenAt).toBe(Date.UTC(2021, 5, 15, 8, 30, 0));
  });

  it('falls back to CreateDate (DateTimeDigitized) without DateTimeOriginal', async () => {
    const jpeg = await withExif(solid(16, 16, [9, 9, 9]).jpeg(), {
      DateTimeDigitized: '2019:01:02 03:04:05',
    }).toBuffer();
    expect((await decode(jpeg)).takenAt).toBe(new Date(2019, 0, 2, 3, 4, 5).getTime());
  });

  it('reads EXIF from PNG, WebP and AVIF too', async () => {
    for (const img of [
      solid(16, 16, [9, 9, 9]).png(),
      solid(16, 16, [9, 9, 9]).webp(),
      solid(16, 16, [9, 9, 9]).avif(),
    ]) {
      const photo = await decode(await withExif(img, { DateTimeOriginal: '2020:01:02 03:04:05' }, SYDNEY).toBuffer());
      expect(photo.takenAt).toBe(new Date(2020, 0, 2, 3, 4, 5).getTime());
      expect(photo.cameraModel).toBe('Shoebox One');
      expect(photo.gpsLat).toBeCloseTo(-33.8667, 3);
    }
  });

  it('gives nulls for a photo without EXIF', async () => {
    const photo = await decode(await solid(16, 16, [9, 9, 9]).png().toBuffer());
    expect(photo).toMatchObject({ takenAt: null, cameraMake: null, cameraModel: null, gpsLat: null, gpsLon: null });
  });

  it('rejects an unset camera clock and a 0,0 GPS fix, and never fails the photo over EXIF', async () => {
    const jpeg = await solid(16, 16, [9, 9, 9])
      .jpeg()
      .withExif({
        IFD0: { Make: '   ' },
        IFD2: { DateTimeOriginal: '0000:00:00 00:00:00' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '0/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '0/1 0/1 0/1' },
      })
      .toBuffer();
    const photo = await decode(jpeg);
    expect(photo).toMatchObject({ takenAt: null, cameraMake: null, gpsLat: null, gpsLon: null });
    expect(tensorOf(photo).length).toBe(3 * 224 * 224);
  });

  it('survives a garbled EXIF block', async () => {
    const jpeg = Buffer.from(
      await withExif(solid(16, 16, [9, 9, 9]).jpeg(), { DateTimeOriginal: '2021:06:15 10:30:00' }).toBuffer(),
    );
    const tiff = jpeg.indexOf('Exif\0\0', 0, 'latin1') + 6;
    // Point IFD0 far outside the segment.
    jpeg.writeUInt32LE(0x7fff_fff0, tiff + 4);
    const photo = await decode(jpeg);
    expect(photo).toMatchObject({ width: 16, height: 16, takenAt: null, cameraMake: null });
  });
});
