// What the viewer's organising panel does: tags (accept / reject), favourite, stars, and adding
// the photo to one of the user's albums.
import { api } from '../api/index.ts';
import { albums } from '../state/albums.svelte.ts';
import { notifications } from '../state/notifications.svelte.ts';
import { viewer } from '../state/viewer.svelte.ts';
import type { PhotoTag } from '../../../../shared/types.ts';
import { plural } from '../utils/format.ts';
import { loadAlbums } from './album-actions.ts';
import { viewerPhoto } from './viewer-grid.ts';

/** Tags and marks of the photo just opened; `current` says whether it is still the one shown. */
export async function loadMarks(id: string, current: () => boolean): Promise<void> {
  const [tags, marks] = await Promise.all([
    api.call('photos.tags', { id }),
    api.call('photos.marks', { id }),
    albums.loaded ? null : loadAlbums(),
  ]);
  if (!current()) return;
  if (tags) viewer.tags = tags;
  if (marks) viewer.marks = marks;
}

/** Clicking the decision already made takes it back, leaving the model's say. */
export async function decideTag(tag: PhotoTag, decision: 'accept' | 'reject'): Promise<void> {
  const photo = viewerPhoto();
  if (!photo) return;
  const tags = await api.call('photos.decideTag', {
    id: photo.id,
    tag: tag.tag,
    decision: tag.decision === decision ? null : decision,
  });
  if (tags && viewerPhoto()?.id === photo.id) viewer.tags = tags;
}

export async function toggleFavourite(): Promise<void> {
  const photo = viewerPhoto();
  if (!photo || !viewer.marks) return;
  const marks = await api.call('photos.setFavourite', { id: photo.id, favourite: !viewer.marks.favourite });
  if (marks && viewerPhoto()?.id === photo.id) viewer.marks = marks;
}

/** Clicking the stars already given clears the rating. */
export async function rate(stars: number): Promise<void> {
  const photo = viewerPhoto();
  if (!photo || !viewer.marks) return;
  const marks = await api.call('photos.setRating', {
    id: photo.id,
    rating: viewer.marks.rating === stars ? null : stars,
  });
  if (marks && viewerPhoto()?.id === photo.id) viewer.marks = marks;
}

export async function addToAlbum(albumId: string): Promise<void> {
  const photo = viewerPhoto();
  const album = albums.list.find((a) => a.id === albumId);
  if (!photo || !album) return;
  const r = await api.call('albums.add', { id: albumId, photoIds: [photo.id] });
  if (!r) return;
  notifications.success(
    r.added > 0 ? `Added to “${album.name}”` : `Already in “${album.name}”`,
    r.added > 0 ? `${plural(album.count + r.added, 'photo')} in the album now.` : 'Nothing changed.',
  );
  await loadAlbums();
}
