// Proves a model folder works end to end: opens it as the engine does, embeds solid colour images
// and colour words with real onnxruntime in the inference process, and returns their similarities.
import { Embedder } from '../../app/main/core/embed/embedder.ts';
import type { EmbedderInfo } from '../../app/main/core/embed/embed-protocol.ts';
import { openModelFolder } from '../../app/main/core/model/model-folder.ts';
import { COLOURS } from './test-model.ts';

const MEAN = [0.48145466, 0.4578275, 0.40821073];
const STD = [0.26862954, 0.26130258, 0.27577711];

export interface ColourCheck {
  info: EmbedderInfo;
  /** similarity[i][j]: image of colour i against the text of colour j. */
  similarity: number[][];
  /** Euclidean norms of every returned vector. */
  norms: number[];
}

/** Embeds `colours` as images (one batch) and as words (one batch). */
export async function colourCheck(dir: string, colours: readonly string[] = ['red', 'blue', 'green']): Promise<ColourCheck> {
  const embedder = await Embedder.start(await openModelFolder(dir), { providers: ['cpu'], threads: 1 });
  try {
    const { width, height } = embedder.info.inputSize;
    const per = 3 * width * height;
    const pixels = new Float32Array(per * colours.length);
    colours.forEach((name, i) => {
      const rgb = COLOURS[name]!;
      for (let c = 0; c < 3; c++) pixels.fill((rgb[c]! / 255 - MEAN[c]!) / STD[c]!, i * per + c * width * height, i * per + (c + 1) * width * height);
    });
    const d = embedder.info.dim;
    const images = await embedder.embedImages(pixels, colours.length);
    const texts = await embedder.embedTexts(colours.map((c) => `a photo of something ${c}`));
    const row = (v: Float32Array, i: number): Float32Array => v.subarray(i * d, (i + 1) * d);
    const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, k) => s + x * b[k]!, 0);
    return {
      info: embedder.info,
      similarity: colours.map((_, i) => colours.map((__, j) => dot(row(images, i), row(texts, j)))),
      norms: [...colours.map((_, i) => Math.sqrt(dot(row(images, i), row(images, i)))), ...colours.map((_, i) => Math.sqrt(dot(row(texts, i), row(texts, i))))],
    };
  } finally {
    await embedder.close();
  }
}

/** True when every image is closest to its own colour word. */
export function matchesColours(check: ColourCheck): boolean {
  return check.similarity.every((row, i) => row.every((s, j) => j === i || s < row[i]!));
}
