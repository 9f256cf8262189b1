// Proves a model folder works end to end: opens it as the engine does, embeds solid colour images
// and colour words with real onnxruntime in the inference process, and returns their similarities.
import { Embedder } from '#core/embed/embedder.ts';
import type { EmbedderInfo } from '#core/embed/embed-protocol.ts';
import { openModelFolder } from '#core/model/model-folder.ts';
import { solidRgb } from './processes.ts';
import { COLOURS } from './test-model.ts';

export interface ColourCheck {
  info: EmbedderInfo;
  /** similarity[i][j]: image of colour i against the text of colour j. */
  similarity: number[][];
  /** Euclidean norms of every returned vector. */
  norms: number[];
}

/** Embeds `colours` as images (one batch) and as words (one batch). */
export async function colourCheck(
  dir: string,
  colours: readonly string[] = ['red', 'blue', 'green'],
): Promise<ColourCheck> {
  const embedder = await Embedder.start(await openModelFolder(dir), { providers: ['cpu'], threads: 1 });
  try {
    const { width, height } = embedder.info.inputSize;
    const images = await embedder.embedImages(
      solidRgb(
        colours.map((name) => COLOURS[name]!),
        width,
        height,
      ),
      colours.length,
    );
    const d = embedder.info.dim;
    const texts = await embedder.embedTexts(colours.map((c) => `a photo of something ${c}`));
    const row = (v: Float32Array, i: number): Float32Array => v.subarray(i * d, (i + 1) * d);
    const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, k) => s + x * b[k]!, 0);
    return {
      info: embedder.info,
      similarity: colours.map((_, i) => colours.map((__, j) => dot(row(images, i), row(texts, j)))),
      norms: [
        ...colours.map((_, i) => Math.sqrt(dot(row(images, i), row(images, i)))),
        ...colours.map((_, i) => Math.sqrt(dot(row(texts, i), row(texts, i)))),
      ],
    };
  } finally {
    await embedder.close();
  }
}

/** True when every image is closest to its own colour word. */
export function matchesColours(check: ColourCheck): boolean {
  return check.similarity.every((row, i) => row.every((s, j) => j === i || s < row[i]!));
}
