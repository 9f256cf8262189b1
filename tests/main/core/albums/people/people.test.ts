// People over a real LanceDB library: faces stored as the face stage stores them (synthetic
// embeddings: three people, each a direction with faces spread around it), grouped, named and
// corrected. Names survive a change of face model (new boxes a little off, new embeddings),
// sensitive photos stay out, two namings at once make two people, and another connection's
// correction is seen at once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { People } from '#core/albums/people/people.ts';
import { AlbumDb } from '#core/albums/user/album-db.ts';
import type { FaceRow } from '#core/store/face-table.ts';
import { PhotoStore } from '#core/store/photo-store.ts';
import { photoRow } from '#support/photo-row.ts';

const DIM = 512;
let seed = 3;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
const unit = (v: Float32Array): Float32Array => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const centres = [0, 1, 2].map(() => unit(Float32Array.from({ length: DIM }, rand)));
const hashOf = (i: number): string => i.toString(16).padStart(2, '0') + 'c'.repeat(62);

/** Photo i holds person i % 3 at a box that depends on i; `model` changes the boxes and embeddings a little. */
function face(i: number, model: string, shift = 0): FaceRow {
  return {
    hash: hashOf(i),
    face: 0,
    x: 0.3 + shift,
    y: 0.2 + shift,
    w: 0.2,
    h: 0.25,
    landmarks: '[]',
    score: 0.9,
    sharpness: 100,
    embedding: unit(centres[i % 3]!.map((v) => v + rand() * 0.03)),
    model,
    at_ms: null,
  };
}

describe('People', () => {
  let dir: string;
  let store: PhotoStore;
  let db: AlbumDb;
  let sensitive = new Set<string>();
  let people: People;
  const photos = 12;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-people-'));
    store = await PhotoStore.open(dir, 'm', 4);
    await store.upsert(
      Array.from({ length: photos }, (_, i) =>
        photoRow({
          id: hashOf(i).slice(0, 16),
          path: `/p/${i}.jpg`,
          root: '/p',
          hash: hashOf(i),
          vector: new Float32Array(4).fill(0.5),
        }),
      ),
    );
    const hashes = Array.from({ length: photos }, (_, i) => hashOf(i));
    await store.faces.save(
      hashes,
      hashes.map((_, i) => face(i, 'a')),
      'a',
    );
    db = await AlbumDb.open(dir, 'm', true);
    people = new People(db, store, (hs) => Promise.resolve(new Set(hs.filter((h) => sensitive.has(h)))));
  });
  afterAll(async () => {
    store.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('groups each person once, and keeps a name through a change of face model', async () => {
    const list = await people.list();
    expect(list.map((p) => p.count)).toEqual([4, 4, 4]);
    const group = (await people.facesIn(hashOf(0)))[0]!.person!.id;
    const ann = await people.name(group, 'Ann');
    expect(ann).toMatchObject({ id: 'p1', name: 'Ann', count: 4 });
    // A new face model: every box a little off, every embedding new.
    const hashes = Array.from({ length: photos }, (_, i) => hashOf(i));
    await store.faces.save(
      hashes,
      hashes.map((_, i) => face(i, 'b', 0.02)),
      'b',
    );
    const after = await people.list();
    expect(after[0]).toMatchObject({ id: 'p1', name: 'Ann', count: 4 });
    expect((await people.lookup()).names).toEqual(['Ann']);
  });

  it('keeps sensitive photos out of people', async () => {
    sensitive = new Set([hashOf(0)]);
    // A tag decision moves a table version, as a new sensitive tag does in the app.
    await db.merge('photo_marks', 'key', [
      { key: 'x', hash: hashOf(0), mark: 'favourite', tag: '', value: 1, updated_at: 1 },
    ]);
    expect((await people.list())[0]).toMatchObject({ name: 'Ann', count: 3 });
    expect(await people.hashesOf('p1')).not.toContain(hashOf(0));
    sensitive = new Set();
    await db.delete('photo_marks', "key = 'x'");
    expect((await people.list())[0]!.count).toBe(4);
  });

  it('moves a face out and back, and names two groups at once as two people', async () => {
    const faces = await people.move(hashOf(3), 0, null);
    expect(faces[0]!.person?.id).not.toBe('p1');
    expect((await people.list()).find((p) => p.id === 'p1')!.count).toBe(3);
    await people.move(hashOf(3), 0, 'p1');
    expect((await people.list()).find((p) => p.id === 'p1')!.count).toBe(4);
    const groups = (await people.list()).filter((p) => p.name === '').map((p) => p.id);
    const named = await Promise.all([people.name(groups[0]!, 'Ben'), people.name(groups[1]!, 'Cy')]);
    expect(new Set(named.map((p) => p.id)).size).toBe(2);
    expect((await people.list()).map((p) => p.name).sort()).toEqual(['Ann', 'Ben', 'Cy']);
  });

  it('sees another connection’s merge at once, and hides and shows a person', async () => {
    const other = new People(await AlbumDb.open(dir, 'm', true), store, () => Promise.resolve(new Set()));
    const ben = (await people.list()).find((p) => p.name === 'Ben')!;
    await other.merge(ben.id, 'p1');
    expect((await people.list()).find((p) => p.id === 'p1')!.count).toBe(8);
    await people.hide('p1', true);
    expect((await people.list()).map((p) => p.id)).not.toContain('p1');
    expect((await people.list({ hidden: true })).map((p) => p.id)).toContain('p1');
    expect((await people.lookup()).names).not.toContain('Ann');
    await people.hide('p1', false);
    await expect(people.name('p99', 'Zed')).rejects.toThrow(/no person p99/);
    await expect(people.merge('p1', 'p1')).rejects.toThrow(/themselves/);
  });

  it('lists someone seen only at videos’ later moments, their face cut from such a moment', async () => {
    // A fourth person, in three videos, never on a poster: each face from the frame at 4 s.
    const dee = unit(Float32Array.from({ length: DIM }, rand));
    const videos = [20, 21, 22].map(hashOf);
    await store.upsert(
      videos.map((hash, i) =>
        photoRow({
          id: hash.slice(0, 16),
          path: `/p/clip${i}.mp4`,
          root: '/p',
          hash,
          kind: 'video',
          vector: new Float32Array(4).fill(0.5),
        }),
      ),
    );
    await store.faces.save(
      videos,
      videos.map((hash) => ({
        ...face(0, 'b'),
        hash,
        embedding: unit(dee.map((v) => v + rand() * 0.03)),
        at_ms: 4000,
      })),
      'b',
    );
    const theirs = (await people.list()).find((p) => videos.includes(p.cover.hash));
    expect(theirs).toMatchObject({ name: '', count: 3, cover: { atMs: 4000 } });
    expect(videos).toContain(theirs!.cover.hash);
    // Everyone else's face is cut from a photo's own thumbnail.
    for (const p of (await people.list()).filter((q) => q.id !== theirs!.id)) expect(p.cover.atMs).toBeNull();
    expect((await people.facesIn(videos[0]!))[0]).toMatchObject({ atMs: 4000, person: { id: theirs!.id } });
  });
});
