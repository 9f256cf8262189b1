// Generates a model folder with the shapes and cost of OpenAI CLIP ViT-B/32 (about 4.4 GMACs
// per image) and seeded random weights, in the Hugging Face ONNX layout the app opens. The
// embeddings mean nothing; what the benchmark needs is the real graph's arithmetic and memory.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { FLOAT, GraphBuilder, INT64, floatAttr, intAttr, intsAttr } from './onnx-graph.ts';

/** Bump when the graph changes, so a stale cached folder is never benchmarked. */
export const VIT_MODEL_VERSION = 'vit-b32-v2';
const SEED = 0x5eed;
const CLIP_DIR = new URL('../../shared/clip/', import.meta.url);
export const CACHE_DIR = new URL('./.cache/', import.meta.url).pathname;

const IMAGE = 224;
const PATCH = 32;
const TOKENS = (IMAGE / PATCH) ** 2 + 1;
const VISION = { width: 768, heads: 12, mlp: 3072, layers: 12 };
const TEXT = { width: 512, heads: 8, mlp: 2048, layers: 12, vocab: 49408, context: 77 };
const EMBED_DIM = 512;
// CLIP's init scale: keeps activations in the normal float range, so no denormal slow paths.
const STD = 0.02;

interface LayerShape {
  width: number;
  heads: number;
  mlp: number;
}

function layerNorm(g: GraphBuilder, x: string, p: string, width: number): string {
  const scale = g.weight(`${p}.weight`, [width], 0, 1);
  const bias = g.weight(`${p}.bias`, [width], 0);
  return g.op('LayerNormalization', [x, scale, bias], p, [intAttr('axis', -1), floatAttr('epsilon', 1e-5)]);
}

function linear(g: GraphBuilder, x: string, p: string, inDim: number, outDim: number, bias = true): string {
  const y = g.op('MatMul', [x, g.weight(`${p}.weight`, [inDim, outDim], STD)], p);
  return bias ? g.op('Add', [y, g.weight(`${p}.bias`, [outDim], STD)], p) : y;
}

/** [N,S,W] → [N,heads,S,W/heads], or its transpose for keys. */
function splitHeads(g: GraphBuilder, x: string, p: string, s: LayerShape, perm: number[]): string {
  const shape = g.ints(`${p}.heads_shape`, [0, 0, s.heads, s.width / s.heads]);
  return g.op('Transpose', [g.op('Reshape', [x, shape], p)], p, [intsAttr('perm', perm)]);
}

/** Pre-LN self-attention as transformers' CLIPAttention exports it: q scaled, separate q/k/v. */
function attention(g: GraphBuilder, x: string, p: string, s: LayerShape, mask: string | null): string {
  const headDim = s.width / s.heads;
  const q = g.op('Mul', [linear(g, x, `${p}.q_proj`, s.width, s.width), g.scalar(`${p}.scale`, headDim ** -0.5)], p);
  const k = linear(g, x, `${p}.k_proj`, s.width, s.width);
  const v = linear(g, x, `${p}.v_proj`, s.width, s.width);
  let scores = g.op(
    'MatMul',
    [splitHeads(g, q, `${p}.q`, s, [0, 2, 1, 3]), splitHeads(g, k, `${p}.k`, s, [0, 2, 3, 1])],
    p,
  );
  if (mask) scores = g.op('Add', [scores, mask], p);
  const probs = g.op('Softmax', [scores], p, [intAttr('axis', -1)]);
  const ctx = g.op('MatMul', [probs, splitHeads(g, v, `${p}.v`, s, [0, 2, 1, 3])], p);
  const merged = g.op(
    'Reshape',
    [g.op('Transpose', [ctx], p, [intsAttr('perm', [0, 2, 1, 3])]), g.ints(`${p}.merge_shape`, [0, 0, s.width])],
    p,
  );
  return linear(g, merged, `${p}.out_proj`, s.width, s.width);
}

function encoderLayer(g: GraphBuilder, x: string, p: string, s: LayerShape, mask: string | null): string {
  const h = g.op('Add', [x, attention(g, layerNorm(g, x, `${p}.layer_norm1`, s.width), `${p}.self_attn`, s, mask)], p);
  const up = linear(g, layerNorm(g, h, `${p}.layer_norm2`, s.width), `${p}.mlp.fc1`, s.width, s.mlp);
  // QuickGELU, x * sigmoid(1.702 x), as OpenAI CLIP uses.
  const act = g.op('Mul', [up, g.op('Sigmoid', [g.op('Mul', [up, g.scalar(`${p}.gelu_k`, 1.702)], p)], p)], p);
  return g.op('Add', [h, linear(g, act, `${p}.mlp.fc2`, s.mlp, s.width)], p);
}

