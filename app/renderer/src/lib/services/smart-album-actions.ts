// Saving the photos screen's search as a smart album: its photos are found again whenever it is
// read, so photos indexed later join it.
import { api } from '../api/index.ts';
import { albums } from '../state/albums.svelte.ts';
import type { SmartDraft } from '../state/albums.svelte.ts';
import { notifications } from '../state/notifications.svelte.ts';
import { plural } from '../utils/format.ts';
import { loadAlbums } from './album-actions.ts';

export function startSaveSmart(draft: SmartDraft | null): void {
  if (draft) albums.smartDraft = draft;
}

export function cancelSaveSmart(): void {
  if (!albums.busy) albums.smartDraft = null;
}

/** The dialog stays open on a refusal (a name already taken). */
export async function submitSmartName(name: string): Promise<void> {
  const draft = albums.smartDraft;
  if (!draft || albums.busy || name.trim() === '') return;
  albums.busy = true;
  try {
    const album = await api.call('albums.createSmart', {
      name,
      ...(draft.text !== undefined ? { text: draft.text } : {}),
      ...(draft.filters ? { filters: draft.filters } : {}),
      ...(draft.likeIds ? { likeIds: draft.likeIds } : {}),
    });
    if (!album) return;
    albums.smartDraft = null;
    notifications.success(
      `Saved “${album.name}” as a smart album`,
      `${plural(album.count, 'photo')} now; new photos that match join it as they are indexed.`,
    );
    await loadAlbums();
  } finally {
    albums.busy = false;
  }
}
