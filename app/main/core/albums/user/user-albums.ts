import { randomBytes } from 'node:crypto';
import { ShoeboxError } from '../../errors.ts';
import { sqlIn, sqlString } from '../../store/sql.ts';
import type { AlbumDb, AlbumItemRow, AlbumRow } from './album-db.ts';
import type { NameLookup } from '../../search/query-search.ts';

const MAX_NAME = 200;

export async function readAlbums(db: AlbumDb): Promise<AlbumRow[]> {
  const rows = await db.rows<AlbumRow>('albums');
  return rows.sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
}

/** The user's own albums, for a search that names one: their names, and one's contents. */
export async function albumLookup(db: AlbumDb): Promise<NameLookup> {
  const rows = (await readAlbums(db)).filter((a) => a.kind === 'user');
  return {
    names: rows.map((a) => a.name),
    hashes: async (name) => {
      const row = rows.find((a) => a.name === name);
      return row ? (await readItems(db, row.id)).map((i) => i.hash) : [];
    },
  };
}

/** An album's items in their order. Items of a deleted album (a crash between two commits) are ignored. */
export async function readItems(db: AlbumDb, albumId?: string): Promise<AlbumItemRow[]> {
  const rows = await db.rows<AlbumItemRow>(
    'album_items',
    albumId === undefined ? undefined : `album_id = ${sqlString(albumId)}`,
  );
  return rows.sort((a, b) => a.position - b.position || a.added_at - b.added_at || (a.hash < b.hash ? -1 : 1));
}

export function checkAlbumName(name: string, albums: readonly AlbumRow[], except?: string): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (n === '') throw new ShoeboxError('BAD_REQUEST', 'an album needs a name');
  if (n.length > MAX_NAME) throw new ShoeboxError('BAD_REQUEST', `an album name can be at most ${MAX_NAME} characters`);
  const clash = albums.find((a) => a.id !== except && a.name.toLowerCase() === n.toLowerCase());
  if (clash) throw new ShoeboxError('BAD_REQUEST', `there is already an album called "${clash.name}"`);
  return n;
}

export async function createAlbum(db: AlbumDb, name: string, kind: AlbumRow['kind'], query: string): Promise<AlbumRow> {
  const n = checkAlbumName(name, await readAlbums(db));
  const now = Date.now();
  const row: AlbumRow = { id: randomBytes(8).toString('hex'), name: n, kind, query, created_at: now, updated_at: now };
  await db.merge('albums', 'id', [row], 'insert');
  return row;
}

export async function renameAlbum(db: AlbumDb, album: AlbumRow, name: string): Promise<AlbumRow> {
  const n = checkAlbumName(name, await readAlbums(db), album.id);
  const row = { ...album, name: n, updated_at: Date.now() };
  await db.merge('albums', 'id', [row], 'update');
  return row;
}

/** The album row goes in one commit (that is the deletion); its items follow in a second. */
export async function deleteAlbum(db: AlbumDb, album: AlbumRow): Promise<void> {
  await db.delete('albums', `id = ${sqlString(album.id)}`);
  await db.delete('album_items', `album_id = ${sqlString(album.id)}`);
}

/** Appends photos not already there, in the order given, in one commit. Returns how many were new. */
export async function addItems(db: AlbumDb, album: AlbumRow, hashes: readonly string[]): Promise<number> {
  const items = await readItems(db, album.id);
  const have = new Set(items.map((i) => i.hash));
  let next = items.reduce((m, i) => Math.max(m, i.position), -1) + 1;
  const now = Date.now();
  const rows: AlbumItemRow[] = [];
  for (const hash of new Set(hashes)) {
    if (have.has(hash)) continue;
    rows.push({ key: `${album.id}:${hash}`, album_id: album.id, hash, position: next++, added_at: now });
  }
  await db.merge('album_items', 'key', rows, 'insert');
  return rows.length;
}

export async function removeItems(db: AlbumDb, album: AlbumRow, hashes: readonly string[]): Promise<number> {
  const items = await readItems(db, album.id);
  const gone = items.filter((i) => hashes.includes(i.hash)).map((i) => i.key);
  if (gone.length > 0) await db.delete('album_items', sqlIn('key', gone));
  return gone.length;
}

/**
 * The photos given move to the front in that order, the rest keep their order after them; every
 * position is rewritten in one commit, so a crash never leaves half an order.
 */
export async function reorderItems(db: AlbumDb, album: AlbumRow, hashes: readonly string[]): Promise<void> {
  const items = await readItems(db, album.id);
  const byHash = new Map(items.map((i) => [i.hash, i]));
  const missing = hashes.filter((h) => !byHash.has(h));
  if (missing.length > 0)
    throw new ShoeboxError('BAD_REQUEST', `${missing.length} of the photos given are not in the album "${album.name}"`);
  const front = [...new Set(hashes)];
  const order = [...front, ...items.map((i) => i.hash).filter((h) => !front.includes(h))];
  await db.merge(
    'album_items',
    'key',
    order.map((h, position) => ({ ...byHash.get(h)!, position })),
    'update',
  );
}
