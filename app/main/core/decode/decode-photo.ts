import { extname } from 'node:path';
import sharp from 'sharp';
import type { Metadata, Sharp, SharpOptions } from 'sharp';
import { ShoeboxError } from '../errors.ts';
import type { PreprocessSpec, ResampleKernel } from '../model/model-folder.ts';
import { decodeError, refuseUnsupported, tooLarge } from './decode-errors.ts';
import { readExif } from './exif.ts';
import { embeddedVideoOffset } from './motion-photo.ts';
import { decodeHeif } from './heif/heif-decoder.ts';
import { heifExif } from './heif/heif-exif.ts';
import { isTiffBased, oriented, rawOrientation } from './raw/raw-orientation.ts';
import { rawPreview, sniffRaw } from './raw/raw-preview.ts';
import { decodeSensor } from './raw/raw-sensor.ts';
import type { RawFormat } from './raw/raw-preview.ts';
import { sniff } from './sniff.ts';
import { modelInput, writeThumbnail } from './derive.ts';
import type { RgbImage } from './derive.ts';
import { checkInputSize, intermediateSize, modelResizeSize, sameSize } from './preprocess.ts';
import type { Size } from './preprocess.ts';

// libvips keeps recent operations and their pixels (up to 50 MB) in case the same image is asked
// for again; the indexer decodes each file once, so the cache only holds memory after indexing.
sharp.cache(false);

export interface DecodeOptions {
  preprocess: PreprocessSpec;
  /** The tensor size the vision graph wants (after crop). */
  inputSize: { width: number; height: number };
  /** Absolute path of the WebP thumbnail to write. */
  thumbFile: string;
  /** Longest edge of the thumbnail; default DEFAULT_THUMB_SIZE. */
  thumbSize?: number;
  /** Larger images are refused before decoding; default 200 MP. */
  maxPixels?: number;
  /**
   * The file's name, for the one thing content cannot tell: which maker's RAW a plain TIFF
   * container of sensor data is (NEF, ARW, PEF). Never used to decide whether to decode.
   */
  fileName?: string;
}

export interface DecodedPhoto {
  /** Pixel size after EXIF orientation. */
  width: number;
  height: number;
  /** sharp's format name (jpeg, png, webp, gif, tiff, svg, …), with its `heif` split into avif/heic. */
  format: string;
  /** Epoch ms from EXIF DateTimeOriginal, else CreateDate; null if neither is usable. */
  takenAt: number | null;
  cameraMake: string | null;
  cameraModel: string | null;
  gpsLat: number | null;
  gpsLon: number | null;
  /**
   * The model's input as interleaved 8-bit RGB, inputSize.height × inputSize.width × 3: resized
   * and cropped as the preprocessor config says, not yet normalised (batchTensor in
   * preprocess.ts does that, in the inference process, so photos cross to it as bytes).
   */
  rgb: Uint8Array;
  /** An Android motion photo: where the MP4 appended to the JPEG starts. */
  motion?: { offset: number };
  /** Present for a video: its sampled frames' model inputs (the poster's is `rgb`). */
  video?: DecodedVideoPart;
}

export interface DecodedVideoPart {
  durationMs: number;
  posterAtMs: number;
  frames: { atMs: number; rgb: Uint8Array }[];
}

/**
 * The thumbnail's long side. 480 pixels fill the grid's cells on a 2× display (172 points wide at
 * the least), where 320 were stretched; and faces are found and described on it (face-stage.ts),
 * where half as many pixels again lift the recogniser's agreement on one person's faces from
 * other photos (AUC 0.96 → 0.99 for a face an eighth of the photo wide). The whole decode of a
 * 12 MP JPEG costs 9% more on one core (54.5 ms against 50.0; derive.ts keeps the WebP encode's
 * share flat).
 */
export const DEFAULT_THUMB_SIZE = 480;
export const DEFAULT_MAX_PIXELS = 200_000_000;

function sourceOptions(maxPixels: number): SharpOptions {
  // 'error' (which implies 'truncated') fails a cut-off file instead of handing back grey rows,
  // yet still accepts the harmless libjpeg warnings ("extraneous bytes before marker") that
  // plenty of real camera files trigger and that 'warning' would reject.
  return { failOn: 'error', limitInputPixels: maxPixels, sequentialRead: true };
}

