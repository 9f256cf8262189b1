// Which inputs and outputs of the two ONNX graphs the embedder feeds and reads. The common
// Hugging Face export names them pixel_values/image_embeds and input_ids/text_embeds; Immich's
// exports use image/text/embedding, take int32 token ids and (M-CLIP) an attention mask, and
// SigLIP's transformers.js export answers in pooler_output. Names recorded in the folder's
// shoebox-model.json win; otherwise the Hugging Face names, else the one input or rank-2 output
// that fits.
import * as ort from 'onnxruntime-node';
import { ShoeboxError } from '../errors.ts';
import type { ClipTokenizer } from './clip-tokenizer.ts';

export interface ModelIo {
  visionInput: string;
  visionOutput: string;
  textInput: string;
  textOutput: string;
  /** The text graph's attention-mask input, when it has one (M-CLIP exports do). */
  textMask?: string;
}

export const HF_IO: Readonly<ModelIo> = {
  visionInput: 'pixel_values',
  visionOutput: 'image_embeds',
  textInput: 'input_ids',
  textOutput: 'text_embeds',
};

type IntType = 'int32' | 'int64';

export interface ResolvedIo extends ModelIo {
  textInputType: IntType;
  textMaskType: IntType;
}

type Meta = ort.InferenceSession.ValueMetadata;
type TensorMeta = ort.InferenceSession.TensorValueMetadata;

/** The slice of an InferenceSession that name resolution reads (so tests can hand in plain data). */
export interface GraphMeta {
  readonly inputMetadata: readonly Meta[];
  readonly outputMetadata: readonly Meta[];
}

const MASK = /mask/i;

function tensors(meta: readonly Meta[]): TensorMeta[] {
  return meta.filter((m): m is TensorMeta => m.isTensor);
}

function names(meta: readonly Meta[]): string {
  return meta.map((m) => m.name).join(', ') || 'none';
}

function pick(
  meta: readonly Meta[],
  explicit: string | undefined,
  fallback: string,
  candidates: (t: TensorMeta[]) => TensorMeta[],
  what: string,
): TensorMeta {
  const all = tensors(meta);
  if (explicit !== undefined) {
    const hit = all.find((m) => m.name === explicit);
    if (!hit)
      throw new ShoeboxError(
        'MODEL_INVALID',
        `shoebox-model.json names ${what} "${explicit}", but the graph has ${names(meta)}`,
      );
    return hit;
  }
  const byName = all.find((m) => m.name === fallback);
  if (byName) return byName;
  const fits = candidates(all);
  if (fits.length === 1) return fits[0]!;
  throw new ShoeboxError(
    'MODEL_INVALID',
    `cannot tell which is ${what} (the graph has ${names(meta)}): name it in shoebox-model.json`,
  );
}

function intType(m: TensorMeta, what: string): IntType {
  if (m.type === 'int32' || m.type === 'int64') return m.type;
  throw new ShoeboxError(
    'MODEL_INVALID',
    `${what} "${m.name}" takes ${m.type}; only int32 and int64 token ids are supported`,
  );
}

