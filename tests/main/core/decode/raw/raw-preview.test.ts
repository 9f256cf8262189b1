// Camera RAW files through decodePhoto: a DNG laid out as cameras write one (LibRaw's own tool
// reads it), a Fujifilm RAF, a DNG of sensor data only (demosaiced by LibRaw), and the files that
// must be refused with a reason.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto } from '#core/decode/decode-photo.ts';
import type { DecodedPhoto } from '#core/decode/decode-photo.ts';
import { ShoeboxError } from '#core/errors.ts';
import { librawIdentify, makeDng } from '#support/raw-files.ts';
import { options, quadrants } from '../images.ts';

let dir = '';
const thumb = (): string => join(dir, `t${Math.random().toString(36).slice(2)}.webp`);
const decode = (input: Buffer, fileName?: string): Promise<DecodedPhoto> =>
  decodePhoto(input, options(thumb(), { fileName }));
const pixel = (photo: DecodedPhoto, x: number, y: number): number[] => [
  ...photo.rgb.subarray((y * 224 + x) * 3, (y * 224 + x) * 3 + 3),
];
const near = (actual: number[], expected: readonly number[]): void => {
  expect(
    actual.every((v, i) => Math.abs(v - expected[i]!) <= 20),
    `${JSON.stringify(actual)} ≈ ${JSON.stringify(expected)}`,
  ).toBe(true);
};

const RED = [230, 30, 30] as const;
const GREEN = [30, 200, 30] as const;
const BLUE = [30, 30, 220] as const;
const YELLOW = [240, 220, 40] as const;

async function preview(width: number, height: number): Promise<{ jpeg: Buffer; width: number; height: number }> {
  return { jpeg: await quadrants(width, height).jpeg({ quality: 95 }).toBuffer(), width, height };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoebox-raw-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('camera RAW through its embedded preview', () => {
  it('reads a DNG that LibRaw itself reads: the preview, the camera and the date', async () => {
    const dng = makeDng({
      preview: await preview(160, 120),
      make: 'Leica Camera AG',
      model: 'M11',
      takenAt: '2022:08:01 18:30:00',
    });
    const file = join(dir, 'L1000001.DNG');
    await writeFile(file, dng);
    const libraw = await librawIdentify(file);
    expect(libraw).toMatch(/DNG Version: 1\.4\.0\.0/);
    expect(libraw).toMatch(/Camera: Leica .*M11/);
    const photo = await decode(dng, file);
    expect(photo).toMatchObject({
      width: 160,
      height: 120,
      format: 'dng',
      cameraMake: 'Leica Camera AG',
      cameraModel: 'M11',
    });
    expect(photo.takenAt).toBe(new Date(2022, 7, 1, 18, 30, 0).getTime());
    near(pixel(photo, 10, 10), RED);
    near(pixel(photo, 213, 213), YELLOW);
  });

  it("turns the preview by the RAW's own orientation", async () => {
    const quarter = await decode(makeDng({ preview: await preview(160, 120), orientation: 6 }));
    expect([quarter.width, quarter.height]).toEqual([120, 160]);
    // 90° clockwise: the bottom-left quadrant (blue) comes to the top-left.
    near(pixel(quarter, 10, 10), BLUE);
    near(pixel(quarter, 213, 10), RED);
    const half = await decode(makeDng({ preview: await preview(160, 120), orientation: 3 }));
    near(pixel(half, 10, 10), YELLOW);
    const mirrored = await decode(makeDng({ preview: await preview(160, 120), orientation: 5 }));
    // Transposed: rows become columns, so the top-right quadrant (green) goes to the bottom-left.
    expect([mirrored.width, mirrored.height]).toEqual([120, 160]);
    near(pixel(mirrored, 10, 10), RED);
    near(pixel(mirrored, 10, 213), GREEN);
  });

  it('takes the largest JPEG a RAF embeds, with the EXIF the preview carries', async () => {
    const jpeg = await quadrants(200, 150)
      .withExif({ IFD0: { Make: 'FUJIFILM', Model: 'X-T5' }, IFD2: { DateTimeOriginal: '2024:02:03 04:05:06' } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const tiny = await quadrants(40, 30).jpeg().toBuffer();
    // RAF: a text header, then (big-endian) where the JPEG is and how long, and the sensor data after.
    const header = Buffer.alloc(160);
    header.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1');
    header.writeUInt32BE(header.length + tiny.length, 84);
    header.writeUInt32BE(jpeg.length, 88);
    const raf = Buffer.concat([header, tiny, jpeg, Buffer.alloc(4096, 0x5a)]);
    const photo = await decode(raf, 'DSCF0001.RAF');
    expect(photo).toMatchObject({
      width: 200,
      height: 150,
      format: 'raf',
      cameraMake: 'FUJIFILM',
      cameraModel: 'X-T5',
    });
  });

  it('decodes the sensor data of a RAW with no preview, in its colours, with its date and camera', async () => {
    const sensor = { width: 640, height: 480 };
    for (const [scene, colour] of [
      [[0.9, 0.1, 0.1], 0],
      [[0.1, 0.8, 0.1], 1],
      [[0.1, 0.1, 0.9], 2],
    ] as const) {
      const photo = await decode(makeDng({ sensor, scene, model: 'Sensor Only 1' }), 'sensor-only.dng');
      // Half size: one pixel per 2×2 Bayer block.
      expect(photo).toMatchObject({ width: 320, height: 240, format: 'dng', cameraModel: 'Sensor Only 1' });
      expect(photo.takenAt).toBe(new Date(2021, 4, 4, 9, 8, 7).getTime());
      const [r, g, b] = pixel(photo, 112, 112);
      const channels = [r!, g!, b!];
      const strongest = channels.indexOf(Math.max(...channels));
      expect(strongest, JSON.stringify(channels)).toBe(colour);
      expect(Math.max(...channels) - Math.min(...channels)).toBeGreaterThan(100);
    }
  });

  it('says why a RAW cannot be read, and refuses what only claims to be one', async () => {
    const failure = async (input: Buffer, name: string): Promise<string> => {
      const err: unknown = await decode(input, name).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ShoeboxError);
      return (err as ShoeboxError).message;
    };
    // Sensor data in a compression LibRaw does not read (the SubIFD's Compression tag, 1, made 99).
    const odd = makeDng({ sensor: { width: 640, height: 480 } });
    const compression = odd.indexOf(Buffer.from([0x03, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00]));
    expect(compression).toBeGreaterThan(0);
    odd.writeUInt16LE(99, compression + 8);
    expect(await failure(odd, 'odd.dng')).toBe(
      'DNG file without an embedded preview, in a form LibRaw 0.22 does not read (an unknown camera or compression): Unsupported file format or not RAW file',
    );
    expect(await failure(Buffer.from('not a raw file, just text'), 'IMG_0001.CR2')).toBe(
      'not a supported image (unrecognised format)',
    );
    // A plain TIFF named like a RAW is what its content says: a TIFF.
    const tiff = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#123' } })
      .tiff()
      .toBuffer();
    expect(await decode(tiff, 'DSC_0001.NEF')).toMatchObject({ format: 'tiff', width: 30, height: 20 });
  });
});
