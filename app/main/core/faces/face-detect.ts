// Turns the BlazeFace detector's raw outputs into faces: MediaPipe's SSD anchors for the 256-pixel
// "back camera" model (16×16 cells with 2 anchors, 8×8 cells with 6), a sigmoid score, and
// weighted non-maximum suppression, which averages overlapping boxes instead of keeping one.
// Pure; the session that produces the outputs runs in the inference process (embed/face-reader.ts).
import { sampleRgb } from '../pixels.ts';

/** The detector's square input, in pixels. */
export const DETECT_SIZE = 256;

/**
 * Below about 30 pixels a face's description is noise: one man's faces from different photos,
 * against other people's, scored AUC 0.54 at 25 pixels wide, 0.81 at 35, 0.96 at 38 and 0.99 at
 * 57. 30 pixels are a sixteenth of the 480-pixel thumbnail's long side.
 */
export const DEFAULT_MIN_FACE = 30;
/** At most this many faces an item, largest first: a crowd of 500 must not stall indexing. */
export const DEFAULT_MAX_FACES = 20;

export interface Point {
  x: number;
  y: number;
}

/** One face, in the pixels of the image the detector was given (before letterboxing). */
export interface DetectedFace {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
  /**
   * The detector's six points: the eye on the image's left, the eye on its right, the nose tip,
   * the mouth's centre, the ear on the left, the ear on the right.
   */
  landmarks: Point[];
}

/** The letterbox the image was placed in: input pixel = image pixel × scale + pad. */
export interface Letterbox {
  scale: number;
  padX: number;
  padY: number;
}

/** A face this sure or surer is kept (MediaPipe uses 0.5 for its back-camera model). */
export const MIN_SCORE = 0.6;
const NMS_IOU = 0.3;

interface Anchor {
  x: number;
  y: number;
}

function anchors(cells: number, perCell: number): Anchor[] {
  const out: Anchor[] = [];
  for (let y = 0; y < cells; y++) {
    for (let x = 0; x < cells; x++) {
      for (let a = 0; a < perCell; a++) out.push({ x: (x + 0.5) / cells, y: (y + 0.5) / cells });
    }
  }
  return out;
}

/** The two outputs' anchors, in their order: 16×16×2 (stride 16), then 8×8×6 (stride 32). */
export const ANCHORS: readonly (readonly Anchor[])[] = [anchors(16, 2), anchors(8, 6)];

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, v))));

function iou(a: DetectedFace, b: DetectedFace): number {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Overlapping candidates become one face: their boxes and points averaged by score, the best score kept. */
export function weightedNms(candidates: DetectedFace[], threshold = NMS_IOU): DetectedFace[] {
  const left = [...candidates].sort((a, b) => b.score - a.score);
  const out: DetectedFace[] = [];
  while (left.length > 0) {
    const best = left[0]!;
    const group = left.filter((c) => iou(best, c) > threshold);
    for (const g of group) left.splice(left.indexOf(g), 1);
    const total = group.reduce((s, g) => s + g.score, 0);
    const avg = (pick: (f: DetectedFace) => number): number => group.reduce((s, g) => s + pick(g) * g.score, 0) / total;
    out.push({
      x: avg((f) => f.x),
      y: avg((f) => f.y),
      width: avg((f) => f.width),
      height: avg((f) => f.height),
      score: best.score,
      landmarks: best.landmarks.map((_, k) => ({
        x: avg((f) => f.landmarks[k]!.x),
        y: avg((f) => f.landmarks[k]!.y),
      })),
    });
  }
  return out;
}

/**
 * Faces from one run's outputs: `scores[i]` and `boxes[i]` (16 numbers: centre, size, six points,
 * in input pixels relative to the anchor) per output, mapped back through the letterbox.
 */
export function decodeFaces(
  outputs: readonly { scores: Float32Array; boxes: Float32Array }[],
  box: Letterbox,
  minScore = MIN_SCORE,
): DetectedFace[] {
  const found: DetectedFace[] = [];
  const back = (v: number, pad: number): number => (v * DETECT_SIZE - pad) / box.scale;
  outputs.forEach((out, o) => {
    const anchorsOf = ANCHORS[o]!;
    for (let i = 0; i < anchorsOf.length; i++) {
      const score = sigmoid(out.scores[i]!);
      if (score < minScore) continue;
      const a = anchorsOf[i]!;
      const r = out.boxes.subarray(i * 16, i * 16 + 16);
      const cx = a.x + r[0]! / DETECT_SIZE;
      const cy = a.y + r[1]! / DETECT_SIZE;
      const w = r[2]! / DETECT_SIZE;
      const h = r[3]! / DETECT_SIZE;
      const landmarks: Point[] = [];
      for (let k = 0; k < 6; k++) {
        landmarks.push({
          x: back(a.x + r[4 + 2 * k]! / DETECT_SIZE, box.padX),
          y: back(a.y + r[5 + 2 * k]! / DETECT_SIZE, box.padY),
        });
      }
      const x0 = back(cx - w / 2, box.padX);
      const y0 = back(cy - h / 2, box.padY);
      found.push({
        x: x0,
        y: y0,
        width: (w * DETECT_SIZE) / box.scale,
        height: (h * DETECT_SIZE) / box.scale,
        score,
        landmarks,
      });
    }
  });
  return weightedNms(found);
}

/**
 * The image fitted into the detector's square (aspect kept, the rest black) as NHWC float32 in
 * [-1, 1], sampled bilinearly.
 */
export function detectorInput(rgb: Uint8Array, width: number, height: number): { data: Float32Array; box: Letterbox } {
  const scale = DETECT_SIZE / Math.max(width, height);
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  const padX = Math.floor((DETECT_SIZE - w) / 2);
  const padY = Math.floor((DETECT_SIZE - h) / 2);
  const data = new Float32Array(DETECT_SIZE * DETECT_SIZE * 3).fill(-1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = sampleRgb(rgb, width, height, (x + 0.5) / scale - 0.5, (y + 0.5) / scale - 0.5);
      const o = ((y + padY) * DETECT_SIZE + x + padX) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = (px[c]! / 255) * 2 - 1;
    }
  }
  return { data, box: { scale, padX, padY } };
}
