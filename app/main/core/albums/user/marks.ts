import { ShoeboxError } from '../../errors.ts';
import { sqlString } from '../../store/sql.ts';
import type { AlbumDb, MarkRow } from './album-db.ts';
import type { TagDecision } from '../album-types.ts';

function markRow(hash: string, mark: MarkRow['mark'], value: number, tag = ''): MarkRow {
  const key = mark === 'tag' ? `tag:${hash}:${tag}` : `${mark}:${hash}`;
  return { key, hash, mark, tag, value, updated_at: Date.now() };
}

async function put(db: AlbumDb, row: MarkRow): Promise<void> {
  await db.merge('photo_marks', 'key', [row]);
}

async function clear(db: AlbumDb, key: string): Promise<void> {
  await db.delete('photo_marks', `key = ${sqlString(key)}`);
}

export async function setFavourite(db: AlbumDb, hash: string, favourite: boolean): Promise<void> {
  const row = markRow(hash, 'favourite', 1);
  if (favourite) await put(db, row);
  else await clear(db, row.key);
}

/** 1 to 5 stars; null clears the rating. */
export async function setRating(db: AlbumDb, hash: string, stars: number | null): Promise<void> {
  if (stars !== null && (!Number.isInteger(stars) || stars < 1 || stars > 5)) {
    throw new ShoeboxError('BAD_REQUEST', `a rating is a whole number of stars from 1 to 5, not ${String(stars)}`);
  }
  const row = markRow(hash, 'rating', stars ?? 0);
  if (stars === null) await clear(db, row.key);
  else await put(db, row);
}

/** Kept forever, keyed by content: the user's word outlives re-indexing, moves and model changes. */
export async function setDecision(db: AlbumDb, hash: string, tag: string, decision: TagDecision | null): Promise<void> {
  if (decision !== null && decision !== 'accept' && decision !== 'reject') {
    throw new ShoeboxError('BAD_REQUEST', `a tag decision is "accept" or "reject", not "${String(decision)}"`);
  }
  const row = markRow(hash, 'tag', decision === 'reject' ? -1 : 1, tag);
  if (decision === null) await clear(db, row.key);
  else await put(db, row);
}
