import { showBrowse } from './feed-actions.ts';
import { startEventSync } from './event-sync.ts';
import { refreshStatus } from './library-actions.ts';
import { loadMemories } from './memory-actions.ts';
import { loadModels } from './model-actions.ts';

/** Subscribes first so nothing pushed during the first status read is missed. */
export async function startApp(): Promise<void> {
  startEventSync();
  await refreshStatus();
  // The "no model" screen offers the catalogue's default, so the list is read up front.
  await loadModels();
  await Promise.all([showBrowse(), loadMemories()]);
}
