import { ShoeboxError } from '../errors.ts';
import type { PreprocessSpec } from '../model/model-folder.ts';

export interface Size {
  width: number;
  height: number;
}

/** Where the model's crop lands in the resized image: an in-bounds extract plus zero padding. */
export interface CropPlan {
  extract: { left: number; top: number; width: number; height: number };
  pad: { top: number; bottom: number; left: number; right: number };
}

const sizeText = (s: Size): string => `${s.width}×${s.height}`;
export const sameSize = (a: Size, b: Size): boolean => a.width === b.width && a.height === b.height;

/**
 * The vision graph's input shape is fixed, so a preprocessor that produces another size is a
 * broken model folder, not a bad photo: say so before any photo is blamed for it.
 */
export function checkInputSize(spec: PreprocessSpec, inputSize: Size): void {
  const { width, height } = inputSize;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ShoeboxError(
      'MODEL_INVALID',
      `the vision model's input size ${width}×${height} is not a positive whole size`,
    );
  }
  if (spec.crop && !sameSize(spec.crop, inputSize)) {
    throw new ShoeboxError(
      'MODEL_INVALID',
      `preprocessor_config.json crops to ${sizeText(spec.crop)} but the vision model takes ${sizeText(inputSize)}`,
    );
  }
  if (!spec.crop && spec.resize?.mode === 'exact' && !sameSize(spec.resize, inputSize)) {
    throw new ShoeboxError(
      'MODEL_INVALID',
      `preprocessor_config.json resizes to ${sizeText(spec.resize)} but the vision model takes ${sizeText(inputSize)}`,
    );
  }
}

/**
 * The size the whole (oriented) photo is resized to before the centre crop, computed from the
 * ORIGINAL dimensions the way transformers does (`int(size * long / short)`), so the result does
 * not drift with the intermediate size the decoder happened to pick.
 */
export function modelResizeSize(spec: PreprocessSpec, inputSize: Size, src: Size): Size {
  const resize = spec.resize;
  if (resize?.mode === 'exact') return { width: resize.width, height: resize.height };
  if (resize?.mode === 'shortest_edge') {
    const s = resize.shortestEdge;
    if (src.width <= src.height) return { width: s, height: Math.max(1, Math.floor((s * src.height) / src.width)) };
    return { width: Math.max(1, Math.floor((s * src.width) / src.height)), height: s };
  }
  // No resize in the config only works with dynamic-shape graphs; a fixed graph still needs
  // exactly inputSize, so cover it and let the centre crop trim the rest.
  const scale = Math.max(inputSize.width / src.width, inputSize.height / src.height);
  return {
    width: Math.max(inputSize.width, Math.round(src.width * scale)),
    height: Math.max(inputSize.height, Math.round(src.height * scale)),
  };
}

/** Python's round(): half to even, as torchvision's center_crop (and OpenAI CLIP) use it. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

function cropAxis(resized: number, crop: number): { offset: number; length: number; before: number; after: number } {
  if (crop <= resized) return { offset: roundHalfEven((resized - crop) / 2), length: crop, before: 0, after: 0 };
  // transformers pads a too-small image with zeros, centred with the extra pixel before.
  const before = Math.ceil((crop - resized) / 2);
  return { offset: 0, length: resized, before, after: crop - resized - before };
}

/** Centre crop of `resized` to `out` (offsets `int(round((h - crop_h) / 2.0))`), padding if smaller. */
export function planCrop(resized: Size, out: Size): CropPlan {
  const x = cropAxis(resized.width, out.width);
  const y = cropAxis(resized.height, out.height);
  return {
    extract: { left: x.offset, top: y.offset, width: x.length, height: y.length },
    pad: { top: y.before, bottom: y.after, left: x.before, right: x.after },
  };
}

/**
 * One decode feeds both the thumbnail and the model, so the intermediate must be big enough for
 * whichever needs more; `null` means the photo is already no bigger than that and stays as is.
 * When the model's resize alone is big enough for the thumbnail, the intermediate IS that resize,
 * so the tensor comes from a single resample of the photo, as in transformers.
 */
export function intermediateSize(src: Size, model: Size, thumbSize: number): Size | null {
  const modelFitsSource = model.width <= src.width && model.height <= src.height;
  if (modelFitsSource && Math.max(model.width, model.height) >= thumbSize) {
    return sameSize(model, src) ? null : model;
  }
  const scale = Math.max(
    thumbSize / Math.max(src.width, src.height),
    model.width / src.width,
    model.height / src.height,
  );
  if (scale >= 1) return null;
  // Rounding up keeps the intermediate at least as large as each target, so the model
  // resize never upsamples a photo that was big enough to start with.
  return {
    width: Math.min(src.width, Math.max(1, Math.ceil(src.width * scale))),
    height: Math.min(src.height, Math.max(1, Math.ceil(src.height * scale))),
  };
}

/**
 * Interleaved 8-bit RGB → planar (NCHW, batch of one) float32 with rescale and mean/std applied.
 * A per-channel lookup table makes this one table read per sample.
 */
export function toTensor(rgb: Uint8Array, size: Size, spec: PreprocessSpec): Float32Array {
  return batchTensor(rgb, 1, size, spec);
}

/**
 * `count` images of interleaved 8-bit RGB, back to back, → one NCHW float32 batch. The inference
 * process does this, so decoded photos travel to it as bytes (a quarter of the floats' size).
 */
export function batchTensor(rgb: Uint8Array, count: number, size: Size, spec: PreprocessSpec): Float32Array {
  const plane = size.width * size.height;
  if (rgb.length !== count * plane * 3) {
    throw new ShoeboxError(
      'INTERNAL',
      `expected ${count * plane * 3} bytes of RGB for ${count} × ${sizeText(size)}, got ${rgb.length}`,
    );
  }
  const scale = spec.rescaleFactor ?? 1;
  const tables: Float32Array[] = [0, 1, 2].map((c) => {
    const mean = spec.mean?.[c] ?? 0;
    const std = spec.std?.[c] ?? 1;
    const table = new Float32Array(256);
    for (let v = 0; v < 256; v++) table[v] = (v * scale - mean) / std;
    return table;
  });
  const [r, g, b] = tables as [Float32Array, Float32Array, Float32Array];
  const out = new Float32Array(count * plane * 3);
  for (let n = 0; n < count; n++) {
    const base = n * plane * 3;
    for (let i = 0, j = base; i < plane; i++, j += 3) {
      out[base + i] = r[rgb[j]!]!;
      out[base + plane + i] = g[rgb[j + 1]!]!;
      out[base + 2 * plane + i] = b[rgb[j + 2]!]!;
    }
  }
  return out;
}
