import type { LibraryStatus } from '../core/engine/engine.ts';
import type { IndexSummary } from '../core/index/index-types.ts';
import type { SearchHit } from '../core/search/search.ts';

export function formatHits(hits: SearchHit[]): string {
  if (hits.length === 0) return 'nothing found\n';
  return (
    hits.map((h, i) => `${String(i + 1).padStart(3)}. ${(h.score ?? 0).toFixed(3)}  ${h.path}${moment(h)}`).join('\n') +
    '\n'
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
  const items = s.videos > 0 ? `${s.photos} (${s.videos} videos)` : String(s.photos);
  const out = [`library: ${s.library}`, `photos: ${items}   failed: ${s.failed}`];
  if (s.model) {
    out.push(`model: ${s.model.id} (${s.model.dir})`);
    out.push(
      `  ${s.model.dim}-d vectors, ${s.model.inputSize.width}×${s.model.inputSize.height} input, context ${s.model.contextLength}, provider ${s.model.provider}`,
    );
    for (const f of s.model.fallbacks) out.push(`  fell back from ${f}`);
  }
  out.push(s.roots.length === 0 ? 'folders: none yet (shoebox add <folder>)' : 'folders:');
  for (const r of s.roots)
    out.push(`  ${r.online ? 'online ' : 'OFFLINE'}  ${r.photos} photos, ${r.failed} failed  ${r.path}`);
  if (s.failures.length > 0) {
    out.push('failed files:');
    for (const f of s.failures) out.push(`  ${f.path}: ${f.reason}`);
  }
  return out.join('\n') + '\n';
}
