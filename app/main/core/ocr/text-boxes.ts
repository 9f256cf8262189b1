// Text detection's post-processing (PaddleOCR's DB method): the detector's per-pixel text
// probability becomes boxes, each the smallest rotated rectangle around one connected region,
// grown by the margin DB's shrunk training targets leave. Pure, so it is tested without a model.

export type Point = [number, number];

export interface TextBox {
  /** Corners in reading order: top-left, top-right, bottom-right, bottom-left (image pixels). */
  corners: [Point, Point, Point, Point];
  /** Mean text probability inside the region. */
  score: number;
}

export interface BoxOptions {
  /** A pixel is text above this probability (PaddleOCR: 0.3). */
  threshold?: number;
  /** A region is kept when its mean probability reaches this (PaddleOCR: 0.6). */
  minScore?: number;
  /** Regions are grown by area × ratio / perimeter on every side (PaddleOCR: 1.5). */
  unclipRatio?: number;
  /** Regions whose short side is below this many pixels are dropped. */
  minSide?: number;
  /** At most this many boxes (the highest-scoring), so a page of fine print cannot stall indexing. */
  maxBoxes?: number;
}

/** Connected regions (4-neighbour) of pixels above `threshold`: per region, each row's leftmost and rightmost pixel, and the score. */
function regions(
  prob: Float32Array,
  width: number,
  height: number,
  threshold: number,
): { edge: Point[]; score: number; pixels: number }[] {
  const label = new Int32Array(width * height);
  const out: { edge: Point[]; score: number; pixels: number }[] = [];
  const stack: number[] = [];
  for (let start = 0; start < label.length; start++) {
    if (label[start] !== 0 || prob[start]! <= threshold) continue;
    const id = out.length + 1;
    label[start] = id;
    stack.push(start);
    const rows = new Map<number, [number, number]>();
    let sum = 0;
    let pixels = 0;
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i - x) / width;
      sum += prob[i]!;
      pixels++;
      const row = rows.get(y);
      if (!row) rows.set(y, [x, x]);
      else {
        if (x < row[0]) row[0] = x;
        if (x > row[1]) row[1] = x;
      }
      const next = [
        x > 0 ? i - 1 : -1,
        x < width - 1 ? i + 1 : -1,
        y > 0 ? i - width : -1,
        y < height - 1 ? i + width : -1,
      ];
      for (const j of next) {
        if (j >= 0 && label[j] === 0 && prob[j]! > threshold) {
          label[j] = id;
          stack.push(j);
        }
      }
    }
    const edge: Point[] = [];
    for (const [y, [x0, x1]] of rows) edge.push([x0, y], [x1 + 1, y], [x0, y + 1], [x1 + 1, y + 1]);
    out.push({ edge, score: sum / pixels, pixels });
  }
  return out;
}

/** Andrew's monotone chain. */
function convexHull(points: Point[]): Point[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: Point, a: Point, b: Point): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (const q of p.reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

interface Rect {
  centre: Point;
  /** Unit vector along the long side. */
  axis: Point;
  long: number;
  short: number;
}

/** The smallest-area rectangle around a convex hull: one of its sides lies on a hull edge. */
function minAreaRect(hull: Point[]): Rect {
  let best: Rect | null = null;
  let bestArea = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0) continue;
    const u: Point = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
    const v: Point = [-u[1], u[0]];
    let [minU, maxU, minV, maxV] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const p of hull) {
      const pu = p[0] * u[0] + p[1] * u[1];
      const pv = p[0] * v[0] + p[1] * v[1];
      minU = Math.min(minU, pu);
      maxU = Math.max(maxU, pu);
      minV = Math.min(minV, pv);
      maxV = Math.max(maxV, pv);
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea) {
      bestArea = area;
      const cu = (minU + maxU) / 2;
      const cv = (minV + maxV) / 2;
      const centre: Point = [cu * u[0] + cv * v[0], cu * u[1] + cv * v[1]];
      const w = maxU - minU;
      const h = maxV - minV;
      best = w >= h ? { centre, axis: u, long: w, short: h } : { centre, axis: v, long: h, short: w };
    }
  }
  return best ?? { centre: hull[0] ?? [0, 0], axis: [1, 0], long: 0, short: 0 };
}

/** A rectangle's corners in reading order: along its long side from left to right (upward when it stands on end). */
function corners(r: Rect): [Point, Point, Point, Point] {
  let [ux, uy] = r.axis;
  // Text runs left to right; a vertical line is read bottom to top (a photo turned a quarter left).
  if (ux < -1e-6 || (Math.abs(ux) <= 1e-6 && uy > 0)) [ux, uy] = [-ux, -uy];
  const [vx, vy] = [-uy, ux];
  const hl = r.long / 2;
  const hs = r.short / 2;
  const at = (a: number, b: number): Point => [r.centre[0] + a * ux - b * vx, r.centre[1] + a * uy - b * vy];
  return [at(-hl, hs), at(hl, hs), at(hl, -hs), at(-hl, -hs)];
}

/** Boxes of text in a probability map of `width` × `height`, best first, scaled by `scale` back to the image. */
export function textBoxes(
  prob: Float32Array,
  width: number,
  height: number,
  scale: { x: number; y: number } = { x: 1, y: 1 },
  o: BoxOptions = {},
): TextBox[] {
  const { threshold = 0.3, minScore = 0.6, unclipRatio = 1.5, minSide = 3, maxBoxes = 200 } = o;
  const boxes: TextBox[] = [];
  for (const region of regions(prob, width, height, threshold)) {
    if (region.pixels < 4 || region.score < minScore) continue;
    const rect = minAreaRect(convexHull(region.edge));
    if (rect.short < minSide) continue;
    const grow = (rect.long * rect.short * unclipRatio) / (2 * (rect.long + rect.short));
    const grown = { ...rect, long: rect.long + 2 * grow, short: rect.short + 2 * grow };
    if (grown.short < minSide) continue;
    const c = corners(grown).map(([x, y]): Point => [
      Math.min(width, Math.max(0, x)) * scale.x,
      Math.min(height, Math.max(0, y)) * scale.y,
    ]) as TextBox['corners'];
    boxes.push({ corners: c, score: region.score });
  }
  return boxes.sort((a, b) => b.score - a.score).slice(0, maxBoxes);
}
