// Generates a tiny CLIP-like model folder in the Hugging Face ONNX export layout, so tests can
// exercise the real loading and inference path without downloading real CLIP weights.
//
// The embeddings are built so that colour words match solid images of that colour: an image
// embeds as its four quadrant mean colours (CLIP-normalised, relative to mid-grey), and each
// colour word's token embeds as the image embedding of a solid image of that colour.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
// onnx-proto is CommonJS assigning `module.exports = root`, which Node cannot split into named
// ESM exports, so the value comes through the default import and the types separately.
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxProto;

export interface TestModelOptions {
  imageSize?: number;
  dim?: number;
  contextLength?: number;
  /**
   * Words that embed as another colour ({red: 'green'}: "red" finds green photos): a model that
   * disagrees with the default one, so a test can tell which of two models answered.
   */
  wordColours?: Record<string, string>;
  /** A text graph with a dynamic sequence axis (as Hugging Face exports have) instead of a fixed one. */
  dynamicSequence?: boolean;
  /** Gives the padding token an embedding, so (like a mean-pooling tower) padding changes results. */
  paddingCounts?: boolean;
}

export const COLOURS: Record<string, [number, number, number]> = {
  red: [220, 30, 30],
  green: [30, 180, 50],
  blue: [30, 60, 220],
  yellow: [240, 220, 40],
  white: [250, 250, 250],
  black: [10, 10, 10],
  orange: [250, 140, 20],
  purple: [130, 40, 170],
};

const IMAGE_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
const IMAGE_STD = [0.26862954, 0.26130258, 0.27577711] as const;
const BOS_ID = 49406;
const QUADRANTS = 4;
const COLOUR_DIMS = 3 * QUADRANTS;
// A constant component keeps every embedding non-zero, so cosine similarity is always defined.
const BIAS_DIM = COLOUR_DIMS;
const BIAS_VALUE = 0.05;

const CLIP_DIR = new URL('../../../shared/clip/', import.meta.url);

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

type Dim = number | string;

function normalised(value01: number, channel: number): number {
  return (value01 - IMAGE_MEAN[channel]!) / IMAGE_STD[channel]!;
}

/** The embedding (dims 0..11) of a solid image of colour `rgb`, relative to mid-grey. */
function colourEmbedding(rgb: readonly [number, number, number]): number[] {
  const out: number[] = [];
  for (let c = 0; c < 3; c++) {
    const v = normalised(rgb[c]! / 255, c) - normalised(0.5, c);
    for (let q = 0; q < QUADRANTS; q++) out.push(v);
  }
  return out;
}

function floatTensor(name: string, dims: number[], values: Float32Array): Onnx.ITensorProto {
  // Copy so the bytes are little-endian regardless of host order and own their buffer.
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    view.setFloat32(i * 4, v, true);
  });
  return { name, dims, dataType: FLOAT, rawData: bytes };
}

function int64Tensor(name: string, values: number[]): Onnx.ITensorProto {
  return { name, dims: [values.length], dataType: INT64, int64Data: values };
}

function valueInfo(name: string, elemType: number, dims: Dim[]): Onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function intAttr(name: string, i: number): Onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

function intsAttr(name: string, ints: number[]): Onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints };
}

function node(
  opType: string,
  input: string[],
  output: string[],
  attribute: Onnx.IAttributeProto[] = [],
): Onnx.INodeProto {
  return { opType, input, output, attribute, name: output[0] ?? opType };
}

function encodeModel(graph: Onnx.IGraphProto): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'shoebox-test-model',
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

function visionGraph(size: number, dim: number): Onnx.IGraphProto {
  const half = size / 2;
  const weights = new Float32Array(COLOUR_DIMS * dim);
  for (let i = 0; i < COLOUR_DIMS; i++) weights[i * dim + i] = 1;
  const bias = new Float32Array(dim);
  // Subtracting grey turns the pooled colours into the same grey-relative units as the words.
  // Flatten of [N,3,2,2] puts channel c, quadrant q at c*4 + q.
  for (let i = 0; i < COLOUR_DIMS; i++) bias[i] = -normalised(0.5, Math.floor(i / QUADRANTS));
  bias[BIAS_DIM] = BIAS_VALUE;
  return {
    name: 'vision_model',
    node: [
      node(
        'AveragePool',
        ['pixel_values'],
        ['pooled'],
        [intsAttr('kernel_shape', [half, half]), intsAttr('strides', [half, half])],
      ),
      node('Flatten', ['pooled'], ['flat'], [intAttr('axis', 1)]),
      node('MatMul', ['flat', 'W'], ['projected']),
      node('Add', ['projected', 'b'], ['image_embeds']),
    ],
    initializer: [floatTensor('W', [COLOUR_DIMS, dim], weights), floatTensor('b', [dim], bias)],
    input: [valueInfo('pixel_values', FLOAT, ['batch', 3, size, size])],
    output: [valueInfo('image_embeds', FLOAT, ['batch', dim])],
  };
}

