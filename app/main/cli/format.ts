import type { LibraryStatus } from '../core/engine/engine.ts';
import type { IndexSummary } from '../core/index/index-types.ts';
import type { SearchHit } from '../core/search/search.ts';
import type { QueryResult } from '../core/search/query-search.ts';
import type { TextLine } from '../core/embed/text-reader.ts';

/** `more`: results past the relevance cut, which `--all` shows. */
export function formatHits(hits: SearchHit[], more = 0): string {
  const rest = more > 0 ? `${more} more match loosely (--all shows them)\n` : '';
  if (hits.length === 0) return `nothing found\n${rest}`;
  return (
    hits.map((h, i) => `${String(i + 1).padStart(3)}. ${(h.score ?? 0).toFixed(3)}  ${h.path}${moment(h)}`).join('\n') +
    '\n' +
    rest
  );
}

/** Where a video matched, as m:ss, so the moment can be found in any player. */
function moment(h: SearchHit): string {
  if (h.kind !== 'video') return '';
  const at = Math.round(h.at ?? 0);
  return `  (video, at ${Math.floor(at / 60)}:${String(at % 60).padStart(2, '0')})`;
}

export function formatSummary(s: IndexSummary): string {
  const lines = [
    `${s.indexed} indexed, ${s.reused} reused, ${s.unchanged} unchanged, ${s.failed} failed, ${s.removed} removed`,
  ];
  if (s.offline.length > 0) lines.push(`offline (kept as they were): ${s.offline.join(', ')}`);
  if (s.interrupted) lines.push('stopped early: what was done is saved; run index again to resume');
  return lines.join('\n') + '\n';
}

export function formatStatus(s: LibraryStatus): string {
  const some = [
    [s.kinds.video, 'videos'],
    [s.kinds.live, 'Live Photos'],
    [s.kinds.raw, 'RAW'],
  ].filter(([n]) => (n as number) > 0);
  const items =
    some.length > 0 ? `${s.photos} (${some.map(([n, what]) => `${n} ${what}`).join(', ')})` : String(s.photos);
  const out = [`library: ${s.library}`, `photos: ${items}   failed: ${s.failed}`];
  if (s.model) {
    out.push(`model: ${s.model.id} (${s.model.dir})`);
    out.push(
      `  ${s.model.dim}-d vectors, ${s.model.inputSize.width}×${s.model.inputSize.height} input, context ${s.model.contextLength}, provider ${s.model.provider}`,
    );
    for (const f of s.model.fallbacks) out.push(`  fell back from ${f}`);
    const c = s.model.calibration;
    out.push(
      `  calibrated as ${c.family} (logit scale ${c.logitScale}): tag margin ${c.tagMargin}, relevance gap ${c.relevanceGap}`,
    );
  }
  // Said only when chosen: the built-in reader is what every library starts with.
  if (s.textLanguage !== 'built-in') out.push(`text in photos: read as ${s.textLanguage} (shoebox text-language)`);
  out.push(s.roots.length === 0 ? 'folders: none yet (shoebox add <folder>)' : 'folders:');
  for (const r of s.roots)
    out.push(`  ${r.online ? 'online ' : 'OFFLINE'}  ${r.photos} photos, ${r.failed} failed  ${r.path}`);
  if (s.failures.length > 0) {
    out.push('failed files:');
    for (const f of s.failures) out.push(`  ${f.path}: ${f.reason}`);
  }
  return out.join('\n') + '\n';
}

const day = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** What `search --explain --json` prints: what the query was understood as, and its results. */
export function explained(r: QueryResult): object {
  const { text, dates, kinds, exclude, phrases, places, cameras, albums, tags, understood } = r.parsed;
  return {
    text,
    dates,
    kinds,
    exclude,
    phrases,
    places,
    cameras,
    albums,
    tags,
    understood,
    hits: r.hits,
    more: r.more,
  };
}

export function formatExplained(r: QueryResult): string {
  const p = r.parsed;
  const lines = [`searching for: ${p.text === '' ? '(filters only, newest first)' : p.text}`];
  if (p.dates !== null) {
    const shown = p.dates.slice(0, 3).map((d) => `${day(d.from)} – ${day(d.to - 1)}`);
    lines.push(`taken: ${shown.join(', ')}${p.dates.length > 3 ? ` and ${p.dates.length - 3} more ranges` : ''}`);
  }
  if (p.kinds.length > 0) lines.push(`kinds: ${p.kinds.join(', ')}`);
  if (p.exclude.length > 0) lines.push(`without: ${p.exclude.join(', ')}`);
  if (p.phrases.length > 0) lines.push(`names containing: ${p.phrases.map((x) => `"${x}"`).join(', ')}`);
  if (p.places.length > 0) lines.push(`taken in: ${p.places.join(' or ')}`);
  if (p.cameras.length > 0) lines.push(`taken with: ${p.cameras.join(' or ')}`);
  if (p.albums.length > 0) lines.push(`in albums: ${p.albums.join(', ')}`);
  if (p.tags.length > 0) lines.push(`tagged: ${p.tags.join(', ')}`);
  return lines.join('\n') + '\n' + formatHits(r.hits, r.more);
}

export interface PrintedLine {
  text: string;
  confidence: number;
  /** Corners in the upright photo's pixels: top-left, top-right, bottom-right, bottom-left. */
  box: [number, number][];
}

export function roundedLine(l: TextLine): PrintedLine {
  return {
    text: l.text,
    confidence: Math.round(l.confidence * 1000) / 1000,
    box: l.corners.map(([x, y]): [number, number] => [Math.round(x), Math.round(y)]),
  };
}

export function formatTextLines(lines: readonly PrintedLine[]): string {
  if (lines.length === 0) return 'no text found\n';
  return (
    lines
      .map((l) => {
        const xs = l.box.map((p) => p[0]);
        const ys = l.box.map((p) => p[1]);
        const box = `${Math.min(...xs)},${Math.min(...ys)} ${Math.max(...xs) - Math.min(...xs)}×${Math.max(...ys) - Math.min(...ys)}`;
        return `${l.confidence.toFixed(2)}  ${box.padEnd(20)}  ${l.text}`;
      })
      .join('\n') + '\n'
  );
}
