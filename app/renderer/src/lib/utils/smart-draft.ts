// What the photos screen shows now, as a search that can be saved for a smart album.
import type { SmartDraft } from '../state/albums.svelte.ts';
import type { FeedMode } from '../state/feed.svelte.ts';
import type { Filters } from './filters.ts';

/** null when the screen shows every photo: there is no search to save. */
export function smartDraftOf(mode: FeedMode, filters: Filters | undefined): SmartDraft | null {
  const f = filters ? { filters } : {};
  if (mode.kind === 'search') return { name: mode.query, text: mode.query, ...f };
  if (mode.kind === 'similar') return { name: `Like ${mode.name}`, likeIds: [mode.id], ...f };
  return filters ? { name: 'Filtered photos', ...f } : null;
}
