// The tags screen: reading the vocabulary and the user's changes to it (add, rename, hide or
// show, remove). Every change answers with the whole vocabulary, which replaces the list.
import { api } from '../api/index.ts';
import { albums } from '../state/albums.svelte.ts';
import { notifications } from '../state/notifications.svelte.ts';
import { tags } from '../state/tags.svelte.ts';
import type { TagEntry } from '../../../../shared/types.ts';

export async function loadTags(): Promise<void> {
  const list = await api.call('tags.list', {});
  if (!list) return;
  tags.list = list;
  tags.loaded = true;
}

export async function showTags(): Promise<void> {
  albums.pane = { kind: 'tags' };
  tags.filter = '';
  await loadTags();
}

/** One change at a time; true when it went through. */
async function change(run: () => Promise<TagEntry[] | undefined>): Promise<boolean> {
  if (tags.busy) return false;
  tags.busy = true;
  try {
    const list = await run();
    if (!list) return false;
    tags.list = list;
    return true;
  } finally {
    tags.busy = false;
  }
}

/** True when the tag was added, so the form can clear its field. */
export async function addTag(name: string): Promise<boolean> {
  const n = name.trim();
  if (n === '') return false;
  const ok = await change(() => api.call('tags.add', { name: n }));
  if (ok)
    notifications.success(
      `Added the tag “${n}”`,
      'Photos are being tagged for it; its album appears once 3 photos have it.',
    );
  return ok;
}

export function startRenameTag(tag: TagEntry): void {
  tags.renaming = tag;
}

export function cancelRenameTag(): void {
  if (!tags.busy) tags.renaming = null;
}

/** The dialog stays open on a refusal (a name already taken), with the reason in a toast. */
export async function submitTagName(name: string): Promise<void> {
  const tag = tags.renaming;
  if (!tag || name.trim() === '') return;
  if (await change(() => api.call('tags.rename', { tag: tag.id, name }))) tags.renaming = null;
}

export async function setTagHidden(tag: TagEntry, hidden: boolean): Promise<void> {
  await change(() => api.call('tags.hide', { tag: tag.id, hidden }));
}

export function askRemoveTag(tag: TagEntry): void {
  tags.removing = tag;
}

export function cancelRemoveTag(): void {
  if (!tags.busy) tags.removing = null;
}

export async function confirmRemoveTag(): Promise<void> {
  const tag = tags.removing;
  if (!tag) return;
  if (!(await change(() => api.call('tags.remove', { tag: tag.id })))) return;
  tags.removing = null;
  notifications.success(
    `Removed the tag “${tag.name}”`,
    tag.builtin ? 'Add it again by name to bring it back.' : 'Photos are being tagged again without it.',
  );
}
