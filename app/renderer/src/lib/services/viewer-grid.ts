// Which grid the viewer steps through, so its actions work the same over all photos, albums and people.
import { albums } from '../state/albums.svelte.ts';
import { feed } from '../state/feed.svelte.ts';
import { people } from '../state/people.svelte.ts';
import { viewer } from '../state/viewer.svelte.ts';
import type { ViewerSource } from '../state/viewer.svelte.ts';
import type { PhotoHit } from '../../../../shared/types.ts';

export interface Grid {
  total: number;
  itemAt(index: number): PhotoHit | undefined;
  setFocused(index: number): void;
}

export function gridOf(source: ViewerSource): Grid {
  if (source === 'album') {
    const items = albums.page?.items ?? [];
    return { total: items.length, itemAt: (i) => items[i], setFocused: (i) => (albums.focused = i) };
  }
  if (source === 'person') {
    const items = people.page?.items ?? [];
    return { total: items.length, itemAt: (i) => items[i], setFocused: (i) => (people.focused = i) };
  }
  return { total: feed.total, itemAt: (i) => feed.itemAt(i), setFocused: (i) => (feed.focused = i) };
}

/** The photo the viewer shows now, if it is loaded. */
export function viewerPhoto(): PhotoHit | undefined {
  return viewer.index === null ? undefined : gridOf(viewer.source).itemAt(viewer.index);
}

export function viewerTotal(): number {
  return gridOf(viewer.source).total;
}
