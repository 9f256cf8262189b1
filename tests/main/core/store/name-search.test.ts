import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameWords } from '#core/store/name-search.ts';
import { PhotoStore } from '#core/store/photo-store.ts';
import { photoRow } from '#support/photo-row.ts';

describe('names', () => {
  it('are the words below the root, without the extension', () => {
    expect(nameWords('/home/ann/Pictures/Wedding Day/DSC_0001.JPG', '/home/ann/Pictures')).toEqual([
      'wedding',
      'day',
      'dsc',
      '0001',
    ]);
    expect(nameWords('C:\\Photos\\Été 2019\\IMG.2.heic', 'C:\\Photos')).toEqual(['été', '2019', 'img', '2']);
    expect(nameWords('/p/.hidden', '/p')).toEqual(['hidden']);
  });
});

describe('searching names in a small library (the scan)', () => {
  let dir: string;
  let store: PhotoStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-names-'));
    store = await PhotoStore.open(dir, 'm', 2);
    // Many paths hold "day" inside a word, and one holds it as a word, written last.
    const rows = Array.from({ length: 450 }, (_, i) =>
      photoRow({ id: `s${i}`, path: `/p/Sunday/${i}.jpg`, root: '/p', hash: `s${i}`, vector: Float32Array.of(1, 0) }),
    );
    rows.push(photoRow({ id: 'd', path: '/p/Day out/1.jpg', root: '/p', hash: 'd', vector: Float32Array.of(0, 1) }));
    await store.upsert(rows);
  });
  afterAll(async () => {
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the one photo whose folder is called Day among 450 in "Sunday"', async () => {
    expect((await store.names(['day'], '', 200)).map((r) => r.id)).toEqual(['d']);
    expect((await store.names(['day', 'out'], '', 200)).map((r) => r.id)).toEqual(['d']);
    expect(await store.names(['sun'], '', 200)).toEqual([]);
  });
});