function textGraph(
  vocab: Record<string, number>,
  dim: number,
  contextLength: number,
  opts: TestModelOptions,
): Onnx.IGraphProto {
  const wordColours = opts.wordColours ?? {};
  const vocabSize = Object.values(vocab).reduce((max, id) => Math.max(max, id), 0) + 1;
  const table = new Float32Array(vocabSize * dim);
  table[BOS_ID * dim + BIAS_DIM] = BIAS_VALUE;
  // The padding (end) token is the vocabulary's last id.
  if (opts.paddingCounts === true) table[(vocabSize - 1) * dim] = 0.05;
  for (const [word, rgb] of Object.entries(COLOURS)) {
    const id = vocab[`${word}</w>`];
    if (id === undefined) throw new Error(`colour word "${word}" is not a single CLIP token`);
    const as = wordColours[word];
    table.set(colourEmbedding(as !== undefined ? (COLOURS[as] ?? rgb) : rgb), id * dim);
  }
  return {
    name: 'text_model',
    node: [
      node('Gather', ['E', 'input_ids'], ['token_embeds'], [intAttr('axis', 0)]),
      node('ReduceSum', ['token_embeds', 'sum_axes'], ['text_embeds'], [intAttr('keepdims', 0)]),
    ],
    initializer: [floatTensor('E', [vocabSize, dim], table), int64Tensor('sum_axes', [1])],
    input: [valueInfo('input_ids', INT64, ['batch', opts.dynamicSequence === true ? 'sequence' : contextLength])],
    output: [valueInfo('text_embeds', FLOAT, ['batch', dim])],
  };
}

function preprocessorConfig(size: number): object {
  return {
    do_resize: true,
    size: { shortest_edge: size },
    resample: 3,
    do_center_crop: true,
    crop_size: { height: size, width: size },
    do_rescale: true,
    rescale_factor: 0.00392156862745098,
    do_normalize: true,
    image_mean: [...IMAGE_MEAN],
    image_std: [...IMAGE_STD],
    do_convert_rgb: true,
    image_processor_type: 'CLIPImageProcessor',
  };
}

async function writeJson(file: string, value: object): Promise<void> {
  await writeFile(file, JSON.stringify(value, null, 2) + '\n');
}

/** Writes the model folder into `dir` (which may already exist) and returns `dir`. */
export async function makeTestModel(dir: string, opts: TestModelOptions = {}): Promise<string> {
  const { imageSize = 64, dim = 16, contextLength = 77 } = opts;
  if (imageSize < 2 || imageSize % 2 !== 0) throw new Error(`imageSize must be even, got ${imageSize}`);
  if (dim <= BIAS_DIM) throw new Error(`dim must exceed ${BIAS_DIM}, got ${dim}`);

  // Read and rewritten rather than copied: the sources are read-only and copyFile keeps the mode.
  const [tokenizerText, tokenizerConfigText] = await Promise.all([
    readFile(new URL('tokenizer.json', CLIP_DIR), 'utf8'),
    readFile(new URL('tokenizer_config.json', CLIP_DIR), 'utf8'),
  ]);
  const tokenizer = JSON.parse(tokenizerText) as { model: { vocab: Record<string, number> } };

  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  await Promise.all([
    writeFile(path.join(dir, 'onnx', 'vision_model.onnx'), encodeModel(visionGraph(imageSize, dim))),
    writeFile(
      path.join(dir, 'onnx', 'text_model.onnx'),
      encodeModel(textGraph(tokenizer.model.vocab, dim, contextLength, opts)),
    ),
    writeFile(path.join(dir, 'tokenizer.json'), tokenizerText),
    writeFile(path.join(dir, 'tokenizer_config.json'), tokenizerConfigText),
    writeJson(path.join(dir, 'preprocessor_config.json'), preprocessorConfig(imageSize)),
    writeJson(path.join(dir, 'config.json'), {
      _name_or_path: 'shoebox-test-clip',
      model_type: 'clip',
      projection_dim: dim,
      text_config: { max_position_embeddings: contextLength },
      vision_config: { image_size: imageSize },
    }),
  ]);
  return dir;
}
