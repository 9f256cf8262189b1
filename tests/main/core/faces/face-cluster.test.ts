// Grouping real faces into people: every face of four versions of six group photos (21 people,
// one of them in two photos) is found on a thumbnail-sized copy, described by the real models,
// and grouped; the groups are scored pair by pair against who each face really is (known from
// where it sits in its photo).
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceReader } from '#core/embed/face-reader.ts';
import { clusterFaces, MIN_FACES, PIVOTS_FROM, SAME_PERSON } from '#core/faces/face-cluster.ts';
import type { ClusterFace } from '#core/faces/face-cluster.ts';
import { DEFAULT_THUMB_SIZE } from '#core/decode/decode-photo.ts';
import { asThumbnail } from '#core/decode/derive.ts';
import { SAME_WOMAN } from '#support/face-photos.ts';
import { faceViews } from '#support/face-views.ts';

interface Truth extends ClusterFace {
  who: string;
}

/** Pairwise precision and recall of a grouping: of the pairs put together, how many are one person; of the pairs that are, how many were put together. */
function pairScores(faces: readonly Truth[], of: ReadonlyMap<string, string>): { precision: number; recall: number } {
  let together = 0;
  let right = 0;
  let same = 0;
  for (let i = 0; i < faces.length; i++) {
    for (let j = i + 1; j < faces.length; j++) {
      const a = faces[i]!;
      const b = faces[j]!;
      const grouped = of.get(a.key) !== undefined && of.get(a.key) === of.get(b.key);
      if (grouped) together++;
      if (a.who === b.who) {
        same++;
        if (grouped) right++;
      }
    }
  }
  return { precision: together === 0 ? 0 : right / together, recall: same === 0 ? 0 : right / same };
}

describe('grouping real faces into people', () => {
  let reader: FaceReader;
  const faces: Truth[] = [];
  // Who each face is: the nearest face of the first version, by centre.
  const people = new Map<number, { x: number; y: number; who: string }[]>();

  beforeAll(async () => {
    reader = await FaceReader.open(1);
    for (const view of await faceViews()) {
      // As the index stage sees it: the thumbnail, WebP compression included.
      const { data, info } = await sharp(await asThumbnail(sharp(view.jpeg), DEFAULT_THUMB_SIZE).toBuffer())
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const found = await reader.find(new Uint8Array(data), info.width, info.height);
      for (const [k, f] of found.entries()) {
        const [x, y] = view.back((f.x + f.width / 2) / info.width, (f.y + f.height / 2) / info.height);
        if (!people.has(view.photo)) people.set(view.photo, []);
        const known = people.get(view.photo)!;
        let who = known.find((p) => Math.hypot(p.x - x, p.y - y) < 0.06)?.who;
        if (who === undefined) {
          const her = SAME_WOMAN.some((s) => s.photo === view.photo && Math.hypot(s.x - x, s.y - y) < 0.06);
          who = her ? 'same woman' : `${view.photo}/${known.length}`;
          known.push({ x, y, who });
        }
        faces.push({ key: `${view.name}:${k}`, embedding: f.embedding, quality: f.score * f.width, who });
      }
    }
  }, 120_000);
  afterAll(async () => {
    await reader.close();
  });

  it('puts each person in one group and nobody else in it', () => {
    const { of } = clusterFaces(faces);
    const { precision, recall } = pairScores(faces, of);
    const whos = new Set(faces.map((f) => f.who));
    const groups = new Set(of.values());
    console.log(
      `faces ${faces.length}, people ${whos.size}, groups ${groups.size}; threshold ${SAME_PERSON}: pairwise precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
    );
    for (const t of [0.35, 0.4, 0.45, 0.5, 0.55, 0.6]) {
      const s = pairScores(faces, clusterFaces(faces, t).of);
      console.log(`  threshold ${t}: precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}`);
    }
    expect(whos.size).toBe(21);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps a face the user placed with that person, and a refused one away from them', () => {
    const ann = faces.find((f) => f.who === '1/0')!;
    const placed = faces.map((f) => (f === ann ? { ...f, person: 'p1' } : f));
    const { of } = clusterFaces(placed);
    expect(of.get(ann.key)).toBe('p1');
    // The rest of her faces join her, as the named person closest to them.
    const hers = faces.filter((f) => f.who === '1/0');
    expect(hers.filter((f) => of.get(f.key) === 'p1').length).toBeGreaterThanOrEqual(MIN_FACES);
    const refused = placed.map((f) => (f.who === '1/0' && f !== ann ? { ...f, notPeople: ['p1'] } : f));
    const again = clusterFaces(refused).of;
    expect(hers.filter((f) => f !== ann && again.get(f.key) === 'p1')).toHaveLength(0);
  });
});

describe('grouping a large library', () => {
  it('files groups under pivots above PIVOTS_FROM faces and still finds each person once', () => {
    let seed = 11;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const unit = (v: Float32Array): Float32Array => {
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    };
    // 81 people taking turns: a sample of every third face would see only a third of them.
    const people = 81;
    const centres = Array.from({ length: people }, () => unit(Float32Array.from({ length: 512 }, rand)));
    const faces: ClusterFace[] = Array.from({ length: PIVOTS_FROM + 1_000 }, (_, i) => ({
      key: `${i % people}/${i}`,
      quality: 1,
      // About 0.8 from their person's centre, as real faces of one person are.
      embedding: unit(centres[i % people]!.map((x) => x + rand() * 0.05)),
    }));
    const { of } = clusterFaces(faces);
    const groupsOf = new Map<string, Set<string>>();
    for (const f of faces) {
      const person = f.key.split('/')[0]!;
      if (!groupsOf.has(person)) groupsOf.set(person, new Set());
      groupsOf.get(person)!.add(of.get(f.key) ?? 'none');
    }
    // Each person in one group of their own, every face placed.
    expect([...groupsOf.values()].every((g) => g.size === 1 && !g.has('none'))).toBe(true);
    expect(new Set([...groupsOf.values()].map((g) => [...g][0])).size).toBe(people);
  });
});
