import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoRow } from '#core/store/photo-schema.ts';
import { PhotoStore } from '#core/store/photo-store.ts';
import { photoRow } from '#support/photo-row.ts';

// Searches name their rows from an in-memory directory of row ids (row-directory.ts); these are
// the writes that could make it lie: rows added, replaced, deleted and compacted since it was read.

const DIM = 4;

function unit(i: number): Float32Array {
  const a = (i * Math.PI) / 40;
  return Float32Array.from([Math.cos(a), Math.sin(a), 0.1, 0]).map((x, _, v) => x / Math.hypot(...v));
}

function row(i: number, hash = `h${i}`): PhotoRow {
  return photoRow({
    id: `id${i}`,
    path: `/p/${i}.jpg`,
    root: '/p',
    hash,
    width: 10 + i,
    date_ms: 1_700_000_000_000 + i,
    vector: unit(i),
  });
}

describe('search rows named from the row directory', () => {
  let dir: string;
  let store: PhotoStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-rowdir-'));
    store = await PhotoStore.open(dir, 'm', DIM);
  });
  afterAll(async () => {
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The best few ids for item i's vector, with the hashes the store gave them. */
  const top = async (i: number, n: number): Promise<string[]> =>
    (await store.scores(unit(i), n)).map((s) => `${s.id}:${s.hash}`);

  it('stays true through writes, replacements, deletions and compaction', async () => {
    // An empty library first: nothing to name.
    expect(await store.scores(unit(1), 3)).toEqual([]);
    expect(await store.idsOfHashes(['h1'], '')).toEqual([]);
    await store.upsert([0, 1, 2, 3].map((i) => row(i)));
    expect(await top(1, 1)).toEqual(['id1:h1']);
    // Rows written after the directory was read are found (the miss rescans).
    await store.upsert([10, 11].map((i) => row(i)));
    expect(await top(10, 2)).toEqual(['id10:h10', 'id11:h11']);
    // A replaced row (same path, new content) is named by its new hash.
    await store.upsert([{ ...row(11, 'h11-edited'), vector: unit(30) }]);
    expect(await top(30, 1)).toEqual(['id11:h11-edited']);
    // A deleted row is gone: the nearest left to its vector is item 3.
    await store.deletePaths(['/p/10.jpg']);
    expect(await top(10, 1)).toEqual(['id3:h3']);
    const before = await store.scores(unit(2.2), 2);
    // Compaction moves rows to new fragments: new row ids, and the old ones name nothing.
    await store.maintain();
    expect(await top(2.2, 2)).toEqual(['id2:h2', 'id3:h3']);
    const after = await store.scores(unit(2.2), 2);
    expect(after.map((s) => s.rowId)).not.toEqual(before.map((s) => s.rowId));
    // Rows ranked before the compaction are still read whole (by id, their row ids gone).
    const metas = await store.hitMetas(before);
    expect(metas.map((m) => [m.id, m.path, m.width]).sort()).toEqual([
      ['id2', '/p/2.jpg', 12],
      ['id3', '/p/3.jpg', 13],
    ]);
  });

  it('finds every copy of a content, as the table is now', async () => {
    await store.upsert([{ ...row(20, 'shared'), path: '/p/a.jpg' }]);
    expect((await store.idsOfHashes(['shared'], '')).map((r) => r.id)).toEqual(['id20']);
    await store.upsert([{ ...row(21, 'shared'), path: '/p/b.jpg' }]);
    const copies = await store.idsOfHashes(['shared', 'nowhere'], '');
    expect(copies.map((r) => r.id).sort()).toEqual(['id20', 'id21']);
    // Their row ids read them back.
    expect((await store.hitMetas(copies)).map((m) => m.path).sort()).toEqual(['/p/a.jpg', '/p/b.jpg']);
    await store.deletePaths(['/p/a.jpg']);
    expect((await store.idsOfHashes(['shared'], '')).map((r) => r.id)).toEqual(['id21']);
    // Filtered, the same answer comes from the table.
    expect((await store.idsOfHashes(['shared'], `date_ms > 0`)).map((r) => r.id)).toEqual(['id21']);
  });
});
