// The inference process: owns the ONNX sessions, so inference never blocks the thread that
// answers the UI, the CLI's progress output or IPC, a crashing GPU driver takes down only this
// process, and the memory of both encoders (~1 GB in fp32 for ViT-B/32) goes back to the system
// when the embedder lets it exit after a quiet spell. Started by child_process.fork under Node and
// as an Electron utility process by the app (see inference-channel.ts).
import '../no-telemetry.ts';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { ShoeboxError, errorMessage } from '../errors.ts';
import { ClipTokenizer } from '../model/clip-tokenizer.ts';
import { outputSize } from '../model/model-folder.ts';
import type { PreprocessSpec } from '../model/model-folder.ts';
import { batchTensor } from '../decode/preprocess.ts';
import { resolveGraphIo, textFeeds } from '../model/graph-io.ts';
import type { ResolvedIo } from '../model/graph-io.ts';
import type {
  EmbedReply,
  EmbedderInfo,
  InferenceHello,
  InferenceInit,
  InferenceMessage,
  OpenedInfo,
  ParentMessage,
} from './embed-protocol.ts';
import { ImageEncoder } from './image-encoder.ts';
import { FaceReader } from './face-reader.ts';
import { TextReaders } from './text-readers.ts';
import { createSession, createSessionOrCpu, inputShape, outputShape, staticDim } from './onnx-session.ts';
import { normaliseRows } from '../vectors.ts';
import { parentLink } from '../child-process.ts';
import type { ParentLink as Link } from '../child-process.ts';
import type { ExecutionProvider } from './onnx-session.ts';
import { tuningFor } from './providers.ts';
import { poolRows } from './text-pooling.ts';

type ParentLink = Link<InferenceMessage, ParentMessage>;

interface Opened {
  info: EmbedderInfo;
  images: ImageEncoder;
  text: ort.InferenceSession;
  tokenizer: ClipTokenizer;
  /** Graph input/output names (Immich's exports differ from Hugging Face's; see graph-io.ts). */
  io: ResolvedIo;
  /** Largest batch the text graph accepts (1 for exports with a fixed batch size). */
  textBatch: number;
  /** How photos' bytes become the vision graph's input. */
  preprocess: PreprocessSpec;
}

function contextLengthOf(init: InferenceInit, textSession: ort.InferenceSession, input: string): number {
  const fromGraph = staticDim(inputShape(textSession, input), 1);
  if (fromGraph !== null) return fromGraph;
  const textConfig = init.config.text_config as Record<string, unknown> | undefined;
  const fromConfig = textConfig?.max_position_embeddings;
  if (typeof fromConfig === 'number' && fromConfig > 0) return fromConfig;
  const fromTokenizer = init.tokenizerConfig.model_max_length;
  if (typeof fromTokenizer === 'number' && fromTokenizer > 0 && fromTokenizer < 100_000) return fromTokenizer;
  throw new ShoeboxError(
    'MODEL_INVALID',
    'cannot tell the text context length: text_model.onnx has a dynamic sequence axis and config.json / tokenizer_config.json name none',
  );
}

function inputSizeOf(
  init: InferenceInit,
  visionSession: ort.InferenceSession,
  input: string,
): { width: number; height: number } {
  const shape = inputShape(visionSession, input);
  if (shape.dims.length !== 4)
    throw new ShoeboxError('MODEL_INVALID', `${input} must be [N,3,H,W], the graph says [${shape.dims.join(',')}]`);
  const height = staticDim(shape, 2);
  const width = staticDim(shape, 3);
  if (height !== null && width !== null) return { width, height };
  const fromSpec = outputSize(init.preprocess);
  if (fromSpec) return fromSpec;
  throw new ShoeboxError(
    'MODEL_INVALID',
    'cannot tell the image size: vision_model.onnx has dynamic H/W and preprocessor_config.json names no crop or exact size',
  );
}

/**
 * Whether padding a text out to the context length changes its embedding. CLIP's text tower is
 * causal and reads its features at the end token, so for it the padding is dead weight: a typical
 * query has ~8 tokens of 77, and feeding only those cuts a text query's encode several times over
 * (the album vocabulary's too). Other towers mean-pool or read the last position, where padding
 * counts; so it is proved on the model itself, once, rather than assumed from its name.
 */
async function paddingIsInert(text: ort.InferenceSession, io: ResolvedIo, tokenizer: ClipTokenizer): Promise<boolean> {
  const probe = ['a photo of a dog on the beach'];
  const run = async (trim: boolean): Promise<Float32Array> => {
    const out = (await text.run(textFeeds(io, tokenizer, probe, trim)))[io.textOutput];
    if (!out) throw new ShoeboxError('MODEL_INVALID', `text_model.onnx has no output "${io.textOutput}"`);
    return normaliseRows(Float32Array.from(out.data as Float32Array), out.dims[1] ?? 0);
  };
  const full = await run(false);
  const trimmed = await run(true);
  return full.length === trimmed.length && full.every((x, k) => Math.abs(x - trimmed[k]!) < 1e-4);
}

