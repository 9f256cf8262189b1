import type { SearchFilters } from '../search/search.ts';
import type { ItemKind } from '../store/photo-schema.ts';

// The contract's shapes are the engine's too: one definition, which app/shared owns since it
// imports nothing. An album's count is one per content (copies count once, except in duplicates).
import type { AlbumSummary } from '../../../shared/types.ts';
export type { AlbumKind, AlbumSummary } from '../../../shared/types.ts';

export interface AlbumPhoto {
  /** The photo id and path of the content's first copy; `paths` lists every copy. */
  id: string;
  hash: string;
  path: string;
  paths: string[];
  date: number;
  width: number;
  height: number;
  format: string;
  kind: ItemKind;
  durationMs: number | null;
  /** Tag albums: the tag's cosine; smart albums: the match score; otherwise null. */
  score: number | null;
  /** Blur until the user asks: a sensitive concept was detected or accepted. */
  sensitive: boolean;
  favourite: boolean;
  rating: number | null;
}

export interface AlbumDetails extends AlbumSummary {
  photos: AlbumPhoto[];
  /** Smart albums: the saved search. */
  query?: SmartQuery;
}

/** A saved search. Members are computed when read, so new photos join as they are indexed. */
export interface SmartQuery {
  text?: string;
  /** Example photos by content hash (createSmart takes ids or paths and stores their hashes). */
  like?: string[];
  filters?: SearchFilters;
  /** At most this many members (default 500). */
  limit?: number;
  /** Text: minimum margin over the empty caption (default 0.02); examples: minimum cosine (0.85). */
  minScore?: number;
}

export type TagDecision = 'accept' | 'reject';

export interface PhotoTag {
  /** Stable concept id (decisions refer to it); `name` is what to show. */
  tag: string;
  name: string;
  group: string;
  score: number | null;
  /** 'auto': the model assigned it; 'user': only the user's accept puts it there. */
  source: 'auto' | 'user';
  decision: TagDecision | null;
  /** Whether the photo has the tag after the user's decision. */
  applied: boolean;
  sensitive: boolean;
}

export interface DuplicateGroup {
  id: string;
  /** 'exact': one content at several paths; 'near': different files of the same picture. */
  kind: 'exact' | 'near';
  /** Best first: the one to keep. Nothing is ever deleted automatically. */
  photos: DuplicatePhoto[];
  suggestion: DuplicatePhoto;
}

export interface DuplicatePhoto {
  id: string;
  hash: string;
  path: string;
  width: number;
  height: number;
  size: number;
  date: number;
  sensitive: boolean;
}

export interface PhotoMarks {
  hash: string;
  favourite: boolean;
  rating: number | null;
  sensitive: boolean;
}

export interface RetagSummary {
  /** Distinct contents in the library. */
  photos: number;
  tagged: number;
  /** Perceptual hashes computed this run. */
  hashed: number;
  vocabulary: string;
  interrupted: boolean;
}
