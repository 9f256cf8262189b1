// Runs in a worker thread: owns the ONNX sessions so inference never blocks the thread that
// answers the UI, the CLI's progress output or IPC.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { ShoeboxError, errorMessage } from '../errors.ts';
import { ClipTokenizer } from '../model/clip-tokenizer.ts';
import { outputSize } from '../model/model-folder.ts';
import type { EmbedReply, EmbedRequest, EmbedWorkerInit, EmbedderInfo, WorkerHello } from './embed-protocol.ts';
import { inputShape, normaliseRows, openSession, outputShape, staticDim } from './onnx-session.ts';

const init = workerData as EmbedWorkerInit;

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

async function open(): Promise<{ info: EmbedderInfo; vision: ort.InferenceSession; text: ort.InferenceSession; tokenizer: ClipTokenizer }> {
  const opts = { providers: init.providers, threads: init.threads };
  const vision = await openSession(init.visionPath, opts);
  const text = await openSession(init.textPath, opts);
  const inputSize = inputSizeOf(vision.session);
  const contextLength = contextLengthOf(text.session);
  const tokenizer = new ClipTokenizer(init.tokenizerJson, init.tokenizerConfig, contextLength);
  // The warm-up proves the provider really runs the graph and tells D from the real output.
  const probe = new ort.Tensor('float32', new Float32Array(3 * inputSize.width * inputSize.height), [1, 3, inputSize.height, inputSize.width]);
  const out = (await vision.session.run({ pixel_values: probe })).image_embeds;
  if (!out) throw new ShoeboxError('MODEL_INVALID', `vision_model.onnx has no output "image_embeds" (outputs: ${vision.session.outputNames.join(', ')})`);
  const dim = out.dims[1] ?? 0;
  const textDim = staticDim(outputShape(text.session, 'text_embeds'), 1);
  if (textDim !== null && textDim !== dim) throw new ShoeboxError('MODEL_INVALID', `image embeddings have ${dim} dimensions but text embeddings ${textDim}`);
  const batchDim = staticDim(inputShape(vision.session, 'pixel_values'), 0);
  return {
    info: { dim, inputSize, contextLength, provider: vision.provider, fallbacks: vision.fallbacks, maxBatch: batchDim ?? 256 },
    vision: vision.session,
    text: text.session,
    tokenizer,
  };
}

async function serve(): Promise<void> {
  const port = parentPort!;
  let model: Awaited<ReturnType<typeof open>>;
  try {
    model = await open();
  } catch (err) {
    const hello: WorkerHello = { ok: false, message: errorMessage(err), code: err instanceof ShoeboxError ? err.code : 'MODEL_INVALID' };
    port.postMessage(hello);
    return;
  }
  const { info, vision, text, tokenizer } = model;
  port.postMessage({ ok: true, info } satisfies WorkerHello);
  const { width, height } = info.inputSize;
  port.on('message', (req: EmbedRequest) => {
    const run = async (): Promise<Float32Array> => {
      if (req.kind === 'images') {
        // Exports with a fixed batch size (Immich's, for one) take one chunk of maxBatch at a time.
        const vectors = new Float32Array(req.count * info.dim);
        const per = 3 * height * width;
        for (let start = 0; start < req.count; start += info.maxBatch) {
          const n = Math.min(info.maxBatch, req.count - start);
          const input = new ort.Tensor('float32', req.pixels.subarray(start * per, (start + n) * per), [n, 3, height, width]);
          const out = (await vision.run({ pixel_values: input })).image_embeds!;
          vectors.set(out.data as Float32Array, start * info.dim);
        }
        return normaliseRows(vectors, info.dim);
      }
      const ids = new ort.Tensor('int64', tokenizer.encodeBatch(req.texts), [req.texts.length, tokenizer.contextLength]);
      const out = (await text.run({ input_ids: ids })).text_embeds;
      if (!out) throw new ShoeboxError('MODEL_INVALID', 'text_model.onnx has no output "text_embeds"');
      return normaliseRows(new Float32Array(out.data as Float32Array), info.dim);
    };
    run().then(
      (vectors) => port.postMessage({ id: req.id, ok: true, vectors } satisfies EmbedReply, [vectors.buffer as ArrayBuffer]),
      (err: unknown) => port.postMessage({ id: req.id, ok: false, message: errorMessage(err), code: err instanceof ShoeboxError ? err.code : 'INTERNAL' } satisfies EmbedReply),
    );
  });
}

void serve();