/**
 * The image encoder, reopened after each quiet spell on the provider the model was proved on; if
 * that provider fails by then, on the CPU for the rest of this process, and the parent is told.
 */
function imageEncoder(
  init: InferenceInit,
  link: ParentLink,
  provider: ExecutionProvider,
  threads: number,
  vision: ort.InferenceSession | null,
): ImageEncoder {
  let current = provider;
  const cpuThreads = tuningFor('cpu', init.threads ?? availableParallelism()).threads;
  const reopen = async (): Promise<ort.InferenceSession> => {
    const opened = await createSessionOrCpu(init.visionPath, current, { provider: threads, cpu: cpuThreads }, false);
    if (opened.fallback !== null) {
      current = opened.provider;
      link.post({ type: 'fell-back', provider: opened.provider, reason: opened.fallback });
    }
    return opened.session;
  };
  return new ImageEncoder(vision, reopen, init.releaseImagesAfterMs ?? 30_000, (loaded) =>
    link.post({ type: 'image-encoder', loaded }),
  );
}

/** Opens both graphs on one provider and proves it with a warm-up inference. */
async function openOn(
  init: InferenceInit,
  link: ParentLink,
  provider: ExecutionProvider,
  fallbacks: string[],
): Promise<Opened> {
  const tuning = tuningFor(provider, init.threads ?? availableParallelism());
  const vision = await createSession(init.visionPath, provider, tuning.threads, false);
  const text = await createSession(init.textPath, provider, tuning.threads);
  const io = resolveGraphIo(vision, text, init.io);
  const inputSize = inputSizeOf(init, vision, io.visionInput);
  const contextLength = contextLengthOf(init, text, io.textInput);
  const tokenizer = new ClipTokenizer(init.tokenizerJson, init.tokenizerConfig, contextLength);
  const probe = new ort.Tensor('float32', new Float32Array(3 * inputSize.width * inputSize.height), [
    1,
    3,
    inputSize.height,
    inputSize.width,
  ]);
  const out = (await vision.run({ [io.visionInput]: probe }))[io.visionOutput];
  if (!out)
    throw new ShoeboxError(
      'MODEL_INVALID',
      `vision_model.onnx has no output "${io.visionOutput}" (outputs: ${vision.outputNames.join(', ')})`,
    );
  const dim = out.dims[1] ?? 0;
  const textDim = staticDim(outputShape(text, io.textOutput), 1);
  if (textDim !== null && textDim !== dim)
    throw new ShoeboxError('MODEL_INVALID', `image embeddings have ${dim} dimensions but text embeddings ${textDim}`);
  const maxBatch = staticDim(inputShape(vision, io.visionInput), 0) ?? 256;
  const trimsText =
    staticDim(inputShape(text, io.textInput), 1) === null && (await paddingIsInert(text, io, tokenizer));
  const info = {
    dim,
    inputSize,
    contextLength,
    provider,
    fallbacks,
    maxBatch,
    batch: Math.min(maxBatch, tuning.batch),
    trimsText,
  };
  return assemble(init, link, { info, io }, text, vision, tuning.threads, tokenizer);
}

/**
 * A restart after an idle exit: the model and its provider were proved by an earlier process, so
 * only the text graph opens now (a search is the usual reason to wake) and the image encoder
 * waits for the first photo.
 */
async function reopen(init: InferenceInit, link: ParentLink, known: OpenedInfo): Promise<Opened> {
  const threads = tuningFor(known.info.provider, init.threads ?? availableParallelism()).threads;
  const text = await createSession(init.textPath, known.info.provider, threads);
  return assemble(init, link, known, text, null, threads);
}

/** The open model from what is known about it, its text session and (once open) its vision session. */
function assemble(
  init: InferenceInit,
  link: ParentLink,
  { info, io }: OpenedInfo,
  text: ort.InferenceSession,
  vision: ort.InferenceSession | null,
  threads: number,
  tokenizer = new ClipTokenizer(init.tokenizerJson, init.tokenizerConfig, info.contextLength),
): Opened {
  return {
    info,
    images: imageEncoder(init, link, info.provider, threads, vision),
    text,
    tokenizer,
    io,
    textBatch: staticDim(inputShape(text, io.textInput), 0) ?? 256,
    preprocess: init.preprocess,
  };
}

/** The first provider in the list that opens the model and runs it; each failure is recorded. */
async function open(init: InferenceInit, link: ParentLink): Promise<Opened> {
  if (init.known) {
    try {
      return await reopen(init, link, init.known);
    } catch {
      // The proved provider is gone (a driver update, an unplugged eGPU): choose again below.
    }
  }
  const fallbacks: string[] = [];
  const providers = init.providers.includes('cpu') ? init.providers : [...init.providers, 'cpu' as const];
  for (const provider of providers) {
    try {
      return await openOn(init, link, provider, fallbacks);
    } catch (err) {
      // A broken model fails on every provider: say so once, not as a provider problem.
      if (err instanceof ShoeboxError || provider === 'cpu') throw err;
      fallbacks.push(`${provider}: ${errorMessage(err)}`);
    }
  }
  throw new ShoeboxError('MODEL_INVALID', `no execution provider could run the model (${fallbacks.join('; ')})`);
}

