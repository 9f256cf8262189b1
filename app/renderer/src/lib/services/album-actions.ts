// The albums screen: reading albums, opening one or the duplicates review, and the user's own
// albums' create, rename and delete.
import { api, reportError } from '../api/index.ts';
import { albums } from '../state/albums.svelte.ts';
import type { AlbumsPane } from '../state/albums.svelte.ts';
import { notifications } from '../state/notifications.svelte.ts';
import { RequestSequence } from '../utils/live-query.ts';
import { loadTags } from './tag-actions.ts';

/** An album's photos are read in one go up to this many: enough for any album a person makes. */
const ALBUM_LIMIT = 1000;

const reads = new RequestSequence();

export async function loadAlbums(): Promise<void> {
  const list = await api.call('albums.list', {});
  if (!list) return;
  albums.list = list;
  albums.loaded = true;
}

/** Back to the grid of albums, re-read so counts and covers are current. */
export async function showAlbumList(): Promise<void> {
  reads.invalidate();
  albums.pane = { kind: 'list' };
  await loadAlbums();
}

export async function openAlbum(id: string): Promise<void> {
  albums.pane = { kind: 'album', id };
  albums.page = null;
  albums.focused = -1;
  albums.view += 1;
  await readAlbum(id);
}

/**
 * Reads the album into the pane. Opened by the user, a failure is reported and the list shown. As
 * a background refresh (`quiet`) only an album that is gone (deleted in another window, or its tag
 * no longer applies) goes back to the list; a passing error keeps the page the user is looking at.
 */
async function readAlbum(id: string, quiet = false): Promise<void> {
  const n = reads.next();
  const r = await api.attempt('albums.get', { id, limit: ALBUM_LIMIT });
  // A newer read, or the user has moved to another pane (tags, duplicates, the list) meanwhile.
  const pane = albums.pane;
  if (!reads.isCurrent(n) || pane.kind !== 'album' || pane.id !== id) return;
  if (r.ok) {
    albums.page = r.data;
    return;
  }
  if (quiet && r.error.code !== 'NOT_FOUND') return;
  if (!quiet) reportError(r.error);
  await showAlbumList();
}

export async function showDuplicates(): Promise<void> {
  albums.pane = { kind: 'duplicates' };
  albums.duplicates = null;
  await readDuplicates();
}

async function readDuplicates(): Promise<void> {
  const n = reads.next();
  const groups = await api.call('albums.duplicates', {});
  if (groups && reads.isCurrent(n)) albums.duplicates = groups;
}

/** The library changed (here or in another window): re-read whatever the screen shows. */
export async function refreshAlbums(): Promise<void> {
  await loadAlbums();
  // The pane as it is now, not as it was when the refresh began: a user who opened another album
  // while the list loaded would otherwise be shown the old album's page under the new one's name.
  const pane: AlbumsPane = albums.pane;
  if (pane.kind === 'album') {
    await readAlbum(pane.id, true);
  } else if (pane.kind === 'duplicates') {
    await readDuplicates();
  } else if (pane.kind === 'tags') {
    await loadTags();
  }
}

/** A sensitive photo stays blurred until the user asks to see it. */
export function isVeiled(photo: { id: string; sensitive?: boolean }): boolean {
  return photo.sensitive === true && !albums.shown.has(photo.id);
}

export function showSensitive(id: string): void {
  albums.shown.add(id);
}

export function startCreateAlbum(): void {
  albums.naming = { kind: 'create' };
}

export function startRenameAlbum(): void {
  const album = albums.page?.album;
  if (album) albums.naming = { kind: 'rename', id: album.id, name: album.name };
}

export function cancelNaming(): void {
  if (!albums.busy) albums.naming = null;
}

/** Creates or renames, as the open name dialog says; the dialog stays open on a refusal. */
export async function submitAlbumName(name: string): Promise<void> {
  const naming = albums.naming;
  if (!naming || albums.busy || name.trim() === '') return;
  albums.busy = true;
  try {
    const album =
      naming.kind === 'create'
        ? await api.call('albums.create', { name })
        : await api.call('albums.rename', { id: naming.id, name });
    if (!album) return;
    albums.naming = null;
    if (naming.kind === 'create') {
      notifications.success(`Created “${album.name}”`, 'Add photos to it from the viewer.');
      await loadAlbums();
    } else {
      if (albums.page?.album.id === album.id)
        albums.page = { ...albums.page, album: { ...albums.page.album, name: album.name } };
      await loadAlbums();
    }
  } finally {
    albums.busy = false;
  }
}

export function askDeleteAlbum(): void {
  albums.deleting = albums.page?.album ?? null;
}

export function cancelDeleteAlbum(): void {
  if (!albums.busy) albums.deleting = null;
}

export async function confirmDeleteAlbum(): Promise<void> {
  const album = albums.deleting;
  if (!album || albums.busy) return;
  albums.busy = true;
  try {
    if (!(await api.call('albums.delete', { id: album.id }))) return;
    albums.deleting = null;
    notifications.success(`Deleted “${album.name}”`, 'Its photos are still in your library.');
    await showAlbumList();
  } finally {
    albums.busy = false;
  }
}
