// Reading interleaved 8-bit RGB between its pixels, for the model inputs cut out of a decoded
// image (text lines, aligned faces, the face detector's square).

/** The colour at (x, y), in pixel coordinates, by bilinear interpolation; clamped at the edges. */
export function sampleRgb(
  rgb: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
): [number, number, number] {
  const cx = Math.min(width - 1, Math.max(0, x));
  const cy = Math.min(height - 1, Math.max(0, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const ax = cx - x0;
  const ay = cy - y0;
  const out: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const a = rgb[(y0 * width + x0) * 3 + c]!;
    const b = rgb[(y0 * width + x1) * 3 + c]!;
    const d = rgb[(y1 * width + x0) * 3 + c]!;
    const e = rgb[(y1 * width + x1) * 3 + c]!;
    out[c] = (a * (1 - ax) + b * ax) * (1 - ay) + (d * (1 - ax) + e * ax) * ay;
  }
  return out;
}
