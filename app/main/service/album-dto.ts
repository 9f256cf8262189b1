import type * as core from '../core/albums/albums.ts';
import type {
  AlbumPhoto,
  AlbumSummary,
  DuplicateGroup,
  PhotoMarks,
  PhotoTag,
  SmartSearch,
  TagEntry,
} from '../../shared/types.ts';

/** Albums' records → contract shapes: content hashes and the engine's extra fields stay inside. */
export function toAlbumSummary(a: core.AlbumSummary, coverSensitive = false): AlbumSummary {
  return { id: a.id, name: a.name, kind: a.kind, count: a.count, coverId: a.coverId, coverSensitive };
}

/** The example photos' hashes stay inside: the renderer is told only how many there are. */
export function toSmartSearch(q: core.SmartQuery): SmartSearch {
  return { text: q.text ?? null, filters: q.filters ?? null, examples: q.like?.length ?? 0 };
}

export function toTagEntry(c: core.Concept): TagEntry {
  return { id: c.id, name: c.name, group: c.group, builtin: c.builtin, hidden: c.hidden, sensitive: c.sensitive };
}

export function toAlbumPhoto(p: core.AlbumPhoto): AlbumPhoto {
  return {
    id: p.id,
    path: p.path,
    score: p.score,
    width: p.width,
    height: p.height,
    takenAt: null,
    date: p.date,
    format: p.format,
    kind: p.kind,
    durationMs: p.durationMs,
    at: null,
    favourite: p.favourite,
    rating: p.rating,
    sensitive: p.sensitive,
  };
}

export function toPhotoTag(t: core.PhotoTag): PhotoTag {
  return {
    tag: t.tag,
    name: t.name,
    score: t.score,
    source: t.source,
    decision: t.decision,
    applied: t.applied,
    sensitive: t.sensitive,
  };
}

export function toPhotoMarks(m: core.PhotoMarks): PhotoMarks {
  return { favourite: m.favourite, rating: m.rating, sensitive: m.sensitive };
}

export function toDuplicateGroup(g: core.DuplicateGroup): DuplicateGroup {
  return {
    id: g.id,
    kind: g.kind,
    suggestionId: g.suggestion.id,
    photos: g.photos.map((p) => ({
      id: p.id,
      path: p.path,
      width: p.width,
      height: p.height,
      size: p.size,
      date: p.date,
      sensitive: p.sensitive,
    })),
  };
}
