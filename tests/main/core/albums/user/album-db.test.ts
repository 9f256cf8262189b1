import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumDb } from '#core/albums/user/album-db.ts';
import type { AlbumRow, TagRow } from '#core/albums/user/album-db.ts';

// Album names are read at every search and kept between reads while the table stands; another
// process's write (here a second connection, as the CLI beside the app) must show at once. Larger
// tables are read column by column, and must come back with their types.

const album = (id: string, name: string): AlbumRow => ({
  id,
  name,
  kind: 'user',
  query: '',
  created_at: Number(id.slice(1)),
  updated_at: 0,
});

describe('AlbumDb reads of small tables', () => {
  let dir: string;
  let app: AlbumDb;
  let cli: AlbumDb;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-albumdb-'));
    app = await AlbumDb.open(dir, 'm', true);
    cli = await AlbumDb.open(dir, 'm', true);
  });
  afterAll(async () => {
    app.close();
    cli.close();
    await rm(dir, { recursive: true, force: true });
  });

  const names = async (db: AlbumDb): Promise<string[]> => (await db.rows<AlbumRow>('albums')).map((a) => a.name).sort();

  it('sees every write, its own and another connection’s, and hands out copies', async () => {
    await app.merge('albums', 'id', [album('a1', 'Trip')]);
    expect(await names(app)).toEqual(['Trip']);
    await cli.merge('albums', 'id', [album('a2', 'Summer')]);
    expect(await names(app)).toEqual(['Summer', 'Trip']);
    await cli.merge('albums', 'id', [{ ...album('a1', 'Road trip') }]);
    expect(await names(app)).toEqual(['Road trip', 'Summer']);
    // A caller changing what it was given changes nothing kept.
    (await app.rows<AlbumRow>('albums'))[0]!.name = 'changed';
    expect(await names(app)).toEqual(['Road trip', 'Summer']);
  });

  it('reads larger tables column by column with their types: booleans, numbers, text', async () => {
    await app.merge('tags', 'hash', [
      { hash: 'a', vocab: 'v1', tags: '[]', sensitive: true, tagged_at: 0 },
      { hash: 'b', vocab: 'v1', tags: '[["red",0.3,0.9]]', sensitive: false, tagged_at: 5 },
    ]);
    const rows = (await cli.rows<TagRow>('tags')).sort((x, y) => (x.hash < y.hash ? -1 : 1));
    expect(rows).toEqual([
      { hash: 'a', vocab: 'v1', tags: '[]', sensitive: true, tagged_at: 0 },
      { hash: 'b', vocab: 'v1', tags: '[["red",0.3,0.9]]', sensitive: false, tagged_at: 5 },
    ]);
    expect(await cli.rows<TagRow>('tags', "hash = 'b'", ['hash', 'sensitive'])).toEqual([
      { hash: 'b', sensitive: false },
    ]);
  });
});
