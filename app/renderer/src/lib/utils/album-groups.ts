// The albums screen's sections, in the order a person looks for them.
import type { AlbumKind, AlbumSummary } from '../../../../shared/types.ts';

export interface AlbumSection {
  id: string;
  title: string;
  albums: AlbumSummary[];
}

const SECTIONS: { id: string; title: string; kinds: AlbumKind[] }[] = [
  { id: 'yours', title: 'Your albums', kinds: ['user', 'smart'] },
  { id: 'tags', title: 'Places & things', kinds: ['tag'] },
  { id: 'places', title: 'Places', kinds: ['place'] },
  { id: 'events', title: 'Events', kinds: ['event'] },
  { id: 'duplicates', title: 'Duplicates', kinds: ['duplicates'] },
];

/** Sections with their albums; empty ones are left out except "Your albums", which holds the "New album" prompt. */
export function albumSections(list: readonly AlbumSummary[]): AlbumSection[] {
  return SECTIONS.map((s) => ({
    id: s.id,
    title: s.title,
    albums: list.filter((a) => s.kinds.includes(a.kind)),
  })).filter((s) => s.id === 'yours' || s.albums.length > 0);
}