/** Resolves the names the embedder uses; throws naming the graph's real inputs when it cannot. */
export function resolveGraphIo(vision: GraphMeta, text: GraphMeta, wanted: Partial<ModelIo> = {}): ResolvedIo {
  const rank2 = (t: TensorMeta[]): TensorMeta[] => t.filter((m) => m.shape.length === 2);
  const visionInput = pick(
    vision.inputMetadata,
    wanted.visionInput,
    HF_IO.visionInput,
    (t) => t,
    'the image input of the vision graph',
  );
  const visionOutput = pick(
    vision.outputMetadata,
    wanted.visionOutput,
    HF_IO.visionOutput,
    rank2,
    'the embedding output of the vision graph',
  );
  const textInput = pick(
    text.inputMetadata,
    wanted.textInput,
    HF_IO.textInput,
    (t) => t.filter((m) => !MASK.test(m.name)),
    'the token input of the text graph',
  );
  const textOutput = pick(
    text.outputMetadata,
    wanted.textOutput,
    HF_IO.textOutput,
    rank2,
    'the embedding output of the text graph',
  );
  const maskMeta =
    wanted.textMask !== undefined
      ? pick(
          text.inputMetadata,
          wanted.textMask,
          wanted.textMask,
          () => [],
          'the attention-mask input of the text graph',
        )
      : tensors(text.inputMetadata).find((m) => m !== textInput && MASK.test(m.name));
  const others = tensors(text.inputMetadata).filter((m) => m !== textInput && m !== maskMeta);
  if (others.length > 0)
    throw new ShoeboxError('MODEL_INVALID', `the text graph also needs ${names(others)}, which Shoebox cannot feed`);
  return {
    visionInput: visionInput.name,
    visionOutput: visionOutput.name,
    textInput: textInput.name,
    textOutput: textOutput.name,
    ...(maskMeta ? { textMask: maskMeta.name } : {}),
    textInputType: intType(textInput, 'the token input'),
    textMaskType: maskMeta ? intType(maskMeta, 'the attention mask') : 'int64',
  };
}

function intTensor(type: IntType, data: BigInt64Array, dims: readonly number[]): ort.Tensor {
  return type === 'int64'
    ? new ort.Tensor('int64', data, dims)
    : new ort.Tensor('int32', Int32Array.from(data, Number), dims);
}

/** The text graph's feeds for a batch: padded token ids, and a mask of the real tokens if it takes one. */
/** `trim` pads only to the batch's longest text (for graphs where padding provably changes nothing). */
export function textFeeds(
  io: ResolvedIo,
  tokenizer: ClipTokenizer,
  texts: readonly string[],
  trim = false,
): Record<string, ort.Tensor> {
  const width = trim ? Math.max(1, ...texts.map((t) => tokenizer.ids(t).length)) : tokenizer.contextLength;
  const dims = [texts.length, width];
  const feeds: Record<string, ort.Tensor> = {
    [io.textInput]: intTensor(io.textInputType, tokenizer.encodeBatch(texts, width), dims),
  };
  if (io.textMask !== undefined) {
    const mask = new BigInt64Array(texts.length * width);
    texts.forEach((text, row) => mask.fill(1n, row * width, row * width + tokenizer.ids(text).length));
    feeds[io.textMask] = intTensor(io.textMaskType, mask, dims);
  }
  return feeds;
}

export interface GraphProbe {
  io: ResolvedIo;
  /** The embedding size when the graph states it (a static last axis). */
  dim: number | null;
  /** The text context length when the token input's sequence axis is static. */
  contextLength: number | null;
}

/**
 * Opens both graphs on the CPU without optimising them, only to read their inputs and outputs:
 * proves an installed or imported model loads (external weight files included) before it is
 * put in place, and finds the names to record in shoebox-model.json.
 */
export async function probeGraphs(
  visionPath: string,
  textPath: string,
  wanted?: Partial<ModelIo>,
): Promise<GraphProbe> {
  // One graph at a time, so a large model needs its biggest graph's memory, not both.
  const metadata = async (path: string, which: string): Promise<GraphMeta> => {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(path, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'disabled',
        intraOpNumThreads: 1,
      });
    } catch (err) {
      throw new ShoeboxError('MODEL_INVALID', `the ${which} graph cannot be opened: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const meta = { inputMetadata: [...session.inputMetadata], outputMetadata: [...session.outputMetadata] };
    await session.release();
    return meta;
  };
  const vision = await metadata(visionPath, 'vision');
  const text = await metadata(textPath, 'text');
  const io = resolveGraphIo(vision, text, wanted);
  const axis = (meta: readonly Meta[], name: string, i: number): number | null => {
    const d = tensors(meta).find((m) => m.name === name)?.shape[i];
    return typeof d === 'number' && d > 0 ? d : null;
  };
  return {
    io,
    dim: axis(vision.outputMetadata, io.visionOutput, 1),
    contextLength: axis(text.inputMetadata, io.textInput, 1),
  };
}
