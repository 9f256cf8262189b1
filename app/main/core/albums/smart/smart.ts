import { ShoeboxError } from '../../errors.ts';
import { filterSql } from '../../search/search.ts';
import { understand } from '../../search/query-search.ts';
import { excludedHashes } from '../../search/query-ranking.ts';
import { and } from '../../store/sql.ts';
import type { PhotoStore } from '../../store/photo-store.ts';
import type { SmartQuery } from '../album-types.ts';
import type { Calibration } from '../../model/calibration.ts';
import type { EmbedTexts } from '../tagging/concept-vectors.ts';
import { dot, normalise } from '../../vectors.ts';

export const SMART_DEFAULT_LIMIT = 500;

export interface SmartHit {
  hash: string;
  score: number | null;
}

export function checkSmartQuery(q: SmartQuery): SmartQuery {
  const text = q.text?.trim();
  const like = q.like ?? [];
  if ((text === undefined || text === '') && like.length === 0 && q.filters === undefined) {
    throw new ShoeboxError('BAD_REQUEST', 'a smart album needs search text, example photos or filters');
  }
  if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 10_000))
    throw new ShoeboxError('BAD_REQUEST', 'limit must be a whole number from 1 to 10000');
  if (q.minScore !== undefined && !Number.isFinite(q.minScore))
    throw new ShoeboxError('BAD_REQUEST', 'minScore must be a number');
  filterSql(q.filters);
  const out: SmartQuery = { ...q };
  if (text !== undefined && text !== '') out.text = text;
  else delete out.text;
  return out;
}

/**
 * A saved search's members now, best first. Its text is understood as the search box understands
 * it ("beach 2019", "sunsets in Paris -people"): dates, places, cameras, kinds and quoted text
 * filter, exclusions push out, and the words left rank. Those are judged like tags, by their
 * margin over the empty caption (p·t − p·g = p·(t − g), so the search runs on t − g and the margin
 * is checked exactly afterwards), kept when at least minScore (the model's tag margin: 0.02 for
 * CLIP) and within its smart window of the best (7 logits: how high a good match scores depends
 * on the query, so the cut-off follows it); example photos by cosine to the nearest example
 * (0.85 for CLIP). With both, a photo must pass both. Filters alone list matching photos newest
 * first.
 */
export async function smartMembers(
  parts: { store: PhotoStore; embed: EmbedTexts; calibration: Calibration },
  generic: Float32Array,
  saved: SmartQuery,
): Promise<SmartHit[]> {
  const { store, embed, calibration } = parts;
  const understood = saved.text !== undefined ? await understand(store, saved.text) : null;
  const q: SmartQuery = { ...saved };
  if (understood?.text === '') delete q.text;
  else if (understood) q.text = understood.text;
  const out = await membersOf(parts, generic, q, and(filterSql(q.filters), understood?.where ?? ''));
  if (!understood || understood.exclude.length === 0) return out;
  const excluded = await excludedHashes(store, embed, understood.exclude, calibration.relevanceGap);
  return out.filter((h) => !excluded.has(h.hash));
}

async function membersOf(
  { store, embed, calibration }: { store: PhotoStore; embed: EmbedTexts; calibration: Calibration },
  generic: Float32Array,
  q: SmartQuery,
  where: string,
): Promise<SmartHit[]> {
  const limit = q.limit ?? SMART_DEFAULT_LIMIT;
  if (q.text === undefined && (q.like ?? []).length === 0) {
    const ids = (await store.idsByDate(where)).slice(0, limit * 2);
    const hashOf = new Map((await store.byIds(ids)).map((m) => [m.id, m.hash]));
    return dedupe(
      ids.map((id) => ({ hash: hashOf.get(id) ?? '', score: null })).filter((h) => h.hash !== ''),
      limit,
    );
  }
  const textDir = q.text !== undefined ? (await embed([q.text])).map((x, k) => x - generic[k]!) : null;
  const examples = [...(await store.byHash(q.like ?? [])).values()].map((r) => r.vector);
  if ((q.like ?? []).length > 0 && examples.length === 0) return [];
  const query = new Float32Array(store.dim);
  if (textDir)
    normalise(textDir).forEach((x, k) => {
      query[k]! += x;
    });
  if (examples.length > 0) {
    const mean = new Float32Array(store.dim);
    for (const e of examples)
      e.forEach((x, k) => {
        mean[k]! += x;
      });
    normalise(mean).forEach((x, k) => {
      query[k]! += x;
    });
  }
  // Copies of one content come back once per path: ask for more, keep one per content.
  const hits = await store.search(normalise(query), Math.min(10_000, limit * 2), where);
  const vectors = await store.byHash([...new Set(hits.map((h) => h.meta.hash))]);
  const textMin = q.minScore ?? calibration.tagMargin;
  const likeMin = textDir === null && q.minScore !== undefined ? q.minScore : calibration.likeCosine;
  const scored = hits.flatMap((h) => {
    const v = vectors.get(h.meta.hash)?.vector;
    if (!v) return [];
    const text = textDir ? dot(v, 0, textDir, 0, v.length) : null;
    const like = examples.length > 0 ? Math.max(...examples.map((e) => dot(v, 0, e, 0, v.length))) : null;
    return [{ hash: h.meta.hash, text, like }];
  });
  const best = Math.max(...scored.map((x) => x.text ?? -Infinity));
  const out = scored.filter(
    (x) =>
      (x.text === null || (x.text >= textMin && x.text >= best - calibration.smartWindow)) &&
      (x.like === null || x.like >= likeMin),
  );
  return dedupe(
    out.map((x) => ({ hash: x.hash, score: x.text ?? x.like })),
    limit,
  );
}

function dedupe(hits: readonly SmartHit[], limit: number): SmartHit[] {
  const seen = new Set<string>();
  const out: SmartHit[] = [];
  for (const h of hits) {
    if (seen.has(h.hash)) continue;
    seen.add(h.hash);
    out.push(h);
    if (out.length >= limit) break;
  }
  return out;
}
