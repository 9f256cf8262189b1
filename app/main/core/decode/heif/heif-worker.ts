// Runs in a worker thread of the HEIF decoder: libheif with libde265 (HEVC), compiled to
// WebAssembly and shipped inside the libheif-js npm package, so no native build and no download.
// A decode takes a second or more of one core: it must not run on the thread that orchestrates.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import type { HeifReply, HeifRequest } from './heif-protocol.ts';

/** The few libheif calls used here (the package's own typings describe the whole C API). */
interface Libheif {
  heif_context_alloc(): unknown;
  heif_context_free(ctx: unknown): void;
  heif_context_read_from_memory(ctx: unknown, bytes: Uint8Array): { code: unknown; message: string };
  heif_js_context_get_primary_image_handle(ctx: unknown): { code?: number } | null;
  heif_image_handle_get_width(handle: unknown): number;
  heif_image_handle_get_height(handle: unknown): number;
  heif_image_handle_release(handle: unknown): void;
  heif_js_decode_image2(
    handle: unknown,
    colorspace: unknown,
    chroma: unknown,
  ): Promise<DecodedImage | { code: number; message?: string } | null>;
  heif_image_release(image: unknown): void;
  heif_error_code: { heif_error_Ok: unknown };
  heif_colorspace: { heif_colorspace_RGB: unknown };
  heif_chroma: { heif_chroma_interleaved_RGB: unknown };
  heif_channel: { heif_channel_interleaved: unknown };
}

interface DecodedImage {
  image: unknown;
  width: number;
  height: number;
  channels: { id: unknown; width: number; height: number; stride: number; data: Uint8Array }[];
}

// libheif-js is CommonJS and loads its .wasm from a path: loaded from node_modules at run time,
// never bundled (MAIN_EXTERNALS), with the wasm handed over as bytes rather than found by cwd.
const loadPackage = createRequire(import.meta.url);
const wasmBinary = readFileSync(loadPackage.resolve('libheif-js/libheif-wasm/libheif.wasm'));
const libheif = (loadPackage('libheif-js/libheif-wasm/libheif.js') as (opts: { wasmBinary: Buffer }) => Libheif)({
  wasmBinary,
});

function isDecoded(value: unknown): value is DecodedImage {
  return typeof value === 'object' && value !== null && 'channels' in value;
}

/** Rows of `width` RGB pixels from a plane whose rows may be padded to `stride` bytes. */
function packed(plane: DecodedImage['channels'][number], width: number, height: number): Uint8Array {
  const row = width * 3;
  if (plane.stride === row) return plane.data.slice(0, row * height);
  const out = new Uint8Array(row * height);
  for (let y = 0; y < height; y++) out.set(plane.data.subarray(y * plane.stride, y * plane.stride + row), y * row);
  return out;
}

async function decode({ bytes, maxPixels }: HeifRequest): Promise<HeifReply> {
  const ctx = libheif.heif_context_alloc();
  let handle: { code?: number } | null = null;
  try {
    const read = libheif.heif_context_read_from_memory(ctx, bytes);
    // Enum values are objects: compared by identity, as libheif-js does itself.
    if (read.code !== libheif.heif_error_code.heif_error_Ok) return { type: 'failed', reason: read.message };
    handle = libheif.heif_js_context_get_primary_image_handle(ctx);
    if (!handle || handle.code) return { type: 'failed', reason: 'no primary image' };
    // The size the file declares, after its transforms: checked before a pixel is allocated.
    const width = libheif.heif_image_handle_get_width(handle);
    const height = libheif.heif_image_handle_get_height(handle);
    if (width * height > maxPixels) return { type: 'too-large', width, height };
    // Interleaved 8-bit RGB: 10- and 12-bit images are brought down to 8 bits by libheif.
    const image = await libheif.heif_js_decode_image2(
      handle,
      libheif.heif_colorspace.heif_colorspace_RGB,
      libheif.heif_chroma.heif_chroma_interleaved_RGB,
    );
    if (!isDecoded(image)) return { type: 'failed', reason: image?.message ?? 'the image data could not be decoded' };
    try {
      const plane = image.channels.find((c) => c.id === libheif.heif_channel.heif_channel_interleaved);
      if (!plane) return { type: 'failed', reason: 'the decoder gave no RGB plane' };
      return {
        type: 'decoded',
        width: image.width,
        height: image.height,
        rgb: packed(plane, image.width, image.height),
      };
    } finally {
      libheif.heif_image_release(image.image);
    }
  } finally {
    if (handle) libheif.heif_image_handle_release(handle);
    libheif.heif_context_free(ctx);
  }
}

parentPort!.on('message', (request: HeifRequest) => {
  decode(request).then(
    (reply) => parentPort!.postMessage(reply, reply.type === 'decoded' ? [reply.rgb.buffer as ArrayBuffer] : []),
    (err: unknown) =>
      parentPort!.postMessage({
        type: 'failed',
        reason: err instanceof Error ? err.message : String(err),
      } satisfies HeifReply),
  );
});
