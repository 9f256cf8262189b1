// Cuts a face out upright and to scale for the recognition model: a similarity transform (turn,
// scale, shift; no shear) fitted by least squares from the detector's eyes, nose and mouth to
// where ArcFace-style models were trained to see them in a 112-pixel square. Pure.
import { sampleRgb } from '../pixels.ts';
import type { Point } from './face-detect.ts';

export const FACE_SIZE = 112;

/**
 * The standard 112×112 template (InsightFace's): the eye on the left, the eye on the right, the
 * nose tip, and the mouth's centre (the mean of the template's two mouth corners).
 */
const TEMPLATE: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 56.1396, y: 92.2848 },
];

/** x' = a·x − b·y + tx, y' = b·x + a·y + ty. */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** The similarity that best carries `from` onto `to` (Umeyama's closed form without reflection). */
export function fitSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  const n = from.length;
  let fx = 0;
  let fy = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i]!.x / n;
    fy += from[i]!.y / n;
    tx += to[i]!.x / n;
    ty += to[i]!.y / n;
  }
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const px = from[i]!.x - fx;
    const py = from[i]!.y - fy;
    const qx = to[i]!.x - tx;
    const qy = to[i]!.y - ty;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  const a = norm > 0 ? dot / norm : 1;
  const b = norm > 0 ? cross / norm : 0;
  return { a, b, tx: tx - (a * fx - b * fy), ty: ty - (b * fx + a * fy) };
}

export interface AlignedFace {
  /** Planar RGB (NCHW, batch of one), (value − 127.5) / 128, as the recognition model expects. */
  tensor: Float32Array;
  /** How sharp the cut-out is: the variance of its Laplacian (blurred faces score low). */
  sharpness: number;
}

/** The face at `landmarks` (the detector's first four points) cut out as a 112-pixel square. */
export function alignFace(rgb: Uint8Array, width: number, height: number, landmarks: readonly Point[]): AlignedFace {
  const m = fitSimilarity(landmarks.slice(0, 4), TEMPLATE);
  // Sampling runs from the square back into the image, so invert the transform.
  const det = m.a * m.a + m.b * m.b;
  const ia = m.a / det;
  const ib = -m.b / det;
  const plane = FACE_SIZE * FACE_SIZE;
  const tensor = new Float32Array(3 * plane);
  const gray = new Float32Array(plane);
  for (let y = 0; y < FACE_SIZE; y++) {
    for (let x = 0; x < FACE_SIZE; x++) {
      const u = x - m.tx;
      const v = y - m.ty;
      const px = sampleRgb(rgb, width, height, ia * u - ib * v, ib * u + ia * v);
      const o = y * FACE_SIZE + x;
      for (let c = 0; c < 3; c++) tensor[c * plane + o] = (px[c]! - 127.5) / 128;
      const luma = px[0] * 0.299 + px[1] * 0.587 + px[2] * 0.114;
      gray[o] = luma;
    }
  }
  return { tensor, sharpness: laplacianVariance(gray, FACE_SIZE) };
}

function laplacianVariance(gray: Float32Array, size: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const i = y * size + x;
      const l = gray[i - 1]! + gray[i + 1]! + gray[i - size]! + gray[i + size]! - 4 * gray[i]!;
      sum += l;
      sumSq += l * l;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}
