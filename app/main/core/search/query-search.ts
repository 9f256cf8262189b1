// One query pipeline for every front end: parse the box's text into filters and the words left,
// rank by the model, drop what an exclusion matches, and show what matches rather than the whole
// library (relevance.ts), with how many more match loosely.
import type { Embedder } from '../embed/embedder.ts';
import { ShoeboxError } from '../errors.ts';
import type { PhotoStore, RowRef } from '../store/photo-store.ts';
import { RAW_FORMATS } from '../store/photo-schema.ts';
import type { HitMeta } from '../store/photo-schema.ts';
import { and, likeAnywhere, sqlIn, sqlString } from '../store/sql.ts';
import { parseQuery } from './query/parse-query.ts';
import { cameraNames } from './query/camera-names.ts';
import type { CameraRef } from '../store/photo-vocabulary.ts';
import type { ParsedQuery } from './query/parse-query.ts';
import { excludedHashes, matchingCount, POOL, rankings, scoredBesides } from './query-ranking.ts';
import type { Ranked } from './query-ranking.ts';
import { queryWords } from '../../../shared/query-words.ts';
import { checkLimit, filterSql, toHit } from './search.ts';
import type { SearchFilters, SearchHit } from './search.ts';
import type { MatchReason } from '../../../shared/types.ts';

export interface QueryOptions {
  limit?: number;
  filters?: SearchFilters;
  /** The whole ranking, not only what matches (`search --all`, "show more"). */
  all?: boolean;
  /** For dates without a year; default now. */
  now?: Date;
  /** The user's albums, for queries that name one (the engine passes them in: albums sit above search). */
  albums?: NameLookup;
  /** The tags, for queries that name one ("#beach"). */
  tags?: NameLookup;
  /** The people the user named, for queries that name one ("Ann at the beach"). */
  people?: NameLookup;
  /** People who must be in every result, by name, as if the query named them (`search --person`). */
  withPeople?: readonly string[];
}

/** Named sets of photos the parser can recognise: albums, tags. */
export interface NameLookup {
  names: readonly string[];
  /** The contents (hashes) of the set of that exact name. */
  hashes(name: string): Promise<readonly string[]>;
}

export interface QueryResult {
  hits: SearchHit[];
  /** Results past the cut that still rank (shown by "show N more", or with `all`). */
  more: number;
  parsed: ParsedQuery;
}

/** A LIKE pattern for `text` anywhere in a lower-cased column: its own % and _ match themselves. */
const contains = (column: string, text: string): string => `lower(${column}) LIKE ${likeAnywhere(text.toLowerCase())}`;

/**
 * The filters a parsed query adds, as SQL ('' for none). A quoted phrase is in the file's path or
 * in the text read in the photo (`phraseHashes`: the contents whose text holds each phrase).
 */
export function parsedFilterSql(
  p: ParsedQuery,
  phraseHashes: ReadonlyMap<string, readonly string[]> = new Map(),
  albumHashes: ReadonlyMap<string, readonly string[]> = new Map(),
  tagHashes: ReadonlyMap<string, readonly string[]> = new Map(),
  /** The cameras each camera name stands for (cameraNames). */
  cameras: ReadonlyMap<string, readonly CameraRef[]> = new Map(),
  personHashes: ReadonlyMap<string, readonly string[]> = new Map(),
): string {
  const parts: string[] = [];
  if (p.dates !== null) {
    parts.push(
      p.dates.length === 0
        ? 'false'
        : `(${p.dates.map((d) => `(date_ms >= ${d.from} AND date_ms < ${d.to})`).join(' OR ')})`,
    );
  }
  const kinds = p.kinds.map((k) => {
    if (k === 'video' || k === 'live') return `kind = '${k}'`;
    if (k === 'raw') return sqlIn('format', RAW_FORMATS);
    return `(${contains('path', 'screenshot')} OR ${contains('path', 'screen shot')})`;
  });
  if (kinds.length > 0) parts.push(`(${kinds.join(' OR ')})`);
  for (const phrase of p.phrases) {
    const inText = phraseHashes.get(phrase) ?? [];
    parts.push(
      inText.length > 0 ? `(${contains('path', phrase)} OR ${sqlIn('hash', inText)})` : contains('path', phrase),
    );
  }
  if (p.places.length > 0)
    parts.push(`(${sqlIn('place', p.places)} OR ${sqlIn('region', p.places)} OR ${sqlIn('country', p.places)})`);
  const shotWith = p.cameras.flatMap((name) => cameras.get(name) ?? []);
  if (p.cameras.length > 0) parts.push(shotWith.length === 0 ? 'false' : `(${shotWith.map(cameraSql).join(' OR ')})`);
  // In each album, with each tag and with each person named: an empty one selects nothing.
  for (const [names, sets] of [
    [p.albums, albumHashes],
    [p.tags, tagHashes],
    [p.people, personHashes],
  ] as const) {
    for (const name of names) {
      const hashes = sets.get(name) ?? [];
      parts.push(hashes.length > 0 ? sqlIn('hash', hashes) : 'false');
    }
  }
  return and(...parts);
}

