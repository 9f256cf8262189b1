import { describe, expect, it } from 'vitest';
import {
  batchTensor,
  checkInputSize,
  intermediateSize,
  modelResizeSize,
  planCrop,
  toTensor,
} from '#core/decode/preprocess.ts';
import type { PreprocessSpec } from '#core/model/model-folder.ts';
import { CLIP_SPEC, INPUT } from './images.ts';

describe('modelResizeSize', () => {
  it('follows transformers: shortest edge to size, long edge int(size * long / short)', () => {
    expect(modelResizeSize(CLIP_SPEC, INPUT, { width: 640, height: 480 })).toEqual({ width: 298, height: 224 });
    expect(modelResizeSize(CLIP_SPEC, INPUT, { width: 480, height: 640 })).toEqual({ width: 224, height: 298 });
    expect(modelResizeSize(CLIP_SPEC, INPUT, { width: 6000, height: 4000 })).toEqual({ width: 336, height: 224 });
    expect(modelResizeSize(CLIP_SPEC, INPUT, { width: 1, height: 1 })).toEqual({ width: 224, height: 224 });
  });

  it('uses the exact size when the config names one', () => {
    const spec: PreprocessSpec = { ...CLIP_SPEC, resize: { mode: 'exact', width: 384, height: 384 }, crop: null };
    expect(modelResizeSize(spec, { width: 384, height: 384 }, { width: 640, height: 480 })).toEqual({
      width: 384,
      height: 384,
    });
  });

  it('covers the graph input when the config does not resize at all', () => {
    const spec: PreprocessSpec = { ...CLIP_SPEC, resize: null, crop: null };
    expect(modelResizeSize(spec, INPUT, { width: 1000, height: 500 })).toEqual({ width: 448, height: 224 });
  });
});

describe('planCrop', () => {
  it('rounds odd offsets half to even like torchvision: int(round((h - crop_h) / 2.0))', () => {
    expect(planCrop({ width: 298, height: 224 }, INPUT).extract).toEqual({ left: 37, top: 0, width: 224, height: 224 });
    expect(planCrop({ width: 449, height: 224 }, INPUT).extract.left).toBe(112); // round(112.5) = 112
    expect(planCrop({ width: 451, height: 224 }, INPUT).extract.left).toBe(114); // round(113.5) = 114
    expect(planCrop({ width: 224, height: 301 }, INPUT).extract.top).toBe(38); // round(38.5) = 38
  });

  it('pads a too-small image with zeros, the extra pixel before, as transformers does', () => {
    expect(planCrop({ width: 221, height: 224 }, INPUT)).toEqual({
      extract: { left: 0, top: 0, width: 221, height: 224 },
      pad: { top: 0, bottom: 0, left: 2, right: 1 },
    });
  });
});

describe('intermediateSize', () => {
  it('is the model resize itself when that is big enough for the thumbnail', () => {
    expect(intermediateSize({ width: 6000, height: 4000 }, { width: 336, height: 224 }, 320)).toEqual({
      width: 336,
      height: 224,
    });
  });

  it('grows to fit the thumbnail when the model resize is smaller', () => {
    expect(intermediateSize({ width: 4000, height: 3000 }, { width: 298, height: 224 }, 320)).toEqual({
      width: 320,
      height: 240,
    });
  });

  it('keeps a photo that is already small at its own size', () => {
    expect(intermediateSize({ width: 200, height: 100 }, { width: 448, height: 224 }, 320)).toBeNull();
    expect(intermediateSize({ width: 336, height: 224 }, { width: 336, height: 224 }, 320)).toBeNull();
  });
});

describe('toTensor', () => {
  it('writes planar NCHW with rescale and mean/std', () => {
    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0]);
    const spec: PreprocessSpec = { ...CLIP_SPEC, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };
    expect(Array.from(toTensor(rgb, { width: 2, height: 1 }, spec))).toEqual([1, -1, -1, 1, -1, -1]);
  });

  it('leaves values alone when rescale and normalisation are off', () => {
    const spec: PreprocessSpec = { ...CLIP_SPEC, rescaleFactor: null, mean: null, std: null };
    expect(Array.from(toTensor(Uint8Array.from([1, 2, 3]), { width: 1, height: 1 }, spec))).toEqual([1, 2, 3]);
  });

  it('turns a batch of images, back to back, into NCHW planes image after image', () => {
    const spec: PreprocessSpec = { ...CLIP_SPEC, rescaleFactor: null, mean: null, std: null };
    // Two images of 2×1: [rgb rgb] then [rgb rgb].
    const rgb = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(batchTensor(rgb, 2, { width: 2, height: 1 }, spec))).toEqual([
      1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12,
    ]);
    expect(() => batchTensor(rgb, 3, { width: 2, height: 1 }, spec)).toThrow(
      /expected 18 bytes of RGB for 3 × 2×1, got 12/,
    );
  });
});

describe('checkInputSize', () => {
  it('accepts a matching crop and refuses a contradicting one', () => {
    expect(() => {
      checkInputSize(CLIP_SPEC, INPUT);
    }).not.toThrow();
    expect(() => {
      checkInputSize(CLIP_SPEC, { width: 336, height: 336 });
    }).toThrow(/crops to 224×224 but the vision model takes 336×336/);
    expect(() => {
      checkInputSize(CLIP_SPEC, { width: 0, height: 224 });
    }).toThrow(/not a positive whole size/);
  });
});
