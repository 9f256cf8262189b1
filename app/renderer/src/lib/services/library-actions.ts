// Folders, indexing and the library's status: what the folders screen and status bar do.
import { api } from '../api/index.ts';
import { library } from '../state/library.svelte.ts';
import { notifications } from '../state/notifications.svelte.ts';
import { people } from '../state/people.svelte.ts';
import { search } from '../state/search.svelte.ts';
import { ui } from '../state/ui.svelte.ts';
import type { Screen } from '../state/ui.svelte.ts';
import { loadMapPoints } from './map-actions.ts';
import type { RootStatus } from '../../../../shared/types.ts';
import { plural } from '../utils/format.ts';
import { showAlbumList } from './album-actions.ts';
import { refreshView } from './feed-actions.ts';
import { showPeopleList } from './people-actions.ts';

/** Reads the status and shows it; `wanted` false when it lands: the caller stopped following. */
export async function refreshStatus(wanted: () => boolean = () => true): Promise<void> {
  const status = await api.call('app.status', {});
  if (!status || !wanted()) return;
  library.applyStatus(status);
  people.enabled = status.faces;
}

export async function loadFailures(): Promise<void> {
  if (!library.modelReady) {
    library.failures = [];
    return;
  }
  const failures = await api.call('index.failures', {});
  if (failures) library.failures = failures;
}

export function showScreen(screen: Screen): void {
  ui.screen = screen;
  if (screen !== 'folders') ui.addFormOpen = false;
  if (screen === 'albums') void showAlbumList();
  if (screen === 'people') void showPeopleList();
  if (screen === 'map') void loadMapPoints();
}

/** The native folder picker where there is one; otherwise a field to type the path into. */
export async function startAddFolder(): Promise<void> {
  showScreen('folders');
  const picked = await api.call('roots.pick', {});
  if (!picked) return;
  if (picked.path !== null) await addFolder(picked.path);
  // In Electron a null path means the user cancelled the picker.
  else if (api.transport === 'web') ui.addFormOpen = true;
}

export function cancelAddFolder(): void {
  ui.addFormOpen = false;
}

export async function addFolder(path: string): Promise<boolean> {
  const folder = path.trim();
  if (folder === '' || ui.adding) return false;
  ui.adding = true;
  try {
    const roots = await api.call('roots.add', { path: folder });
    if (!roots) return false;
    library.setRoots(roots);
    ui.addFormOpen = false;
    notifications.success('Folder added', `Shoebox is indexing the photos in ${folder}.`);
    void refreshView();
    return true;
  } finally {
    ui.adding = false;
  }
}

export function askRemoveFolder(root: RootStatus): void {
  ui.removing = root;
}

export function cancelRemoveFolder(): void {
  if (!ui.removeBusy) ui.removing = null;
}

export async function confirmRemoveFolder(): Promise<void> {
  const root = ui.removing;
  if (!root || ui.removeBusy) return;
  ui.removeBusy = true;
  try {
    const result = await api.call('roots.remove', { path: root.path });
    if (!result) return;
    notifications.success(
      'Folder removed',
      `${plural(result.removed, 'photo')} left your library. No files were touched.`,
    );
    if (search.folder === root.path) search.folder = '';
    ui.removing = null;
    await refreshStatus();
    await refreshView();
  } finally {
    ui.removeBusy = false;
  }
}

export async function pauseIndexing(): Promise<void> {
  const state = await api.call('index.pause', {});
  if (state) library.index = state;
}

export async function resumeIndexing(): Promise<void> {
  const state = await api.call('index.resume', {});
  if (state) library.index = state;
}

export function toggleFailures(): void {
  ui.failuresOpen = !ui.failuresOpen;
  if (ui.failuresOpen) void loadFailures();
}