const sameAs = (column: string, value: string | null): string =>
  value === null ? `${column} IS NULL` : `${column} = ${sqlString(value)}`;
const cameraSql = (c: CameraRef): string => `(${sameAs('camera_make', c.make)} AND ${sameAs('camera_model', c.model)})`;

/** The shown hits, in ranking order; those not read already (`read`) are read now. */
async function hitsOf(
  store: PhotoStore,
  ranked: readonly Fused[],
  thumbsDir: string,
  read: readonly HitMeta[] = [],
): Promise<SearchHit[]> {
  const metas = new Map(read.map((m) => [m.id, m]));
  for (const m of await store.hitMetas(ranked.filter((r) => !metas.has(r.id)))) metas.set(m.id, m);
  return ranked.flatMap((r) => {
    const meta = metas.get(r.id);
    if (!meta) return [];
    return [{ ...toHit(meta, r.score, thumbsDir, r.atMs), matched: r.matched }];
  });
}

/**
 * The query parsed against the names the library knows (places, cameras, and the albums and tags
 * passed in), and the filters it makes as SQL.
 */
async function understood(
  store: PhotoStore,
  query: string,
  opts: Pick<QueryOptions, 'now' | 'albums' | 'tags' | 'people' | 'withPeople'>,
): Promise<{ parsed: ParsedQuery; where: string; phraseHashes: Map<string, string[]> }> {
  const vocabulary = await store.vocabulary();
  const cameras = cameraNames(vocabulary.cameras);
  const parsed = parseQuery(query, {
    now: opts.now,
    places: vocabulary.places,
    cameras: [...cameras.keys()],
    albums: opts.albums?.names,
    tags: opts.tags?.names,
    people: opts.people?.names,
  });
  for (const name of opts.withPeople ?? []) {
    const known = opts.people?.names.find((n) => n.toLowerCase() === name.trim().toLowerCase());
    if (known === undefined) throw new ShoeboxError('BAD_REQUEST', `nobody is named "${name}" (see shoebox people)`);
    if (!parsed.people.includes(known)) parsed.people.push(known);
  }
  const [phraseHashes, albumHashes, tagHashes, personHashes] = await Promise.all([
    keyed(parsed.phrases, (ph) => store.texts.withPhrase(ph)),
    keyed(parsed.albums, (name) => opts.albums!.hashes(name)),
    keyed(parsed.tags, (name) => opts.tags!.hashes(name)),
    keyed(parsed.people, (name) => opts.people!.hashes(name)),
  ]);
  return {
    parsed,
    phraseHashes,
    where: parsedFilterSql(parsed, phraseHashes, albumHashes, tagHashes, cameras, personHashes),
  };
}

/**
 * A saved search's text understood as the search box understands it, for searches that rank in
 * their own way (smart albums): the filters as SQL, the words left to embed, and the exclusions.
 * Album and tag names are not looked for.
 */
export async function understand(
  store: PhotoStore,
  text: string,
): Promise<{ where: string; text: string; exclude: string[] }> {
  const { parsed, where } = await understood(store, text, {});
  return { where, text: parsed.text, exclude: parsed.exclude };
}

