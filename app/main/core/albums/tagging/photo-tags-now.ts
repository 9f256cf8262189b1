// One photo's tags as the viewer shows them, at the click: the tags stored for it, or, where it
// was not tagged under the current vocabulary yet (indexed since the last retag, or the tags
// changed), scored now from its vector; with the user's decisions.
import type { PhotoRow } from '../../store/photo-schema.ts';
import { sqlString } from '../../store/sql.ts';
import { dot } from '../../vectors.ts';
import type { PhotoTag } from '../album-types.ts';
import { parseTags, photoTags } from '../snapshot.ts';
import type { StoredTags } from '../snapshot.ts';
import type { AlbumDb, MarkRow, TagRow } from '../user/album-db.ts';
import type { ConceptMatrix } from './concept-vectors.ts';
import { tagBatch } from './retag.ts';
import type { Vocabulary } from './vocab-state.ts';

export async function photoTagsNow(
  db: AlbumDb,
  row: Pick<PhotoRow, 'hash' | 'vector'>,
  vocab: Vocabulary,
  matrix: ConceptMatrix,
): Promise<PhotoTag[]> {
  const [[tagRow], decided] = await Promise.all([
    db.rows<TagRow>('tags', `hash = ${sqlString(row.hash)}`),
    db.rows<MarkRow>('photo_marks', `hash = ${sqlString(row.hash)} AND mark = 'tag'`),
  ]);
  const decisions = new Map(decided.map((m) => [m.tag, m.value]));
  let stored: StoredTags | undefined = tagRow ? parseTags(tagRow, vocab) : undefined;
  if (!stored?.current) {
    const [live] = await tagBatch(row.vector, 1, matrix, vocab, null);
    stored = {
      current: true,
      tags: new Map(live!.tags.map((t) => [vocab.concepts[t.index]!.id, { score: t.score, prob: t.prob }])),
    };
  }
  const index = new Map(vocab.concepts.map((c, i) => [c.id, i]));
  // A tag the user accepted that the model did not give still shows the model's score for it.
  const liveScore = (id: string): number | null => {
    const i = index.get(id);
    if (i === undefined) return null;
    return Math.round(dot(row.vector, 0, matrix.vectors, i * matrix.dim, matrix.dim) * 10_000) / 10_000;
  };
  return photoTags(vocab, stored, decisions, liveScore);
}