export function visionModel(): Uint8Array {
  const g = new GraphBuilder(SEED);
  const w = VISION.width;
  const conv = g.op(
    'Conv',
    ['pixel_values', g.weight('patch_embedding.weight', [w, 3, PATCH, PATCH], STD)],
    'embeddings',
    [intsAttr('kernel_shape', [PATCH, PATCH]), intsAttr('strides', [PATCH, PATCH])],
  );
  const patches = g.op(
    'Transpose',
    [g.op('Reshape', [conv, g.ints('patch_shape', [0, w, -1])], 'embeddings')],
    'embeddings',
    [intsAttr('perm', [0, 2, 1])],
  );
  // The class token is broadcast to the batch: [1,1,W] expanded to [N,1,W].
  const batch = g.op(
    'Slice',
    [g.op('Shape', ['pixel_values'], 'embeddings'), g.ints('zero', [0]), g.ints('one', [1])],
    'embeddings',
  );
  const clsShape = g.op('Concat', [batch, g.ints('cls_tail', [1, w])], 'embeddings', [intAttr('axis', 0)]);
  const cls = g.op('Expand', [g.weight('class_embedding', [1, 1, w], STD), clsShape], 'embeddings');
  const tokens = g.op('Concat', [cls, patches], 'embeddings', [intAttr('axis', 1)]);
  let x = layerNorm(
    g,
    g.op('Add', [tokens, g.weight('position_embedding', [TOKENS, w], STD)], 'embeddings'),
    'pre_layrnorm',
    w,
  );
  for (let i = 0; i < VISION.layers; i++) x = encoderLayer(g, x, `encoder.layers.${i}`, VISION, null);
  const pooled = layerNorm(
    g,
    g.op('Gather', [x, g.ints('cls_index', [0], [])], 'pool', [intAttr('axis', 1)]),
    'post_layernorm',
    w,
  );
  linear(g, pooled, 'visual_projection', w, EMBED_DIM, false);
  g.nameLast('image_embeds');
  return g.encode(
    'vision_model',
    [['pixel_values', FLOAT, ['batch', 3, IMAGE, IMAGE]]],
    [['image_embeds', FLOAT, ['batch', EMBED_DIM]]],
  );
}

export function textModel(): Uint8Array {
  const g = new GraphBuilder(SEED + 1);
  const { width: w, context: n } = TEXT;
  const embeds = g.op('Gather', [g.weight('token_embedding', [TEXT.vocab, w], STD), 'input_ids'], 'embeddings', [
    intAttr('axis', 0),
  ]);
  // The sequence axis is dynamic, as in transformers' exports: positions and the causal mask
  // are cut to the input's length, so a graph fed fewer than 77 tokens costs less.
  const seq = g.op(
    'Slice',
    [g.op('Shape', ['input_ids'], 'embeddings'), g.ints('one', [1]), g.ints('two', [2])],
    'embeddings',
  );
  const positions = g.op(
    'Slice',
    [g.weight('position_embedding', [n, w], 0.01), g.ints('zero', [0]), seq, g.ints('axis0', [0])],
    'embeddings',
  );
  let x = g.op('Add', [embeds, positions], 'embeddings');
  const causal = new Float32Array(n * n);
  for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) causal[r * n + c] = -1e9;
  const maxMask = g.floats('causal_mask', [n, n], causal);
  const maskEnds = g.op('Concat', [seq, seq], 'mask', [intAttr('axis', 0)]);
  const mask = g.op('Slice', [maxMask, g.ints('mask_starts', [0, 0]), maskEnds, g.ints('mask_axes', [0, 1])], 'mask');
  for (let i = 0; i < TEXT.layers; i++) x = encoderLayer(g, x, `encoder.layers.${i}`, TEXT, mask);
  x = layerNorm(g, x, 'final_layer_norm', w);
  // CLIP pools at the end token, the highest id in its vocabulary: argmax of the ids.
  const eos = g.op('ArgMax', ['input_ids'], 'pool', [intAttr('axis', -1), intAttr('keepdims', 1)]);
  const pooled = g.op('GatherND', [x, eos], 'pool', [intAttr('batch_dims', 1)]);
  linear(g, pooled, 'text_projection', w, EMBED_DIM, false);
  g.nameLast('text_embeds');
  return g.encode(
    'text_model',
    [['input_ids', INT64, ['batch', 'sequence']]],
    [['text_embeds', FLOAT, ['batch', EMBED_DIM]]],
  );
}

const preprocessorConfig = {
  crop_size: { height: IMAGE, width: IMAGE },
  do_center_crop: true,
  do_convert_rgb: true,
  do_normalize: true,
  do_rescale: true,
  do_resize: true,
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_processor_type: 'CLIPImageProcessor',
  image_std: [0.26862954, 0.26130258, 0.27577711],
  resample: 3,
  rescale_factor: 0.00392156862745098,
  size: { shortest_edge: IMAGE },
};