export async function searchQuery(
  store: PhotoStore,
  embedder: Embedder,
  thumbsDir: string,
  query: string,
  opts: QueryOptions = {},
): Promise<QueryResult> {
  if (query.trim() === '' && (opts.withPeople ?? []).length === 0)
    throw new ShoeboxError('BAD_REQUEST', 'type something to search for');
  const limit = checkLimit(opts.limit);
  const { parsed, phraseHashes, where: inQuery } = await understood(store, query, opts);
  const where = and(filterSql(opts.filters), inQuery);
  if (parsed.text === '') {
    // Nothing left to rank by: what the filters select, newest first.
    const excluded = await excludedHashes(
      store,
      (t) => embedder.embedTexts(t),
      parsed.exclude,
      embedder.calibration.relevanceGap,
    );
    const out = excluded.size > 0 ? new Set((await store.idsOfHashes([...excluded], where)).map((r) => r.id)) : null;
    const ids = (await store.byDate(where)).ids.filter((id) => !out?.has(id)).slice(0, limit);
    const metas = new Map((await store.byIds(ids)).map((m) => [m.id, m]));
    const inText = new Set([...phraseHashes.values()].flat());
    const hits = ids.flatMap((id) => {
      const meta = metas.get(id);
      if (!meta) return [];
      const hit = toHit(meta, null, thumbsDir);
      // A quoted phrase found it: in the text read in the photo, or in its file or folder name.
      return [
        parsed.phrases.length > 0
          ? { ...hit, matched: [inText.has(meta.hash) ? 'text' : 'name'] as MatchReason[] }
          : hit,
      ];
    });
    return { hits, more: 0, parsed };
  }
  // The exclusions are ranked while the words are, and the text read in photos searched; with
  // filters the cut comes from the whole library's ranking, read at the same time, and the
  // likely hits are read while it is.
  // The first hits found by text and by name are read while the picture is ranked: they are
  // likely shown too (a receipt found by its words usually is).
  const firstOf = async (found: Promise<RowRef[]>): Promise<[RowRef[], HitMeta[]]> => {
    const rows = await found;
    return [rows, await store.hitMetas(rows.slice(0, limit))];
  };
  // The words and the exclusions are embedded in one call to the encoder, not one each.
  const embedded = embedder.embedTexts([parsed.text, ...parsed.exclude]);
  const vectorOf = async (text: string): Promise<Float32Array> => {
    const all = await embedded;
    const at = text === parsed.text ? 0 : 1 + parsed.exclude.indexOf(text);
    const dim = all.length / (1 + parsed.exclude.length);
    return all.slice(at * dim, (at + 1) * dim);
  };
  const [excluded, [[{ inFilters, pool }, likely], library], [inText, textRead], [inNames, namesRead]] =
    await Promise.all([
      excludedHashes(store, ([term]) => vectorOf(term!), parsed.exclude, embedder.calibration.relevanceGap),
      (async () => {
        const r = await rankings(store, await vectorOf(parsed.text), where, opts.all === true);
        return [[r, await store.hitMetas(r.inFilters.slice(0, limit))], r.library] as const;
      })(),
      firstOf(textMatches(store, parsed.text, where)),
      firstOf(namedMatches(store, parsed.text, where, opts.albums)),
    ]);
  const ranked = inFilters.filter((r) => !excluded.has(r.hash));
  const kept = (rows: readonly RowRef[]): RowRef[] => rows.filter((r) => !excluded.has(r.hash));
  const evidence = [...kept(inText), ...kept(inNames)];
  const matching =
    opts.all === true ? ranked.length : matchingCount(ranked, library, embedder.calibration.relevanceGap);
  const fused = fuse(
    pool === null
      ? ranked
      : [...ranked, ...(await scoredBesides(store, await vectorOf(parsed.text), evidence, ranked))],
    Math.min(matching, ranked.length),
    [
      { rows: kept(inText), reason: 'text', weight: TEXT_WEIGHT, ordered: true },
      { rows: kept(inNames), reason: 'name', weight: NAME_WEIGHT, ordered: false },
    ],
    parsed.phrases.length > 0 ? new Set([...phraseHashes.values()].flat()) : null,
  );
  const hits = await hitsOf(store, fused.slice(0, limit), thumbsDir, [...likely, ...textRead, ...namesRead]);
  // Ranked from the library's ranking, what is past the cut is counted, less what is known excluded.
  const loose = pool === null ? ranked.length : Math.max(ranked.length, pool - (inFilters.length - ranked.length));
  return { hits, more: loose - Math.min(matching, ranked.length), parsed };
}

