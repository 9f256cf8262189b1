// The face models on onnxruntime, on real photos: every face in six group photos is found with
// its landmarks in place, and described so that the same face in another version of the photo
// is close and the other people in it are not. The shipped files are the ones SOURCES.md names.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceReader } from '#core/embed/face-reader.ts';
import { faceModelDir } from '#core/faces/face-models.ts';
import { GROUP_PHOTOS, PEOPLE_IN_PHOTO } from '#support/face-photos.ts';

async function rgbOf(
  file: string,
  edge: number,
  mirror = false,
): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  let img = sharp(file).resize(edge, edge, { fit: 'inside' });
  if (mirror) img = img.flop();
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data), width: info.width, height: info.height };
}

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe('FaceReader', () => {
  let reader: FaceReader;
  beforeAll(async () => {
    reader = await FaceReader.open(1);
  }, 30_000);
  afterAll(async () => {
    await reader.close();
  });

  it('ships the model files SOURCES.md names', async () => {
    const dir = faceModelDir();
    const sources = await readFile(path.join(dir, 'SOURCES.md'), 'utf8');
    for (const file of ['blazeface-back-256.onnx', 'mobilefacenet-512.onnx']) {
      const sha = createHash('sha256')
        .update(await readFile(path.join(dir, file)))
        .digest('hex');
      expect(sources).toMatch(new RegExp(`\`${file.replace('.', '\\.')}\`.*\`${sha}\``));
    }
  });

  it('finds every face in real group photos, with eyes above the nose and the mouth below it', async () => {
    for (const [i, file] of GROUP_PHOTOS.entries()) {
      const img = await rgbOf(file, 640);
      const faces = await reader.find(img.rgb, img.width, img.height);
      expect(faces, path.basename(file)).toHaveLength(PEOPLE_IN_PHOTO[i]!);
      for (const f of faces) {
        const [leftEye, rightEye, nose, mouth] = f.landmarks;
        expect(leftEye!.x).toBeLessThan(rightEye!.x);
        expect(Math.max(leftEye!.y, rightEye!.y)).toBeLessThan(mouth!.y);
        expect(nose!.y).toBeLessThan(mouth!.y);
        expect(f.x).toBeLessThan(nose!.x);
        expect(f.x + f.width).toBeGreaterThan(nose!.x);
        expect(Math.hypot(...f.embedding)).toBeCloseTo(1, 4);
      }
    }
  }, 60_000);

  it('describes the same face in a mirrored, smaller copy closely, and the others in the photo apart', async () => {
    const big = await rgbOf(GROUP_PHOTOS[5]!, 1024);
    const small = await rgbOf(GROUP_PHOTOS[5]!, 480, true);
    const a = await reader.find(big.rgb, big.width, big.height);
    const b = await reader.find(small.rgb, small.width, small.height);
    expect(b).toHaveLength(a.length);
    for (const fa of a) {
      const cx = 1 - (fa.x + fa.width / 2) / big.width;
      const twin = b.reduce((best, f) =>
        Math.abs((f.x + f.width / 2) / small.width - cx) < Math.abs((best.x + best.width / 2) / small.width - cx)
          ? f
          : best,
      );
      expect(dot(fa.embedding, twin.embedding)).toBeGreaterThan(0.7);
      for (const other of b) if (other !== twin) expect(dot(fa.embedding, other.embedding)).toBeLessThan(0.6);
    }
  }, 60_000);

  it('leaves out faces below the minimum size and keeps at most the cap, largest first', async () => {
    const img = await rgbOf(GROUP_PHOTOS[4]!, 640);
    const all = await reader.find(img.rgb, img.width, img.height);
    const capped = await reader.find(img.rgb, img.width, img.height, { maxFaces: 2 });
    expect(capped.map((f) => f.width)).toEqual(all.slice(0, 2).map((f) => f.width));
    const minSize = (all[1]!.width + all[2]!.width) / 2;
    expect(await reader.find(img.rgb, img.width, img.height, { minSize })).toHaveLength(2);
  }, 60_000);
});
