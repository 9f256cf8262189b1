import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOURS, makeTestModel } from './test-model.ts';

const S = 64;
const D = 16;
const L = 77;
const BOS = 49406;
const EOS = 49407;
const MEAN = [0.48145466, 0.4578275, 0.40821073];
const STD = [0.26862954, 0.26130258, 0.27577711];

type Rgb = readonly [number, number, number];

/** CLIP-normalised NCHW pixels for one image whose colour is chosen per pixel. */
function pixels(colourAt: (x: number, y: number) => Rgb): Float32Array {
  const out = new Float32Array(3 * S * S);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const rgb = colourAt(x, y);
      for (let c = 0; c < 3; c++) out[c * S * S + y * S + x] = (rgb[c]! / 255 - MEAN[c]!) / STD[c]!;
    }
  }
  return out;
}

function colour(word: string): Rgb {
  const rgb = COLOURS[word];
  if (!rgb) throw new Error(`no colour ${word}`);
  return rgb;
}

function rows(tensor: ort.Tensor | undefined): Float32Array[] {
  if (!tensor) throw new Error('missing output');
  const data = tensor.data as Float32Array;
  const width = tensor.dims[1]!;
  return Array.from({ length: tensor.dims[0]! }, (_, i) => data.slice(i * width, (i + 1) * width));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0,
    na = 0,
    nb = 0;
  a.forEach((v, i) => {
    dot += v * b[i]!;
    na += v * v;
    nb += b[i]! ** 2;
  });
  return dot / Math.sqrt(na * nb);
}

function shapeOf(meta: ort.InferenceSession.ValueMetadata | undefined): unknown {
  return meta?.isTensor ? { name: meta.name, type: meta.type, shape: meta.shape } : meta;
}

