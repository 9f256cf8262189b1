// Which script text in photos is read in: listed on the Folders screen, changed there (the
// download is checked by the main process; a failure comes back through the one error handler).
import { api } from '../api/index.ts';
import { notifications } from '../state/notifications.svelte.ts';
import { textLanguages } from '../state/text-languages.svelte.ts';
import type { TextLanguageEntry } from '../../../../shared/types.ts';

/** The list as the library has it; the pick follows the one in use unless `keepPick` and it is still listed. */
function show(list: TextLanguageEntry[], keepPick = false): void {
  const kept = keepPick && list.some((l) => l.id === textLanguages.picked);
  textLanguages.list = list;
  if (!kept) textLanguages.picked = list.find((l) => l.inUse)?.id ?? 'built-in';
}

/** Read when the Folders screen opens; a pick not applied yet survives the screen opening again. */
export async function loadTextLanguages(): Promise<void> {
  const first = textLanguages.list.length === 0;
  const list = await api.call('text.languages', {});
  if (list) show(list, !first);
}

export async function applyTextLanguage(): Promise<void> {
  const id = textLanguages.picked;
  if (textLanguages.busy || textLanguages.list.find((l) => l.id === id)?.inUse === true) return;
  textLanguages.busy = true;
  try {
    const list = await api.call('text.setLanguage', { id });
    if (!list) return;
    show(list);
    const chosen = list.find((l) => l.inUse);
    notifications.success(
      'Text language changed',
      `Text in your photos is now read as ${chosen?.name ?? id}. Photos are read again in the background.`,
    );
  } finally {
    textLanguages.busy = false;
  }
}

/** Deletes the picked recogniser's download (not the one in use); the pick stays on it. */
export async function removeTextLanguage(): Promise<void> {
  const id = textLanguages.picked;
  const entry = textLanguages.list.find((l) => l.id === id);
  if (textLanguages.busy || !entry?.installed || entry.inUse || id === 'built-in') return;
  textLanguages.busy = true;
  try {
    const list = await api.call('text.removeLanguage', { id });
    if (!list) return;
    show(list, true);
    notifications.success('Download removed', `The ${entry.name} recogniser is deleted from this computer.`);
  } finally {
    textLanguages.busy = false;
  }
}
