// Runs in a worker thread: owns the ONNX sessions so inference never blocks the thread that
// answers the UI, the CLI's progress output or IPC.
import { availableParallelism } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { ShoeboxError, errorMessage } from '../errors.ts';
import { ClipTokenizer } from '../model/clip-tokenizer.ts';
import { outputSize } from '../model/model-folder.ts';
import type { EmbedReply, EmbedRequest, EmbedWorkerInit, EmbedderInfo, WorkerHello } from './embed-protocol.ts';
import { createSession, inputShape, normaliseRows, outputShape, staticDim } from './onnx-session.ts';
import type { ExecutionProvider } from './onnx-session.ts';
import { tuningFor } from './providers.ts';
import { poolRows } from './text-pooling.ts';

const init = workerData as EmbedWorkerInit;

interface Opened {
  info: EmbedderInfo;
  vision: ort.InferenceSession;
  text: ort.InferenceSession;
  tokenizer: ClipTokenizer;
}

function contextLengthOf(textSession: ort.InferenceSession): number {
  const fromGraph = staticDim(inputShape(textSession, 'input_ids'), 1);
  if (fromGraph !== null) return fromGraph;
  const textConfig = init.config.text_config as Record<string, unknown> | undefined;
  const fromConfig = textConfig?.max_position_embeddings;
  if (typeof fromConfig === 'number' && fromConfig > 0) return fromConfig;
  const fromTokenizer = init.tokenizerConfig.model_max_length;
  if (typeof fromTokenizer === 'number' && fromTokenizer > 0 && fromTokenizer < 100_000) return fromTokenizer;
  throw new ShoeboxError('MODEL_INVALID', 'cannot tell the text context length: text_model.onnx has a dynamic sequence axis and config.json / tokenizer_config.json name none');
}

function inputSizeOf(visionSession: ort.InferenceSession): { width: number; height: number } {
  const shape = inputShape(visionSession, 'pixel_values');
  if (shape.dims.length !== 4) throw new ShoeboxError('MODEL_INVALID', `pixel_values must be [N,3,H,W], the graph says [${shape.dims.join(',')}]`);
  const h = staticDim(shape, 2);
  const w = staticDim(shape, 3);
  if (h !== null && w !== null) return { width: w, height: h };
  const fromSpec = outputSize(init.preprocess);
  if (fromSpec) return fromSpec;
  throw new ShoeboxError('MODEL_INVALID', 'cannot tell the image size: vision_model.onnx has dynamic H/W and preprocessor_config.json names no crop or exact size');
}

/** Opens both graphs on one provider and proves it with a warm-up inference. */
async function openOn(provider: ExecutionProvider, fallbacks: string[]): Promise<Opened> {
  const tuning = tuningFor(provider, init.threads ?? availableParallelism());
  const vision = await createSession(init.visionPath, provider, tuning.threads);
  const text = await createSession(init.textPath, provider, tuning.threads);
  const inputSize = inputSizeOf(vision);
  const contextLength = contextLengthOf(text);
  const tokenizer = new ClipTokenizer(init.tokenizerJson, init.tokenizerConfig, contextLength);
  const probe = new ort.Tensor('float32', new Float32Array(3 * inputSize.width * inputSize.height), [1, 3, inputSize.height, inputSize.width]);
  const out = (await vision.run({ pixel_values: probe })).image_embeds;
  if (!out) throw new ShoeboxError('MODEL_INVALID', `vision_model.onnx has no output "image_embeds" (outputs: ${vision.outputNames.join(', ')})`);
  const dim = out.dims[1] ?? 0;
  const textDim = staticDim(outputShape(text, 'text_embeds'), 1);
  if (textDim !== null && textDim !== dim) throw new ShoeboxError('MODEL_INVALID', `image embeddings have ${dim} dimensions but text embeddings ${textDim}`);
  const maxBatch = staticDim(inputShape(vision, 'pixel_values'), 0) ?? 256;
  return {
    info: { dim, inputSize, contextLength, provider, fallbacks, maxBatch, batch: Math.min(maxBatch, tuning.batch) },
    vision,
    text,
    tokenizer,
  };
}

/** The first provider in the list that opens the model and runs it; each failure is recorded. */
async function open(): Promise<Opened> {
  const fallbacks: string[] = [];
  const providers = init.providers.includes('cpu') ? init.providers : [...init.providers, 'cpu' as const];
  for (const provider of providers) {
    try {
      return await openOn(provider, fallbacks);
    } catch (err) {
      // A broken model fails on every provider: say so once, not as a provider problem.
      if (err instanceof ShoeboxError || provider === 'cpu') throw err;
      fallbacks.push(`${provider}: ${errorMessage(err)}`);
    }
  }
  throw new ShoeboxError('MODEL_INVALID', `no execution provider could run the model (${fallbacks.join('; ')})`);
}

async function embedImages(m: Opened, pixels: Float32Array, count: number): Promise<Float32Array> {
  const { width, height } = m.info.inputSize;
  // Exports with a fixed batch size (Immich's, for one) take one chunk of maxBatch at a time.
  const vectors = new Float32Array(count * m.info.dim);
  const per = 3 * height * width;
  for (let start = 0; start < count; start += m.info.maxBatch) {
    const n = Math.min(m.info.maxBatch, count - start);
    const input = new ort.Tensor('float32', pixels.subarray(start * per, (start + n) * per), [n, 3, height, width]);
    const out = (await m.vision.run({ pixel_values: input })).image_embeds!;
    vectors.set(out.data as Float32Array, start * m.info.dim);
  }
  return normaliseRows(vectors, m.info.dim);
}

/**
 * Texts longer than the context length are split at word boundaries and the normalised
 * embeddings of the parts averaged, instead of being cut off silently.
 */
async function embedTexts(m: Opened, texts: string[]): Promise<Float32Array> {
  const parts = texts.map((t) => m.tokenizer.chunks(t));
  const flat = parts.flat();
  const ids = new ort.Tensor('int64', m.tokenizer.encodeBatch(flat), [flat.length, m.tokenizer.contextLength]);
  const out = (await m.text.run({ input_ids: ids })).text_embeds;
  if (!out) throw new ShoeboxError('MODEL_INVALID', 'text_model.onnx has no output "text_embeds"');
  const rows = normaliseRows(new Float32Array(out.data as Float32Array), m.info.dim);
  return normaliseRows(poolRows(rows, m.info.dim, parts.map((p) => p.length)), m.info.dim);
}

async function serve(): Promise<void> {
  const port = parentPort!;
  let model: Opened;
  try {
    model = await open();
  } catch (err) {
    const hello: WorkerHello = { ok: false, message: errorMessage(err), code: err instanceof ShoeboxError ? err.code : 'MODEL_INVALID' };
    port.postMessage(hello);
    return;
  }
  port.postMessage({ ok: true, info: model.info } satisfies WorkerHello);
  port.on('message', (req: EmbedRequest) => {
    const work = req.kind === 'images' ? embedImages(model, req.pixels, req.count) : embedTexts(model, req.texts);
    work.then(
      (vectors) => port.postMessage({ id: req.id, ok: true, vectors } satisfies EmbedReply, [vectors.buffer as ArrayBuffer]),
      (err: unknown) => port.postMessage({ id: req.id, ok: false, message: errorMessage(err), code: err instanceof ShoeboxError ? err.code : 'INTERNAL' } satisfies EmbedReply),
    );
  });
}

void serve();
