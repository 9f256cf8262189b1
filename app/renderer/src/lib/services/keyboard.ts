// Keys that work anywhere in the window. Escape backs out one step at a time: a dialog, a face's
// menu, the viewer, a panel, an album or person, "more like this", then the search itself.
import { albums } from '../state/albums.svelte.ts';
import { feed } from '../state/feed.svelte.ts';
import { models } from '../state/models.svelte.ts';
import { people } from '../state/people.svelte.ts';
import { search } from '../state/search.svelte.ts';
import { tags } from '../state/tags.svelte.ts';
import { ui } from '../state/ui.svelte.ts';
import { viewer } from '../state/viewer.svelte.ts';
import { cancelDeleteAlbum, cancelNaming, showAlbumList } from './album-actions.ts';
import { cancelDisableFaces, openFaceMenu } from './face-actions.ts';
import { clearSearch, leaveSimilar } from './feed-actions.ts';
import { cancelAddFolder, cancelRemoveFolder } from './library-actions.ts';
import { cancelRemoveModel } from './model-actions.ts';
import { cancelMerge, cancelNamePerson, showPeopleList } from './people-actions.ts';
import { cancelSaveSmart } from './smart-album-actions.ts';
import { cancelRemoveTag, cancelRenameTag } from './tag-actions.ts';
import { closeViewer, stepViewer } from './viewer-actions.ts';

/** The modal dialogs, each with how to tell it is up and how to back out of it. */
const DIALOGS: readonly [isOpen: () => boolean, cancel: () => void][] = [
  [() => ui.removing !== null, cancelRemoveFolder],
  [() => models.removing !== null, cancelRemoveModel],
  [() => albums.naming !== null, cancelNaming],
  [() => albums.deleting !== null, cancelDeleteAlbum],
  [() => albums.smartDraft !== null, cancelSaveSmart],
  [() => tags.renaming !== null, cancelRenameTag],
  [() => tags.removing !== null, cancelRemoveTag],
  [() => people.naming !== null, cancelNamePerson],
  [() => people.merging !== null, cancelMerge],
  [() => people.disabling, cancelDisableFaces],
];

/** A modal dialog is up: keys belong to it, not to the screen behind. */
function dialogOpen(): boolean {
  return DIALOGS.some(([isOpen]) => isOpen());
}

function backOut(): boolean {
  const dialog = DIALOGS.find(([isOpen]) => isOpen());
  if (dialog) {
    dialog[1]();
    return true;
  }
  if (viewer.open && viewer.face !== null) {
    openFaceMenu(null);
    return true;
  }
  if (viewer.open) {
    closeViewer();
    return true;
  }
  if (ui.failuresOpen) {
    ui.failuresOpen = false;
    return true;
  }
  if (ui.screen === 'albums') {
    if (albums.pane.kind === 'list') return false;
    void showAlbumList();
    return true;
  }
  if (ui.screen === 'people') {
    if (people.pane.kind === 'list') return false;
    void showPeopleList();
    return true;
  }
  if (ui.screen === 'folders') {
    if (!ui.addFormOpen) return false;
    cancelAddFolder();
    return true;
  }
  if (feed.mode.kind === 'similar') {
    leaveSimilar();
    return true;
  }
  if (search.text !== '') {
    clearSearch();
    return true;
  }
  return false;
}

function isTextField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export function handleWindowKey(e: KeyboardEvent): void {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
  if (e.key === 'Escape') {
    if (backOut()) e.preventDefault();
    return;
  }
  if (viewer.open && !dialogOpen() && !isTextField(e.target) && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
    e.preventDefault();
    stepViewer(e.key === 'ArrowLeft' ? -1 : 1);
  }
}