async function readHeader(input: Buffer, maxPixels: number): Promise<Metadata> {
  let meta: Metadata;
  try {
    // No pixel limit here: metadata() reads only the header, and the limit is checked below
    // with a reason that gives the size instead of sharp's bare "exceeds pixel limit".
    meta = await sharp(input, { ...sourceOptions(maxPixels), limitInputPixels: false }).metadata();
  } catch (err) {
    throw decodeError(err, input, null, maxPixels);
  }
  if (!(meta.width > 0) || !(meta.height > 0)) throw refuseUnsupported(input);
  // The header is trusted only to refuse: a bomb is stopped here before any pixel is allocated.
  if (meta.width * meta.height > maxPixels) throw tooLarge(meta.width, meta.height, maxPixels);
  return meta;
}

function formatName(meta: Metadata): string {
  if (meta.format === 'heif') return meta.compression === 'hevc' ? 'heic' : 'avif';
  return meta.format;
}

/** A photo ready to decode: a pipeline over its full-size upright pixels, and what is known of it. */
interface Source {
  open: () => Sharp;
  oriented: Size;
  format: string;
  /** The EXIF block the header reader found, if it found one. */
  exif: Buffer | undefined;
  /** sharp's view of the header, for naming what went wrong; null where sharp does not read the file. */
  meta: Metadata | null;
}

/**
 * Decides from the content what the file is and how it is read: libvips for the rasters it
 * knows, libheif (in WebAssembly, on a decoder thread) for HEIC, whose transforms it applies
 * itself so nothing rotates the result again. Everything else is refused with its reason.
 */
async function openSource(input: Buffer, maxPixels: number, fileName: string | undefined): Promise<Source> {
  const raw = sniffRaw(
    input,
    extname(fileName ?? '')
      .slice(1)
      .toLowerCase(),
  );
  if (raw) return openRaw(input, raw, maxPixels);
  const sniffed = sniff(input);
  if (sniffed.kind === 'refused') throw new ShoeboxError('DECODE_FAILED', sniffed.reason);
  if (sniffed.kind === 'unknown') throw refuseUnsupported(input);
  if (sniffed.kind === 'heic') {
    const { width, height, rgb } = await decodeHeif(input, maxPixels);
    return {
      open: () => sharp(rgb, { raw: { width, height, channels: 3 } }),
      oriented: { width, height },
      format: 'heic',
      exif: heifExif(input),
      meta: null,
    };
  }
  const meta = await readHeader(input, maxPixels);
  return {
    open: () => sharp(input, sourceOptions(maxPixels)).autoOrient(),
    oriented: { width: meta.autoOrient.width, height: meta.autoOrient.height },
    format: formatName(meta),
    exif: meta.exif,
    meta,
  };
}

/**
 * A camera RAW file through the JPEG its camera embedded (fast, and what the camera rendered), or
 * through its sensor data where there is none. The orientation is the RAW's own (TIFF-based files
 * keep it in IFD0; the preview usually carries none), else the preview's.
 */
async function openRaw(input: Buffer, format: RawFormat, maxPixels: number): Promise<Source> {
  const preview = await rawPreview(input);
  if (!preview) {
    const { width, height, rgb } = await decodeSensor(input, format);
    return {
      open: () => sharp(rgb, { raw: { width, height, channels: 3 } }),
      oriented: { width, height },
      format,
      exif: undefined,
      meta: null,
    };
  }
  const meta = await readHeader(preview, maxPixels);
  const orientation = rawOrientation(input) ?? meta.orientation ?? 1;
  const turned = orientation >= 5;
  return {
    open: () => oriented(sharp(preview, sourceOptions(maxPixels)), orientation),
    oriented: { width: turned ? meta.height : meta.width, height: turned ? meta.width : meta.height },
    format,
    // TIFF-based RAWs hold their EXIF in their own IFDs; RAF and CR3 previews carry a copy.
    exif: isTiffBased(input) ? undefined : meta.exif,
    meta,
  };
}

/**
 * The one decode of the compressed data: orientation applied, shrunk (JPEG shrink-on-load does
 * most of the work on camera files) to a size both outputs can be cut from, as 8-bit sRGB.
 */
async function decodeIntermediate(
  input: Buffer,
  source: Source,
  target: Size | null,
  kernel: ResampleKernel,
  maxPixels: number,
): Promise<RgbImage> {
  let pipeline = source.open();
  if (target) {
    pipeline = pipeline.resize({ ...target, fit: 'fill', kernel, withoutEnlargement: true, fastShrinkOnLoad: true });
  }
  try {
    const { data, info } = await pipeline
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3)
      throw new ShoeboxError('INTERNAL', `decoder produced ${info.channels} channels, expected 3`);
    return { data, size: { width: info.width, height: info.height } };
  } catch (err) {
    throw decodeError(err, input, source.meta, maxPixels);
  }
}