const modelConfig = {
  _name_or_path: `shoebox-bench-${VIT_MODEL_VERSION}`,
  model_type: 'clip',
  projection_dim: EMBED_DIM,
  text_config: {
    hidden_size: TEXT.width,
    intermediate_size: TEXT.mlp,
    num_attention_heads: TEXT.heads,
    num_hidden_layers: TEXT.layers,
    max_position_embeddings: TEXT.context,
    vocab_size: TEXT.vocab,
    hidden_act: 'quick_gelu',
  },
  vision_config: {
    hidden_size: VISION.width,
    intermediate_size: VISION.mlp,
    num_attention_heads: VISION.heads,
    num_hidden_layers: VISION.layers,
    image_size: IMAGE,
    patch_size: PATCH,
    hidden_act: 'quick_gelu',
  },
};

async function writeFolder(dir: string): Promise<void> {
  // Read and rewritten rather than copied: the sources are read-only and copyFile keeps the mode.
  const [tokenizer, tokenizerConfig] = await Promise.all([
    readFile(new URL('tokenizer.json', CLIP_DIR), 'utf8'),
    readFile(new URL('tokenizer_config.json', CLIP_DIR), 'utf8'),
  ]);
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  // One graph at a time: each is a few hundred MB of weights plus its encoded copy.
  await writeFile(path.join(dir, 'onnx', 'vision_model.onnx'), visionModel());
  await writeFile(path.join(dir, 'onnx', 'text_model.onnx'), textModel());
  await writeFile(path.join(dir, 'tokenizer.json'), tokenizer);
  await writeFile(path.join(dir, 'tokenizer_config.json'), tokenizerConfig);
  await writeFile(path.join(dir, 'preprocessor_config.json'), JSON.stringify(preprocessorConfig, null, 2) + '\n');
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(modelConfig, null, 2) + '\n');
}

/** Opens both graphs with onnxruntime and checks the output shapes the app relies on. */
export async function checkVitModel(dir: string): Promise<void> {
  const vision = await ort.InferenceSession.create(path.join(dir, 'onnx', 'vision_model.onnx'));
  const pixels = new ort.Tensor('float32', new Float32Array(2 * 3 * IMAGE * IMAGE), [2, 3, IMAGE, IMAGE]);
  const image = (await vision.run({ pixel_values: pixels })).image_embeds;
  await vision.release();
  const text = await ort.InferenceSession.create(path.join(dir, 'onnx', 'text_model.onnx'));
  const ids = new BigInt64Array(2 * TEXT.context);
  ids.set([49406n, 320n, 1929n, 49407n], 0);
  ids.set([49406n, 49407n], TEXT.context);
  const txt = (await text.run({ input_ids: new ort.Tensor('int64', ids, [2, TEXT.context]) })).text_embeds;
  // Cut to its own four tokens, the first text must embed exactly as when padded to 77.
  const cut = (await text.run({ input_ids: new ort.Tensor('int64', ids.slice(0, 4), [1, 4]) })).text_embeds;
  await text.release();
  const padded = (txt?.data as Float32Array | undefined)?.subarray(0, EMBED_DIM);
  const drift =
    padded && cut ? Math.max(...padded.map((v, i) => Math.abs(v - (cut.data as Float32Array)[i]!))) : Infinity;
  if (!(drift < 1e-3))
    throw new Error(`the text graph fed 4 tokens differs from the same text padded to 77 by ${drift}`);
  const shape = (t: ort.Tensor | undefined): string => (t ? t.dims.join('×') : 'missing');
  if (shape(image) !== `2×${EMBED_DIM}` || shape(txt) !== `2×${EMBED_DIM}`) {
    throw new Error(
      `generated model has image_embeds ${shape(image)} and text_embeds ${shape(txt)}, expected 2×${EMBED_DIM}`,
    );
  }
  const data = [...(image!.data as Float32Array), ...(txt!.data as Float32Array)];
  if (data.some((v) => !Number.isFinite(v))) throw new Error('generated model outputs non-finite values');
}

/** The cached folder, generated (and checked) on first use; later runs only stat it. */
export async function ensureVitModel(): Promise<string> {
  const dir = path.join(CACHE_DIR, VIT_MODEL_VERSION);
  if (await stat(path.join(dir, 'config.json')).catch(() => null)) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await writeFolder(tmp);
  await checkVitModel(tmp);
  // config.json is written last and the folder renamed whole, so a killed run leaves no
  // folder that looks complete.
  await rename(tmp, dir);
  return dir;
}

export async function vitModelSizes(dir: string): Promise<{ visionBytes: number; textBytes: number }> {
  const [v, t] = await Promise.all([
    stat(path.join(dir, 'onnx', 'vision_model.onnx')),
    stat(path.join(dir, 'onnx', 'text_model.onnx')),
  ]);
  return { visionBytes: v.size, textBytes: t.size };
}
