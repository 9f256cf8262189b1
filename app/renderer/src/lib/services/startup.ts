import { showBrowse } from './feed-actions.ts';
import { startEventSync } from './event-sync.ts';
import { refreshStatus } from './library-actions.ts';

/** Subscribes first so nothing pushed during the first status read is missed. */
export async function startApp(): Promise<void> {
  startEventSync();
  await refreshStatus();
  await showBrowse();
}
