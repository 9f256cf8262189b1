// One person across different photos, the case the group photos' versions cannot test: twelve
// photos of one man (tiles of a real face-match screenshot, face-tiles.ts) and 33 of other
// people, each framed so the face is a given share of the photo's width, thumbnailed as the
// indexing decode does, found and described by the real models and grouped as the library groups.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THUMB_SIZE } from '#core/decode/decode-photo.ts';
import { asThumbnail } from '#core/decode/derive.ts';
import { FaceReader } from '#core/embed/face-reader.ts';
import { clusterFaces } from '#core/faces/face-cluster.ts';
import type { ClusterFace } from '#core/faces/face-cluster.ts';
import { framedTile, HIS_TILES, OTHER_TILES } from '#support/face-tiles.ts';

let reader: FaceReader;
beforeAll(async () => {
  reader = await FaceReader.open(1);
});
afterAll(async () => {
  await reader.close();
});

/** Every tile's largest face as the face stage stores it, from photos whose faces take `share` of their width. */
async function facesAt(share: number): Promise<Map<number, ClusterFace>> {
  const out = new Map<number, ClusterFace>();
  for (const tile of [...HIS_TILES, ...OTHER_TILES]) {
    const thumb = await asThumbnail(await framedTile(tile, share, DEFAULT_THUMB_SIZE), DEFAULT_THUMB_SIZE).toBuffer();
    const { data, info } = await sharp(thumb).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const [face] = await reader.find(new Uint8Array(data), info.width, info.height);
    if (face) out.set(tile, { key: String(tile), embedding: face.embedding, quality: face.score * face.width });
  }
  return out;
}

describe('one person across photos', () => {
  it.each([
    // A face an eighth of the photo wide (a portrait, a small group) and a sixth: 11 of the 12
    // measured in one group at each.
    [1 / 8, 10],
    [1 / 6, 10],
  ])(
    'groups his faces from different photos as one person when they are %f of the photo wide',
    async (share, least) => {
      const faces = await facesAt(share);
      expect([...faces.keys()].filter((t) => HIS_TILES.includes(t))).toHaveLength(HIS_TILES.length);
      const { of } = clusterFaces([...faces.values()]);
      const groups = HIS_TILES.map((t) => of.get(String(t))).filter((g) => g !== undefined);
      const counts = new Map<string, number>();
      for (const g of groups) counts.set(g, (counts.get(g) ?? 0) + 1);
      const [his, most] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
      // Most of his faces in one group, and nobody else's in it.
      expect(most).toBeGreaterThanOrEqual(least);
      expect(OTHER_TILES.filter((t) => of.get(String(t)) === his)).toEqual([]);
    },
    120_000,
  );
});
