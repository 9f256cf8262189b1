import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto } from '#core/decode/decode-photo.ts';
import { ShoeboxError } from '#core/errors.ts';
import { blackPng, bmp, CLIP_SPEC, fakeHeic, options, photoLike, solid, tensorOf } from './images.ts';

let dir = '';
let thumbDir = '';
const thumb = (): string => join(thumbDir, `t${Math.random().toString(36).slice(2)}.webp`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoebox-decode-errors-'));
  thumbDir = join(dir, 'thumbs');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<ShoeboxError> {
  const err: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ShoeboxError);
  return err as ShoeboxError;
}

async function expectDecodeFailed(input: Buffer, reason: RegExp): Promise<void> {
  const err = await failure(decodePhoto(input, options(thumb())));
  expect(err.code).toBe('DECODE_FAILED');
  expect(err.message).toMatch(reason);
}

/** A real JPEG with enough entropy-coded data that cutting or damaging it hits pixels. */
const realJpeg = (): Promise<Buffer> => photoLike(1200, 800).jpeg({ quality: 90 }).toBuffer();

describe('decodePhoto: bad input', () => {
  it('refuses an empty file', async () => {
    await expectDecodeFailed(Buffer.alloc(0), /^empty file$/);
  });

  it('refuses random bytes as an unrecognised format', async () => {
    let seed = 7;
    const noise = Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
    await expectDecodeFailed(noise, /^not a supported image \(unrecognised format\)$/);
  });

  it('fails a truncated JPEG (first half of a real one) instead of returning grey', async () => {
    const jpeg = await realJpeg();
    await expectDecodeFailed(
      jpeg.subarray(0, jpeg.length >> 1),
      /^corrupt or truncated image: .*premature end of JPEG/,
    );
  });

  it('fails a truncated progressive JPEG', async () => {
    const jpeg = await photoLike(1200, 800).jpeg({ quality: 90, progressive: true }).toBuffer();
    await expectDecodeFailed(jpeg.subarray(0, jpeg.length >> 1), /^corrupt or truncated image: /);
  });

  it('fails a JPEG whose header is damaged', async () => {
    const jpeg = Buffer.from(await realJpeg());
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.fill(0xff, sof + 2, sof + 12);
    await expectDecodeFailed(jpeg, /^corrupt or truncated image: /);
  });

  it('recovers a JPEG with corrupted entropy-coded bytes, as browsers and viewers do', async () => {
    // libjpeg resynchronises and reports only a warning; refusing those would also refuse
    // many real camera files with harmless warnings, so the photo is kept (damaged area and all).
    const jpeg = Buffer.from(await realJpeg());
    const mid = jpeg.length >> 1;
    for (let i = mid; i < mid + 2000; i++) jpeg[i] = (i * 131) & 0xff;
    const photo = await decodePhoto(jpeg, options(thumb()));
    expect(photo).toMatchObject({ width: 1200, height: 800 });
    expect(tensorOf(photo).every(Number.isFinite)).toBe(true);
  });

  it('refuses a decompression bomb from its header, before allocating pixels', async () => {
    const bomb = await blackPng(20_000, 20_000);
    expect(bomb.length).toBeLessThan(1_000_000);
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    await expectDecodeFailed(bomb, /^image too large: 20000×20000 \(400 MP\) exceeds the 200 MP limit$/);
    // A decode of 400 MP would take seconds and over a gigabyte; the header check takes neither.
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('applies a custom maxPixels', async () => {
    const png = await solid(1000, 1000, [1, 1, 1]).png().toBuffer();
    const err = await failure(decodePhoto(png, options(thumb(), { maxPixels: 500_000 })));
    expect(err.code).toBe('DECODE_FAILED');
    expect(err.message).toBe('image too large: 1000×1000 (1 MP) exceeds the 0.5 MP limit');
  });

  it('names BMP, which sharp prebuilt binaries cannot read', async () => {
    await expectDecodeFailed(bmp(4, 3, [255, 0, 0]), /^BMP images are not supported by this build of sharp/);
  });

  it("fails a HEIC whose HEVC data is filler with the decoder's reason", async () => {
    await expectDecodeFailed(fakeHeic(4032, 3024), /^corrupt or truncated HEIC image: /);
  });

  it('never decodes a vector drawing as a photo, whatever its name', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script><rect width="64" height="64" fill="red"/></svg>';
    await expectDecodeFailed(Buffer.from(svg), /^not a raster image \(SVG or other markup\)/);
    await expectDecodeFailed(Buffer.from(`\ufeff  <?xml version="1.0"?>\n${svg}`), /^not a raster image/);
    await expectDecodeFailed(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), /^not a raster image \(a PDF document\)$/);
  });

  it('writes no thumbnail (and leaves no temp file) for a photo it refuses', async () => {
    const file = join(dir, 'refused', 'x.webp');
    await failure(decodePhoto(Buffer.from('not an image at all'), options(file)));
    const left = await readdir(join(dir, 'refused')).catch(() => []);
    expect(left).toEqual([]);
  });
});

describe('decodePhoto: options', () => {
  it('refuses a nonsensical thumbSize or maxPixels as BAD_REQUEST', async () => {
    const png = await solid(8, 8, [1, 2, 3]).png().toBuffer();
    expect((await failure(decodePhoto(png, options(thumb(), { thumbSize: 0 })))).code).toBe('BAD_REQUEST');
    expect((await failure(decodePhoto(png, options(thumb(), { maxPixels: -1 })))).code).toBe('BAD_REQUEST');
  });
});

describe('decodePhoto: model contradictions', () => {
  it('throws MODEL_INVALID when the crop differs from the graph input', async () => {
    const png = await solid(8, 8, [1, 2, 3]).png().toBuffer();
    const err = await failure(decodePhoto(png, options(thumb(), { inputSize: { width: 256, height: 256 } })));
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toBe('preprocessor_config.json crops to 224×224 but the vision model takes 256×256');
  });

  it('throws MODEL_INVALID when an exact resize without crop differs from the graph input', async () => {
    const spec = { ...CLIP_SPEC, resize: { mode: 'exact' as const, width: 384, height: 384 }, crop: null };
    const err = await failure(decodePhoto(Buffer.alloc(1), options(thumb(), { preprocess: spec })));
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toMatch(/resizes to 384×384 but the vision model takes 224×224/);
  });
});
