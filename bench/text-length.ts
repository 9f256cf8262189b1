// What-if for query latency: the text graph as the app runs it (every query padded to the full
// context) against the same graph fed only the query's own tokens. With CLIP's causal mask the
// features at the end token depend only on the tokens before it, so the result is the same.
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { createSession } from '../app/main/core/embed/onnx-session.ts';
import { tuningFor } from '../app/main/core/embed/providers.ts';
import { ClipTokenizer } from '../app/main/core/model/clip-tokenizer.ts';
import { openModelFolder } from '../app/main/core/model/model-folder.ts';
import { median } from './machine.ts';

export interface TextLengthResult {
  contextLength: number;
  fullP50Ms: number;
  trimmedP50Ms: number;
  meanTokens: number;
  /** A batch of 64 prompts, as the album vocabulary is encoded: padded to the context vs to its longest. */
  batch64: { fullMs: number; trimmedMs: number; longest: number };
}

/** Runs the graph on `rows` padded (with the end token, as CLIP pads) to `width` columns. */
async function timedRun(session: ort.InferenceSession, rows: number[][], width: number): Promise<number> {
  const data = new BigInt64Array(rows.length * width);
  rows.forEach((ids, r) => {
    data.fill(BigInt(ids[ids.length - 1] ?? 0), r * width, (r + 1) * width);
    ids.forEach((id, i) => (data[r * width + i] = BigInt(id)));
  });
  const feeds = { input_ids: new ort.Tensor('int64', data, [rows.length, width]) };
  const t0 = performance.now();
  await session.run(feeds);
  return performance.now() - t0;
}

async function timeBatch(
  session: ort.InferenceSession,
  rows: number[][],
  contextLength: number,
): Promise<TextLengthResult['batch64']> {
  const longest = Math.max(...rows.map((r) => r.length));
  // Second of two runs each: the first run of a shape plans its memory.
  await timedRun(session, rows, contextLength);
  const fullMs = await timedRun(session, rows, contextLength);
  await timedRun(session, rows, longest);
  const trimmedMs = await timedRun(session, rows, longest);
  return { fullMs, trimmedMs, longest };
}

export async function textGraphLengths(modelDir: string, texts: readonly string[]): Promise<TextLengthResult> {
  const model = await openModelFolder(modelDir);
  const textConfig = model.config.text_config as { max_position_embeddings?: number } | undefined;
  const contextLength = textConfig?.max_position_embeddings ?? 77;
  const tokenizer = new ClipTokenizer(model.tokenizerJson, model.tokenizerConfig, contextLength);
  const session = await createSession(model.textPath, 'cpu', tuningFor('cpu', availableParallelism()).threads);
  try {
    const full: number[] = [];
    const trimmed: number[] = [];
    let tokens = 0;
    for (const text of texts) {
      const ids = [tokenizer.ids(text)];
      tokens += ids[0]!.length;
      // One untimed run of each shape first: the first run of a new shape plans its memory.
      await timedRun(session, ids, contextLength);
      await timedRun(session, ids, ids[0]!.length);
      full.push(await timedRun(session, ids, contextLength));
      trimmed.push(await timedRun(session, ids, ids[0]!.length));
    }
    const prompts = Array.from({ length: 64 }, (_, i) => tokenizer.ids(`a photo of ${texts[i % texts.length]!}.`));
    return {
      contextLength,
      fullP50Ms: median(full),
      trimmedP50Ms: median(trimmed),
      meanTokens: tokens / texts.length,
      batch64: await timeBatch(session, prompts, contextLength),
    };
  } finally {
    await session.release();
  }
}