async function settleAll<A, B, C>(a: Promise<A>, b: Promise<B>, c: Promise<C>): Promise<[A, B, C]> {
  // Settle all before throwing, so no write is left running behind a rejected call.
  const [ra, rb, rc] = await Promise.allSettled([a, b, c]);
  for (const r of [ra, rb, rc]) if (r.status === 'rejected') throw r.reason;
  return [
    (ra as PromiseFulfilledResult<A>).value,
    (rb as PromiseFulfilledResult<B>).value,
    (rc as PromiseFulfilledResult<C>).value,
  ];
}

/**
 * Decodes one photo once and derives everything the library stores from it: the model's input
 * tensor, a WebP thumbnail on disk, and capture metadata. Bad files throw DECODE_FAILED with a
 * reason a person can read; a model whose preprocessing contradicts its graph throws MODEL_INVALID.
 */
export async function decodePhoto(input: Buffer, opts: DecodeOptions): Promise<DecodedPhoto> {
  checkInputSize(opts.preprocess, opts.inputSize);
  const thumbSize = opts.thumbSize ?? DEFAULT_THUMB_SIZE;
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!Number.isInteger(thumbSize) || thumbSize < 1 || !Number.isInteger(maxPixels) || maxPixels < 1) {
    throw new ShoeboxError(
      'BAD_REQUEST',
      `thumbSize and maxPixels must be positive integers (got ${thumbSize}, ${maxPixels})`,
    );
  }
  if (input.length === 0) throw new ShoeboxError('DECODE_FAILED', 'empty file');

  const source = await openSource(input, maxPixels, opts.fileName);
  const oriented = source.oriented;
  const resized = modelResizeSize(opts.preprocess, opts.inputSize, oriented);
  const target = intermediateSize(oriented, resized, thumbSize);
  // The model's kernel when this resize is the model's own; lanczos3 otherwise, for the thumbnail.
  const kernel = target && sameSize(target, resized) ? opts.preprocess.resample : 'lanczos3';
  const img = await decodeIntermediate(input, source, target, kernel, maxPixels);

  const [rgb, , exif] = await settleAll(
    modelInput(img, resized, opts),
    writeThumbnail(img, opts.thumbFile, thumbSize),
    readExif(input, source.exif),
  );
  const motionAt = source.format === 'jpeg' ? embeddedVideoOffset(input) : null;
  return {
    width: oriented.width,
    height: oriented.height,
    format: source.format,
    ...exif,
    rgb,
    ...(motionAt !== null ? { motion: { offset: motionAt } } : {}),
  };
}

/** Formats a browser shows as they are; anything else is shown through a rendered copy. */
export const BROWSER_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'gif', 'avif']);

/**
 * The photo upright and at most `maxEdge` pixels on its long side, as WebP: what the viewer shows
 * for a HEIC, a RAW or a TIFF, which browsers cannot display. Decoded exactly as for indexing.
 */
export async function renderForDisplay(
  input: Buffer,
  opts: { fileName?: string; maxEdge: number; maxPixels?: number },
): Promise<Buffer> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (input.length === 0) throw new ShoeboxError('DECODE_FAILED', 'empty file');
  const source = await openSource(input, maxPixels, opts.fileName);
  try {
    return await source
      .open()
      .resize({ width: opts.maxEdge, height: opts.maxEdge, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .webp({ quality: 85 })
      .toBuffer();
  } catch (err) {
    throw decodeError(err, input, source.meta, maxPixels);
  }
}

/**
 * The photo upright as interleaved 8-bit RGB, at most `maxEdge` pixels on its long side: what the
 * text reader reads. Decoded exactly as for indexing (HEIC, RAW previews, orientation).
 */
export async function decodeForReading(
  input: Buffer,
  opts: { fileName?: string; maxEdge: number; maxPixels?: number },
): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (input.length === 0) throw new ShoeboxError('DECODE_FAILED', 'empty file');
  const source = await openSource(input, maxPixels, opts.fileName);
  try {
    const { data, info } = await source
      .open()
      .resize({ width: opts.maxEdge, height: opts.maxEdge, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    throw decodeError(err, input, source.meta, maxPixels);
  }
}
