import { Readable } from 'node:stream';
import { createDeflate, crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import type { DecodeOptions, DecodedPhoto } from '#core/decode/decode-photo.ts';
import { toTensor } from '#core/decode/preprocess.ts';
import type { PreprocessSpec } from '#core/model/model-folder.ts';

/** openai/clip-vit-base-patch32's preprocessor_config.json, as parsePreprocessorConfig resolves it. */
export const CLIP_SPEC: PreprocessSpec = {
  resize: { mode: 'shortest_edge', shortestEdge: 224 },
  crop: { width: 224, height: 224 },
  resample: 'cubic',
  rescaleFactor: 1 / 255,
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
};
export const INPUT = { width: 224, height: 224 };
export const PLANE = INPUT.width * INPUT.height;

/** The model's input tensor of a decoded photo, normalised as the inference process does it. */
export function tensorOf(photo: DecodedPhoto, spec: PreprocessSpec = CLIP_SPEC): Float32Array {
  return toTensor(photo.rgb, INPUT, spec);
}

export function options(thumbFile: string, extra: Partial<DecodeOptions> = {}): DecodeOptions {
  return { preprocess: CLIP_SPEC, inputSize: INPUT, thumbFile, ...extra };
}

/** The normalised value CLIP_SPEC gives an 8-bit sample `v` of channel `c`. */
export function norm(v: number, c: 0 | 1 | 2): number {
  return (v / 255 - CLIP_SPEC.mean![c]) / CLIP_SPEC.std![c];
}

type Rgb = readonly [number, number, number];

export function solid(width: number, height: number, [r, g, b]: Rgb, alpha?: number): Sharp {
  const background = alpha === undefined ? { r, g, b } : { r, g, b, alpha };
  return sharp({ create: { width, height, channels: alpha === undefined ? 3 : 4, background } });
}

/** Vertical bands of solid colour, left to right; each entry is [width, colour]. */
export function bands(height: number, parts: readonly (readonly [number, Rgb])[]): Sharp {
  const width = parts.reduce((n, [w]) => n + w, 0);
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    let x = 0;
    for (const [w, rgb] of parts) {
      for (let i = 0; i < w; i++, x++) px.set(rgb, (y * width + x) * 3);
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } });
}

const QUADRANT_COLOURS: readonly Rgb[] = [
  [230, 30, 30],
  [30, 200, 30],
  [30, 30, 220],
  [240, 220, 40],
];

/** Four distinct quadrants, so any rotation or mirror shows up in the pixels. */
export function quadrants(width: number, height: number): Sharp {
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const q = (y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1);
      px.set(QUADRANT_COLOURS[q]!, (y * width + x) * 3);
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } });
}

/** Photo-like content (gradients plus noise) so JPEG sizes and decode costs resemble a camera's. */
export function photoLike(width: number, height: number): Sharp {
  const px = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const n = (seed >>> 24) & 31;
      const o = (y * width + x) * 3;
      px[o] = ((x * 200) / width + n) | 0;
      px[o + 1] = ((y * 200) / height + n) | 0;
      px[o + 2] = (((x + y) * 100) / (width + height) + n * 2) | 0;
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } });
}

/** A 24-bit bottom-up BMP, written by hand because sharp has no BMP encoder. */
export function bmp(width: number, height: number, [r, g, b]: Rgb): Buffer {
  const row = Math.ceil((width * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + row * height);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(width, 18);
  buf.writeInt32LE(height, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  buf.writeUInt32LE(row * height, 34);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) buf.set([b, g, r], 54 + y * row + x * 3);
  }
  return buf;
}

const u8 = (...bytes: number[]): Buffer => Buffer.from(bytes);
const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
const box = (type: string, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(8 + body.length), ascii(type), body]);
};
const fullBox = (type: string, version: number, ...parts: Buffer[]): Buffer => box(type, u32(version << 24), ...parts);

/**
 * A structurally valid HEIC (ISOBMFF with one hvc1 item, hvcC and ispe) whose HEVC payload is
 * filler: enough for libheif to read the header and reach for an HEVC decoder, which sharp's
 * prebuilt libvips lacks. sharp cannot write HEIC, and no real one is vendored.
 */
export function fakeHeic(width: number, height: number): Buffer {
  const hvcC = box(
    'hvcC',
    u8(1, 1),
    u32(0x60000000),
    Buffer.alloc(6),
    u8(90),
    u16(0xf000),
    u8(0xfc, 0xfd, 0xf8, 0xf8),
    u16(0),
    u8(0x0f, 0),
  );
  const payload = Buffer.alloc(64, 0x11);
  const head = (mdatOffset: number): Buffer =>
    Buffer.concat([
      box('ftyp', ascii('heic'), u32(0), ascii('mif1heic')),
      fullBox(
        'meta',
        0,
        fullBox('hdlr', 0, u32(0), ascii('pict'), Buffer.alloc(12), u8(0)),
        fullBox('pitm', 0, u16(1)),
        fullBox('iinf', 0, u16(1), fullBox('infe', 2, u16(1), u16(0), ascii('hvc1'), u8(0))),
        fullBox('iloc', 0, u8(0x44, 0x00), u16(1), u16(1), u16(0), u16(1), u32(mdatOffset), u32(payload.length)),
        box(
          'iprp',
          box('ipco', hvcC, fullBox('ispe', 0, u32(width), u32(height))),
          fullBox('ipma', 0, u32(1), u16(1), u8(2, 0x81, 0x02)),
        ),
      ),
    ]);
  const offset = head(0).length + 8;
  return Buffer.concat([head(offset), box('mdat', payload)]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([ascii(type), data]);
  return Buffer.concat([u32(data.length), body, u32(crc32(body))]);
}

/**
 * A valid all-black 8-bit greyscale PNG of width×height, deflated a row at a time: a 20000×20000
 * one is ~400 KB compressed and 400 MB decoded, and builds in about a second without ever
 * holding the decoded size (sharp takes several seconds to encode the same).
 */
export async function blackPng(width: number, height: number): Promise<Buffer> {
  const row = Buffer.alloc(width + 1); // filter byte 0, then zero pixels
  const rows = Readable.from(
    (function* () {
      for (let y = 0; y < height; y++) yield row;
    })(),
  );
  const parts: Buffer[] = [];
  for await (const part of rows.pipe(createDeflate({ level: 9 }))) parts.push(part as Buffer);
  const ihdr = Buffer.concat([u32(width), u32(height), u8(8, 0, 0, 0, 0)]);
  return Buffer.concat([
    u8(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.concat(parts)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Mean of one channel plane of an NCHW tensor for one image. */
export function planeMean(pixels: Float32Array, c: number): number {
  let sum = 0;
  for (let i = c * PLANE; i < (c + 1) * PLANE; i++) sum += pixels[i]!;
  return sum / PLANE;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