async function embedImages(model: Opened, rgb: Uint8Array, count: number): Promise<Float32Array> {
  const { width, height } = model.info.inputSize;
  const pixels = batchTensor(rgb, count, model.info.inputSize, model.preprocess);
  // Exports with a fixed batch size (Immich's, for one) take one chunk of maxBatch at a time.
  const vectors = new Float32Array(count * model.info.dim);
  const per = 3 * height * width;
  await model.images.run(async (vision) => {
    for (let start = 0; start < count; start += model.info.maxBatch) {
      const n = Math.min(model.info.maxBatch, count - start);
      const input = new ort.Tensor('float32', pixels.subarray(start * per, (start + n) * per), [n, 3, height, width]);
      const out = (await vision.run({ [model.io.visionInput]: input }))[model.io.visionOutput]!;
      vectors.set(out.data as Float32Array, start * model.info.dim);
    }
  });
  return normaliseRows(vectors, model.info.dim);
}

/**
 * Texts longer than the context length are split at word boundaries and the normalised
 * embeddings of the parts averaged, instead of being cut off silently.
 */
async function embedTexts(model: Opened, texts: string[]): Promise<Float32Array> {
  const parts = texts.map((t) => model.tokenizer.chunks(t));
  const flat = parts.flat();
  const rows = new Float32Array(flat.length * model.info.dim);
  // Like images, texts go in chunks the graph accepts (a fixed batch of 1 in Immich's exports).
  for (let start = 0; start < flat.length; start += model.textBatch) {
    const out = (
      await model.text.run(
        textFeeds(model.io, model.tokenizer, flat.slice(start, start + model.textBatch), model.info.trimsText),
      )
    )[model.io.textOutput];
    if (!out) throw new ShoeboxError('MODEL_INVALID', `text_model.onnx has no output "${model.io.textOutput}"`);
    rows.set(out.data as Float32Array, start * model.info.dim);
  }
  normaliseRows(rows, model.info.dim);
  return normaliseRows(
    poolRows(
      rows,
      model.info.dim,
      parts.map((p) => p.length),
    ),
    model.info.dim,
  );
}

function failure(id: number, err: unknown): EmbedReply {
  return {
    type: 'failed',
    id,
    message: errorMessage(err),
    code: err instanceof ShoeboxError ? err.code : 'INTERNAL',
  };
}

function serve(): void {
  const link = parentLink<InferenceMessage, ParentMessage>('inference');
  let model: Promise<Opened> | null = null;
  const readers = new TextReaders(() => textThreads);
  let faces: Promise<FaceReader> | null = null;
  let textThreads = 1;
  link.onMessage((msg) => {
    if (msg.type === 'init') {
      textThreads = msg.init.threads ?? Math.min(2, availableParallelism());
      model ??= open(msg.init, link);
      model.then(
        (opened) => link.post({ type: 'hello', opened: { info: opened.info, io: opened.io } } satisfies InferenceHello),
        (err: unknown) =>
          link.post({
            type: 'open-failed',
            message: errorMessage(err),
            code: err instanceof ShoeboxError ? err.code : 'MODEL_INVALID',
          } satisfies InferenceHello),
      );
      return;
    }
    const req = msg;
    if (req.type === 'read-text') {
      readers
        .use(req.recogniser, (r) =>
          req.detectOnly === true
            ? r
                .detect(req.rgb, req.width, req.height)
                .then((boxes) => boxes.map((b) => ({ text: '', confidence: b.score, corners: b.corners })))
            : r.read(req.rgb, req.width, req.height),
        )
        .then(
          (lines) => link.post({ type: 'lines', id: req.id, lines } satisfies EmbedReply),
          (err: unknown) => link.post(failure(req.id, err)),
        );
      return;
    }
    if (req.type === 'find-faces') {
      // Like the OCR models, the face models open on first use.
      faces ??= FaceReader.open(textThreads);
      faces
        .then((r) => r.find(req.rgb, req.width, req.height))
        .then(
          (found) => link.post({ type: 'faces', id: req.id, faces: found } satisfies EmbedReply),
          (err: unknown) => link.post(failure(req.id, err)),
        );
      return;
    }
    const work = (model ?? Promise.reject(new ShoeboxError('INTERNAL', 'a request came before the model'))).then(
      (opened) => (req.type === 'images' ? embedImages(opened, req.rgb, req.count) : embedTexts(opened, req.texts)),
    );
    work.then(
      (vectors) => link.post({ type: 'result', id: req.id, vectors } satisfies EmbedReply),
      (err: unknown) =>
        link.post({
          type: 'failed',
          id: req.id,
          message: errorMessage(err),
          code: err instanceof ShoeboxError ? err.code : 'INTERNAL',
        } satisfies EmbedReply),
    );
  });
}

serve();
