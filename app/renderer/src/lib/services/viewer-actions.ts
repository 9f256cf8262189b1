// The viewer: opening a photo from a grid (all photos or an album), stepping through that grid,
// and its actions.
import { api } from '../api/index.ts';
import { albums } from '../state/albums.svelte.ts';
import { feed } from '../state/feed.svelte.ts';
import { notifications } from '../state/notifications.svelte.ts';
import { viewer } from '../state/viewer.svelte.ts';
import type { ViewerSource } from '../state/viewer.svelte.ts';
import type { PhotoHit } from '../../../../shared/types.ts';
import { fileName } from '../utils/format.ts';
import { RequestSequence } from '../utils/live-query.ts';
import { refreshAlbums } from './album-actions.ts';
import { loadRange, showSimilar } from './feed-actions.ts';
import { loadMarks } from './mark-actions.ts';
import { gridOf, viewerPhoto } from './viewer-grid.ts';

export { viewerPhoto, viewerTotal } from './viewer-grid.ts';

const details = new RequestSequence();

export function openViewer(index: number, source: ViewerSource = 'feed'): void {
  const grid = gridOf(source);
  if (index < 0 || index >= grid.total) return;
  viewer.source = source;
  viewer.index = index;
  viewer.details = null;
  viewer.tags = null;
  viewer.marks = null;
  viewer.face = null;
  grid.setFocused(index);
  void loadDetails(index);
}

export function closeViewer(): void {
  details.invalidate();
  viewer.index = null;
  viewer.details = null;
  viewer.tags = null;
  viewer.marks = null;
  viewer.face = null;
}

export function stepViewer(delta: number): void {
  if (viewer.index === null) return;
  openViewer(viewer.index + delta, viewer.source);
}

async function photoAt(index: number): Promise<PhotoHit | undefined> {
  // Stepping past the pages loaded so far (browsing a big library) loads the next one first.
  if (viewer.source === 'feed' && !feed.itemAt(index)) await loadRange(index, index + 1);
  return gridOf(viewer.source).itemAt(index);
}

async function loadDetails(index: number): Promise<void> {
  const n = details.next();
  const photo = await photoAt(index);
  if (!photo || !details.isCurrent(n)) return;
  const [d] = await Promise.all([
    api.call('photos.get', { id: photo.id }),
    loadMarks(photo.id, () => details.isCurrent(n)),
  ]);
  if (d && details.isCurrent(n)) viewer.details = d;
}

export async function moreLikeThis(): Promise<void> {
  const photo = viewerPhoto();
  if (!photo) return;
  closeViewer();
  await showSimilar(photo.id, fileName(photo.path));
}

export async function revealInFolder(): Promise<void> {
  const photo = viewerPhoto();
  if (photo) await api.call('photos.reveal', { id: photo.id });
}

/**
 * Takes the photo shown out of the user album the viewer was opened from; the viewer moves on to
 * the photo that takes its place, or closes when the album is empty.
 */
export async function removeFromOpenAlbum(): Promise<void> {
  const photo = viewerPhoto();
  const album = albums.page?.album;
  if (!photo || !album || viewer.source !== 'album' || album.kind !== 'user') return;
  const r = await api.call('albums.remove', { id: album.id, photoIds: [photo.id] });
  if (!r) return;
  notifications.success(`Removed from “${album.name}”`, 'The photo is still in your library.');
  // Taken out here at once: a re-read may lose the race to one the change event started, and the
  // viewer must not be left on a photo that is gone. The re-read then supersedes older ones.
  const page = albums.page;
  if (page?.album.id === album.id) {
    const items = page.items.filter((p) => p.id !== photo.id);
    const gone = page.items.length - items.length;
    albums.page = {
      ...page,
      items,
      total: page.total - gone,
      album: { ...page.album, count: page.album.count - gone },
    };
  }
  const total = albums.page?.items.length ?? 0;
  if (viewer.index !== null) {
    if (total === 0) closeViewer();
    else openViewer(Math.min(viewer.index, total - 1), 'album');
  }
  await refreshAlbums();
}

/** Puts the text read in the open photo on the clipboard, a line per line. */
export async function copyPhotoText(): Promise<void> {
  const lines = viewer.details?.text ?? [];
  if (lines.length === 0) return;
  try {
    await navigator.clipboard.writeText(lines.map((l) => l.text).join('\n'));
    notifications.success('Copied the text');
  } catch {
    notifications.error('Could not copy the text', 'Select it and copy it instead.');
  }
}
