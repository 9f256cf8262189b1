import { describe, expect, it } from 'vitest';
import { textBoxes } from '#core/ocr/text-boxes.ts';
import { ctcDecode, readingOrder } from '#core/ocr/text-lines.ts';

/** A probability map with the given rectangles (rotated by `angle` degrees about their centres) at `p`. */
function map(
  width: number,
  height: number,
  rects: { cx: number; cy: number; w: number; h: number; angle: number; p: number }[],
): Float32Array {
  const out = new Float32Array(width * height);
  for (const r of rects) {
    const a = (r.angle * Math.PI) / 180;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const dx = x + 0.5 - r.cx;
        const dy = y + 0.5 - r.cy;
        const u = dx * Math.cos(a) + dy * Math.sin(a);
        const v = -dx * Math.sin(a) + dy * Math.cos(a);
        if (Math.abs(u) <= r.w / 2 && Math.abs(v) <= r.h / 2) out[y * width + x] = r.p;
      }
  }
  return out;
}

const len = (a: [number, number], b: [number, number]): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

describe('text boxes from the detector’s probability map', () => {
  it('finds a level line, grows it by the DB margin, and scales it back to the image', () => {
    const boxes = textBoxes(map(200, 100, [{ cx: 100, cy: 50, w: 120, h: 20, angle: 0, p: 0.9 }]), 200, 100, {
      x: 2,
      y: 2,
    });
    expect(boxes).toHaveLength(1);
    const [tl, tr, br, bl] = boxes[0]!.corners;
    expect(boxes[0]!.score).toBeCloseTo(0.9, 5);
    // Grown by area × 1.5 / perimeter = 120·20·1.5/280 ≈ 12.9 px per side, then doubled by the scale.
    expect(len(tl, tr)).toBeCloseTo((120 + 2 * 12.86) * 2, -1);
    expect(len(tl, bl)).toBeCloseTo((20 + 2 * 12.86) * 2, -1);
    expect(tl[0]).toBeLessThan(tr[0]);
    expect(tl[1]).toBeLessThan(bl[1]);
    expect(br[0]).toBeGreaterThan(bl[0]);
  });

  it('follows a skewed line with a rotated box whose first corner is its top-left', () => {
    const [box] = textBoxes(map(300, 200, [{ cx: 150, cy: 100, w: 160, h: 24, angle: -15, p: 0.8 }]), 300, 200);
    const [tl, tr] = box!.corners;
    const angle = (Math.atan2(tr[1] - tl[1], tr[0] - tl[0]) * 180) / Math.PI;
    expect(angle).toBeCloseTo(-15, 0);
  });

  it('keeps separate lines apart and drops faint or tiny regions', () => {
    const prob = map(300, 200, [
      { cx: 100, cy: 40, w: 120, h: 16, angle: 0, p: 0.9 },
      { cx: 100, cy: 120, w: 120, h: 16, angle: 0, p: 0.9 },
      { cx: 250, cy: 100, w: 40, h: 16, angle: 0, p: 0.45 },
      { cx: 250, cy: 170, w: 2, h: 2, angle: 0, p: 0.9 },
    ]);
    const boxes = textBoxes(prob, 300, 200);
    expect(boxes).toHaveLength(2);
    expect(readingOrder(boxes).map((b) => Math.round(b.corners[0][1]))).toEqual(
      [...boxes].map((b) => Math.round(b.corners[0][1])).sort((a, b) => a - b),
    );
  });

  it('finds nothing in an empty map', () => {
    expect(textBoxes(new Float32Array(64 * 64), 64, 64)).toEqual([]);
  });
});

describe('CTC decoding', () => {
  const dictionary = ['A', 'B', 'C', ' '];
  const steps = (classes: number[][]): Float32Array => Float32Array.from(classes.flat());

  it('merges repeats, drops blanks, keeps a letter repeated across a blank, and averages confidence', () => {
    // blank=0, A=1, B=2, C=3, space=4
    const onehot = (c: number, p = 1): number[] => Array.from({ length: 5 }, (_, k) => (k === c ? p : (1 - p) / 4));
    const probs = steps([
      onehot(1),
      onehot(1),
      onehot(0),
      onehot(1, 0.5),
      onehot(4),
      onehot(2),
      onehot(2),
      onehot(3, 0.8),
    ]);
    const r = ctcDecode(probs, 8, 5, dictionary);
    expect(r.text).toBe('AA BC');
    expect(r.confidence).toBeCloseTo((1 + 0.5 + 1 + 1 + 0.8) / 5, 5);
  });

  it('reads nothing from blanks only', () => {
    expect(ctcDecode(steps([[1, 0, 0, 0, 0]]), 1, 5, dictionary)).toEqual({ text: '', confidence: 0 });
  });
});
