// Which script text in photos is read in: listed on the Folders screen, changed there (the
// download is checked by the main process; a failure comes back through the one error handler).
import { api } from '../api/index.ts';
import { notifications } from '../state/notifications.svelte.ts';
import { textLanguages } from '../state/text-languages.svelte.ts';
import type { TextLanguageEntry } from '../../../../shared/types.ts';

function show(list: TextLanguageEntry[]): void {
  textLanguages.list = list;
  textLanguages.picked = list.find((l) => l.inUse)?.id ?? 'built-in';
}

export async function loadTextLanguages(): Promise<void> {
  const list = await api.call('text.languages', {});
  if (list) show(list);
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
