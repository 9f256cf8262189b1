// Generates a tiny model folder in Immich's layout from the test model (tests/support/test-model.ts):
// the same weights, so colour words still match colour photos, but exported the way Immich's
// exporter does it (machine-learning/export in immich-app/immich): visual/ and textual/ folders,
// inputs named image/text (M-CLIP: input_ids + attention_mask), int32 token ids, one output named
// embedding that is already L2-normalised, a fixed batch of 1, open_clip's preprocess_cfg.json,
// and optionally the text weights in an external file beside the graph (as Immich's 2 GB M-CLIP
// text encoder keeps them).
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import { makeTestModel } from './test-model.ts';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT32 = onnx.TensorProto.DataType.INT32;
const INT64 = onnx.TensorProto.DataType.INT64;

export interface ImmichModelOptions {
  /** openclip: one `text` input; mclip: `input_ids` + `attention_mask`, as Immich's M-CLIP exports. */
  variant?: 'openclip' | 'mclip';
  /** Keep the text graph's embedding table in textual/<name> rather than inside model.onnx. */
  externalTextWeights?: string;
  imageSize?: number;
  dim?: number;
  contextLength?: number;
}

function valueInfo(name: string, elemType: number, dims: number[]): Onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } };
}

function node(
  opType: string,
  input: string[],
  output: string[],
  attribute: Onnx.IAttributeProto[] = [],
): Onnx.INodeProto {
  return { opType, input, output, attribute, name: output[0] ?? opType };
}

function rename(graph: Onnx.IGraphProto, from: string, to: string): void {
  for (const n of graph.node ?? []) {
    n.input = (n.input ?? []).map((x) => (x === from ? to : x));
    n.output = (n.output ?? []).map((x) => (x === from ? to : x));
  }
}

/** Renames the graph's output to `raw` and appends embedding = raw / ‖raw‖. */
function normaliseOutput(graph: Onnx.IGraphProto, output: string, dim: number): void {
  rename(graph, output, 'raw');
  graph.node!.push(
    node(
      'ReduceL2',
      ['raw'],
      ['norm'],
      [
        { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
        { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
      ],
    ),
    node('Div', ['raw', 'norm'], ['embedding']),
  );
  graph.output = [valueInfo('embedding', FLOAT, [1, dim])];
}

function decode(bytes: Uint8Array): Onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

function visionGraph(model: Onnx.ModelProto, size: number, dim: number): void {
  const graph = model.graph!;
  rename(graph, 'pixel_values', 'image');
  graph.input = [valueInfo('image', FLOAT, [1, 3, size, size])];
  normaliseOutput(graph, 'image_embeds', dim);
}

function textGraph(model: Onnx.ModelProto, o: Required<Omit<ImmichModelOptions, 'externalTextWeights'>>): void {
  const graph = model.graph!;
  if (o.variant === 'openclip') {
    rename(graph, 'input_ids', 'text');
    graph.input = [valueInfo('text', INT32, [1, o.contextLength])];
  } else {
    // The mask zeroes padding tokens before the sum, so the graph really consumes it.
    const gather = graph.node!.find((n) => n.opType === 'Gather')!;
    gather.output = ['unmasked'];
    gather.name = 'unmasked';
    graph.node!.splice(
      1,
      0,
      node(
        'Cast',
        ['attention_mask'],
        ['mask_f'],
        [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }],
      ),
      node('Unsqueeze', ['mask_f', 'mask_axes'], ['mask_3d']),
      node('Mul', ['unmasked', 'mask_3d'], ['token_embeds']),
    );
    graph.initializer!.push({ name: 'mask_axes', dims: [1], dataType: INT64, int64Data: [2] });
    graph.input = [
      valueInfo('input_ids', INT32, [1, o.contextLength]),
      valueInfo('attention_mask', INT32, [1, o.contextLength]),
    ];
  }
  normaliseOutput(graph, 'text_embeds', o.dim);
}

/** Moves initializer `name`'s bytes into `file` beside the graph, as ONNX external data. */
function externalise(model: Onnx.ModelProto, name: string): Uint8Array {
  const t = model.graph!.initializer!.find((i) => i.name === name)!;
  const bytes = t.rawData!;
  t.rawData = new Uint8Array(0);
  t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  return bytes;
}

/** Writes an Immich-layout folder into `dir` and returns `dir`. */
export async function makeImmichTestModel(dir: string, opts: ImmichModelOptions = {}): Promise<string> {
  const o = {
    variant: opts.variant ?? 'openclip',
    imageSize: opts.imageSize ?? 64,
    dim: opts.dim ?? 16,
    contextLength: opts.contextLength ?? 77,
  } as const;
  const hf = await makeTestModel(await mkdtemp(path.join(os.tmpdir(), 'shoebox-immich-src-')), o);
  try {
    const vision = decode(await readFile(path.join(hf, 'onnx/vision_model.onnx')));
    const text = decode(await readFile(path.join(hf, 'onnx/text_model.onnx')));
    visionGraph(vision, o.imageSize, o.dim);
    textGraph(text, o);
    await mkdir(path.join(dir, 'visual'), { recursive: true });
    await mkdir(path.join(dir, 'textual'), { recursive: true });
    if (opts.externalTextWeights !== undefined) {
      const bytes = externalise(text, 'E');
      text.graph!.initializer!.find((i) => i.name === 'E')!.externalData = [
        { key: 'location', value: opts.externalTextWeights },
      ];
      await writeFile(path.join(dir, 'textual', opts.externalTextWeights), bytes);
    }
    await writeFile(path.join(dir, 'visual/model.onnx'), onnx.ModelProto.encode(vision).finish());
    await writeFile(path.join(dir, 'textual/model.onnx'), onnx.ModelProto.encode(text).finish());
    await copyFile(path.join(hf, 'tokenizer.json'), path.join(dir, 'textual/tokenizer.json'));
    await copyFile(path.join(hf, 'tokenizer_config.json'), path.join(dir, 'textual/tokenizer_config.json'));
    const preprocess = {
      size: [o.imageSize, o.imageSize],
      mode: 'RGB',
      mean: [0.48145466, 0.4578275, 0.40821073],
      std: [0.26862954, 0.26130258, 0.27577711],
      interpolation: 'bicubic',
      resize_mode: 'shortest',
      fill_color: 0,
    };
    await writeFile(path.join(dir, 'visual/preprocess_cfg.json'), JSON.stringify(preprocess));
    await writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({
        embed_dim: o.dim,
        vision_cfg: { image_size: o.imageSize },
        text_cfg: { context_length: o.contextLength },
      }),
    );
    return dir;
  } finally {
    await rm(hf, { recursive: true, force: true });
  }
}