async function keyed<V>(keys: readonly string[], value: (key: string) => Promise<V>): Promise<Map<string, V>> {
  return new Map(await Promise.all(keys.map(async (k) => [k, await value(k)] as const)));
}

/**
 * Items under `where` found by a name holding every word of `text`: their folder or file names,
 * or the name of a user album they are in ("rome" finds the album "Rome with Ann").
 */
async function namedMatches(
  store: PhotoStore,
  text: string,
  where: string,
  albums: NameLookup | undefined,
): Promise<RowRef[]> {
  const words = queryWords(text);
  const named = (albums?.names ?? []).filter((name) => {
    const own = new Set(queryWords(name));
    return words.length > 0 && words.every((w) => own.has(w));
  });
  const [byPath, inAlbums] = await Promise.all([
    store.names(words, where, POOL),
    named.length === 0
      ? []
      : Promise.all(named.map((n) => albums!.hashes(n))).then((sets) =>
          store.idsOfHashes([...new Set(sets.flat())], where),
        ),
  ]);
  const seen = new Set(byPath.map((r) => r.id));
  return [...byPath, ...inAlbums.filter((r) => !seen.has(r.id))];
}

/** Items under `where` whose read text holds every word of `text`, best first. */
async function textMatches(store: PhotoStore, text: string, where: string): Promise<RowRef[]> {
  const hashes = await store.texts.matching(text, POOL);
  if (hashes.length === 0) return [];
  const order = new Map(hashes.map((h, i) => [h, i]));
  const rows = await store.idsOfHashes(hashes, where);
  return rows.sort((a, b) => order.get(a.hash)! - order.get(b.hash)!);
}

/** A result of the fused ranking; a photo found only by its text has no picture score. */
type Fused = Omit<Ranked, 'score'> & { score: number | null; matched: MatchReason[] };

/** Reciprocal rank fusion's constant: how little a rank of 1 counts over a rank of 10. */
const RRF_K = 60;
/** A photo whose text holds every word of the query is strong evidence: its rank counts double. */
const TEXT_WEIGHT = 2;
/** So is a folder or file named with every word: words the user wrote, as on a receipt. */
const NAME_WEIGHT = 2;

/** Items found otherwise than by the picture, best first, and what found them. */
interface Evidence {
  rows: readonly RowRef[];
  reason: MatchReason;
  weight: number;
  /**
   * Whether the order of `rows` means something. Text read in photos is ranked by the full-text
   * index; a name holds the words or not, so every name match counts as a first rank and the
   * picture orders them.
   */
  ordered: boolean;
}

/**
 * The picture's ranking (its first `shown` results) and the items found by their text and names
 * fused by weighted reciprocal rank: a photo found by both comes first, and a receipt reading
 * "invoice 4711" beats the picture that merely looks most like the words.
 */
function fuse(
  ranked: readonly Ranked[],
  shown: number,
  evidence: readonly Evidence[],
  /** With a quoted phrase: the contents whose text holds it (the others hold it in their name). */
  phraseInText: ReadonlySet<string> | null,
): Fused[] {
  const out = new Map<string, Fused & { fused: number }>();
  ranked.forEach((r, i) => {
    if (i < shown) out.set(r.id, { ...r, matched: ['image'], fused: 1 / (RRF_K + i + 1) });
  });
  for (const { rows, reason, weight, ordered } of evidence)
    rows.forEach((t, at) => {
      const i = ordered ? at : 0;
      const seen = out.get(t.id) ?? ranked.find((r) => r.id === t.id);
      const base = seen
        ? { ...seen, matched: out.get(t.id)?.matched ?? [] }
        : { ...t, score: -1, atMs: null, matched: [] };
      const fused = (out.get(t.id)?.fused ?? 0) + weight / (RRF_K + i + 1);
      out.set(t.id, { ...base, matched: [...base.matched, reason], fused });
    });
  const all = [...out.values()].sort((a, b) => b.fused - a.fused);
  if (phraseInText)
    for (const r of all) {
      const why: MatchReason = phraseInText.has(r.hash) ? 'text' : 'name';
      if (!r.matched.includes(why)) r.matched.push(why);
    }
  return all;
}
