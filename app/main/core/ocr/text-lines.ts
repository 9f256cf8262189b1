// Recognition's side of OCR: a detected box cut out of the image straightened and scaled to the
// recogniser's 48-pixel height, and the recogniser's per-step character probabilities turned into
// text (CTC: repeats merged, blanks dropped). Pure, tested without a model.
import { sampleRgb } from '../pixels.ts';
import type { Point, TextBox } from './text-boxes.ts';

export const LINE_HEIGHT = 48;
/** A line is cut at most this wide (a 25:1 line of text); longer ones are squeezed. */
export const MAX_LINE_WIDTH = 1200;

export interface LineInput {
  /** CHW float32, BGR, scaled to [-1, 1] as PaddleOCR's recogniser was trained. */
  data: Float32Array;
  width: number;
}

/** Samples the box out of interleaved RGB by bilinear interpolation along its own axes. */
export function lineInput(rgb: Uint8Array, width: number, height: number, box: TextBox): LineInput {
  const [p0, p1, , p3] = box.corners;
  const along = Math.hypot(p1[0] - p0[0], p1[1] - p0[1]);
  const across = Math.max(1, Math.hypot(p3[0] - p0[0], p3[1] - p0[1]));
  const w = Math.min(MAX_LINE_WIDTH, Math.max(LINE_HEIGHT / 2, Math.round((LINE_HEIGHT * along) / across)));
  const h = LINE_HEIGHT;
  const data = new Float32Array(3 * w * h);
  const plane = w * h;
  for (let v = 0; v < h; v++) {
    const fv = (v + 0.5) / h;
    for (let u = 0; u < w; u++) {
      const fu = (u + 0.5) / w;
      const x = p0[0] + fu * (p1[0] - p0[0]) + fv * (p3[0] - p0[0]) - 0.5;
      const y = p0[1] + fu * (p1[1] - p0[1]) + fv * (p3[1] - p0[1]) - 0.5;
      const px = sampleRgb(rgb, width, height, x, y);
      const o = v * w + u;
      // BGR planes: the recogniser was trained on OpenCV's channel order.
      data[o] = px[2] / 127.5 - 1;
      data[plane + o] = px[1] / 127.5 - 1;
      data[2 * plane + o] = px[0] / 127.5 - 1;
    }
  }
  return { data, width: w };
}

/**
 * Greedy CTC decoding of `steps` × `classes` probabilities: class 0 is the blank, class k the
 * dictionary's (k-1)th entry. Confidence is the mean probability of the characters kept.
 */
export function ctcDecode(
  probs: Float32Array,
  steps: number,
  classes: number,
  dictionary: readonly string[],
): { text: string; confidence: number } {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    let bestP = -Infinity;
    const row = t * classes;
    for (let c = 0; c < classes; c++) {
      const p = probs[row + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += dictionary[best - 1] ?? '';
      sum += bestP;
      kept++;
    }
    previous = best;
  }
  return { text: text.trim(), confidence: kept > 0 ? sum / kept : 0 };
}

/** Lines in reading order: top to bottom, and left to right within a line. */
export function readingOrder<T extends { corners: [Point, Point, Point, Point] }>(lines: readonly T[]): T[] {
  const mid = (l: T): Point => [(l.corners[0][0] + l.corners[2][0]) / 2, (l.corners[0][1] + l.corners[2][1]) / 2];
  const tall = (l: T): number => Math.abs(l.corners[3][1] - l.corners[0][1]) || 1;
  return [...lines].sort((a, b) => {
    const dy = mid(a)[1] - mid(b)[1];
    return Math.abs(dy) < Math.min(tall(a), tall(b)) / 2 ? mid(a)[0] - mid(b)[0] : dy;
  });
}
