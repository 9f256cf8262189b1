// What the library keeps of an image, cut from its decoded pixels: the model's input and the
// thumbnail. Photos and video frames go through the same two steps.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { errorMessage, ShoeboxError } from '../errors.ts';
import type { PreprocessSpec } from '../model/model-folder.ts';
import { planCrop, sameSize } from './preprocess.ts';
import type { Size } from './preprocess.ts';

/** Interleaved 8-bit RGB, upright. */
export interface RgbImage {
  data: Buffer;
  size: Size;
}

const THUMB_QUALITY = 75;
/**
 * libwebp's effort (0-6; sharp's default is 4). At 2 a 480-pixel thumbnail of a 12 MP photo
 * encodes in 8.6 ms, what a 320-pixel one took at 4 (19.1 ms at 4), for 8% more bytes. At 0 it
 * takes 5.2 ms, but the face tests' one woman in two photos scored 0.51 against herself, not 0.54,
 * and was split in two.
 */
const THUMB_EFFORT = 2;

const fromRgb = (img: RgbImage): Sharp => sharp(img.data, { raw: { ...img.size, channels: 3 } });

/** `image` as its thumbnail: WebP, at most `thumbSize` on its long side (the faces' tests read it too). */
export const asThumbnail = (image: Sharp, thumbSize: number): Sharp =>
  image
    .resize({ width: thumbSize, height: thumbSize, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: THUMB_QUALITY, effort: THUMB_EFFORT });

/**
 * Where the thumbnail of a video's moment (ms) goes, beside the item's own: the face stage reads
 * these, as it reads a photo's thumbnail, to find faces that are not in the poster.
 */
export const momentThumbFile = (thumbFile: string, atMs: number): string =>
  thumbFile.replace(/\.webp$/, `@${Math.round(atMs)}.webp`);

export async function writeThumbnail(img: RgbImage, thumbFile: string, thumbSize: number): Promise<void> {
  const tmp = `${thumbFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(thumbFile), { recursive: true });
    await asThumbnail(fromRgb(img), thumbSize).toFile(tmp);
    // Readers never see a half-written thumbnail: the name appears only once the file is whole.
    await rename(tmp, thumbFile);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new ShoeboxError('INTERNAL', `could not write thumbnail ${thumbFile}: ${errorMessage(err)}`, { cause: err });
  }
}

/**
 * Resize and centre crop exactly as the preprocessor config says. libvips is demand-driven, so
 * the extract after the resize computes only the cropped pixels, even for a long panorama.
 */
export async function modelInput(
  img: RgbImage,
  resized: Size,
  opts: { preprocess: PreprocessSpec; inputSize: Size },
): Promise<Uint8Array> {
  const { extract, pad } = planCrop(resized, opts.inputSize);
  let pipeline = fromRgb(img);
  if (!sameSize(resized, img.size)) {
    pipeline = pipeline.resize({ ...resized, fit: 'fill', kernel: opts.preprocess.resample });
  }
  pipeline = pipeline.extract(extract);
  if (pad.top + pad.bottom + pad.left + pad.right > 0) {
    pipeline = pipeline.extend({ ...pad, background: { r: 0, g: 0, b: 0 } });
  }
  const rgb = await pipeline.raw({ depth: 'uchar' }).toBuffer();
  const want = opts.inputSize.width * opts.inputSize.height * 3;
  if (rgb.length !== want)
    throw new ShoeboxError('INTERNAL', `the model input has ${rgb.length} bytes, expected ${want}`);
  return rgb;
}