describe('makeTestModel', () => {
  let dir = '';
  let vocab: Record<string, number> = {};
  let vision: ort.InferenceSession;
  let text: ort.InferenceSession;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-test-model-'));
    await makeTestModel(dir);
    const tokenizer = JSON.parse(await readFile(path.join(dir, 'tokenizer.json'), 'utf8')) as {
      model: { vocab: Record<string, number> };
    };
    vocab = tokenizer.model.vocab;
    vision = await ort.InferenceSession.create(path.join(dir, 'onnx', 'vision_model.onnx'));
    text = await ort.InferenceSession.create(path.join(dir, 'onnx', 'text_model.onnx'));
  });

  afterAll(async () => {
    await Promise.all([vision?.release(), text?.release()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function embedImages(images: Float32Array[]): Promise<Float32Array[]> {
    const data = new Float32Array(images.length * 3 * S * S);
    images.forEach((img, i) => {
      data.set(img, i * img.length);
    });
    const out = await vision.run({ pixel_values: new ort.Tensor('float32', data, [images.length, 3, S, S]) });
    return rows(out.image_embeds);
  }

  async function embedWords(words: string[]): Promise<Float32Array[]> {
    const ids = new BigInt64Array(words.length * L).fill(BigInt(EOS));
    words.forEach((word, i) => {
      const id = vocab[`${word}</w>`];
      if (id === undefined) throw new Error(`no token for ${word}`);
      ids[i * L] = BigInt(BOS);
      ids[i * L + 1] = BigInt(id);
    });
    const out = await text.run({ input_ids: new ort.Tensor('int64', ids, [words.length, L]) });
    return rows(out.text_embeds);
  }

  it('writes the Hugging Face ONNX export layout', async () => {
    expect((await readdir(dir)).sort()).toEqual([
      'config.json',
      'onnx',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    expect((await readdir(path.join(dir, 'onnx'))).sort()).toEqual(['text_model.onnx', 'vision_model.onnx']);
    const pre = JSON.parse(await readFile(path.join(dir, 'preprocessor_config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(pre.crop_size).toEqual({ height: S, width: S });
    expect(pre.image_mean).toEqual(MEAN);
    const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ projection_dim: D, text_config: { max_position_embeddings: L } });
  });

  it('declares the input and output names and shapes', () => {
    expect(vision.inputNames).toEqual(['pixel_values']);
    expect(vision.outputNames).toEqual(['image_embeds']);
    expect(shapeOf(vision.inputMetadata[0])).toEqual({
      name: 'pixel_values',
      type: 'float32',
      shape: ['batch', 3, S, S],
    });
    expect(shapeOf(vision.outputMetadata[0])).toEqual({ name: 'image_embeds', type: 'float32', shape: ['batch', D] });
    expect(text.inputNames).toEqual(['input_ids']);
    expect(text.outputNames).toEqual(['text_embeds']);
    expect(shapeOf(text.inputMetadata[0])).toEqual({ name: 'input_ids', type: 'int64', shape: ['batch', L] });
    expect(shapeOf(text.outputMetadata[0])).toEqual({ name: 'text_embeds', type: 'float32', shape: ['batch', D] });
  });

  it('matches a solid red image to "red" rather than "green" or "blue"', async () => {
    const [red] = await embedImages([pixels(() => colour('red'))]);
    const [redText, greenText, blueText] = await embedWords(['red', 'green', 'blue']);
    const toRed = cosine(red!, redText!);
    expect(toRed).toBeCloseTo(1, 5);
    expect(toRed).toBeGreaterThan(cosine(red!, greenText!));
    expect(toRed).toBeGreaterThan(cosine(red!, blueText!));
  });

  it('embeds every colour closest to its own word and never all-zero', async () => {
    const words = Object.keys(COLOURS);
    const images = await embedImages(words.map((w) => pixels(() => colour(w))));
    const texts = await embedWords(words);
    images.forEach((img, i) => {
      const scores = texts.map((t) => cosine(img, t));
      expect(scores.indexOf(Math.max(...scores))).toBe(i);
    });
    const [grey] = await embedImages([pixels(() => [127.5, 127.5, 127.5])]);
    expect(Array.from(grey!).some((v) => v !== 0)).toBe(true);
  });

  it('handles a batch of two images independently', async () => {
    const red = pixels(() => colour('red'));
    const blue = pixels(() => colour('blue'));
    const [batchRed, batchBlue] = await embedImages([red, blue]);
    const [soloRed] = await embedImages([red]);
    const [soloBlue] = await embedImages([blue]);
    expect(Array.from(batchRed!)).toEqual(Array.from(soloRed!));
    expect(Array.from(batchBlue!)).toEqual(Array.from(soloBlue!));
  });

  it('keeps the quadrants apart', async () => {
    const leftRed = pixels((x) => colour(x < S / 2 ? 'red' : 'blue'));
    const leftBlue = pixels((x) => colour(x < S / 2 ? 'blue' : 'red'));
    const [a, b] = await embedImages([leftRed, leftBlue]);
    expect(cosine(a!, b!)).toBeLessThan(0.9);
    // Quadrant order is top-left, top-right, bottom-left, bottom-right within each channel.
    expect(a![0]).toBeGreaterThan(a![1]!);
    expect(b![0]).toBeLessThan(b![1]!);
  });

  it('honours non-default sizes', async () => {
    const other = await mkdtemp(path.join(os.tmpdir(), 'shoebox-test-model-'));
    try {
      await makeTestModel(other, { imageSize: 32, dim: 20, contextLength: 16 });
      const small = await ort.InferenceSession.create(path.join(other, 'onnx', 'vision_model.onnx'));
      const smallText = await ort.InferenceSession.create(path.join(other, 'onnx', 'text_model.onnx'));
      expect(shapeOf(small.inputMetadata[0])).toMatchObject({ shape: ['batch', 3, 32, 32] });
      expect(shapeOf(small.outputMetadata[0])).toMatchObject({ shape: ['batch', 20] });
      expect(shapeOf(smallText.inputMetadata[0])).toMatchObject({ shape: ['batch', 16] });
      await Promise.all([small.release(), smallText.release()]);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
