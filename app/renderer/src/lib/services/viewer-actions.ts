// The viewer: opening a photo from the grid, stepping through the grid, and its actions.
import { api } from '../api/index.ts';
import { feed } from '../state/feed.svelte.ts';
import { viewer } from '../state/viewer.svelte.ts';
import type { PhotoHit } from '../../../../shared/types.ts';
import { fileName } from '../utils/format.ts';
import { RequestSequence } from '../utils/live-query.ts';
import { loadRange, showSimilar } from './feed-actions.ts';

const details = new RequestSequence();

export function openViewer(index: number): void {
  if (index < 0 || index >= feed.total) return;
  viewer.index = index;
  viewer.details = null;
  feed.focused = index;
  void loadDetails(index);
}

export function closeViewer(): void {
  details.invalidate();
  viewer.index = null;
  viewer.details = null;
}

export function stepViewer(delta: number): void {
  if (viewer.index === null) return;
  openViewer(viewer.index + delta);
}

async function photoAt(index: number): Promise<PhotoHit | undefined> {
  // Stepping past the pages loaded so far (browsing a big library) loads the next one first.
  if (!feed.itemAt(index)) await loadRange(index, index + 1);
  return feed.itemAt(index);
}

async function loadDetails(index: number): Promise<void> {
  const n = details.next();
  const photo = await photoAt(index);
  if (!photo || !details.isCurrent(n)) return;
  const d = await api.call('photos.get', { id: photo.id });
  if (d && details.isCurrent(n)) viewer.details = d;
}

export async function moreLikeThis(): Promise<void> {
  const photo = viewer.index === null ? undefined : feed.itemAt(viewer.index);
  if (!photo) return;
  closeViewer();
  await showSimilar(photo.id, fileName(photo.path));
}

export async function revealInFolder(): Promise<void> {
  const photo = viewer.index === null ? undefined : feed.itemAt(viewer.index);
  if (photo) await api.call('photos.reveal', { id: photo.id });
}
