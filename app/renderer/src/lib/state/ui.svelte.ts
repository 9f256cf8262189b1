// Which screen and which panels are showing.
import type { RootStatus } from '../../../../shared/types.ts';

export type Screen = 'photos' | 'albums' | 'people' | 'map' | 'folders';

class UiState {
  screen = $state<Screen>('photos');
  failuresOpen = $state(false);
  /** The typed-path form for adding a folder (the web shell has no native picker). */
  addFormOpen = $state(false);
  adding = $state(false);
  /** The folder waiting for the user to confirm its removal. */
  removing = $state.raw<RootStatus | null>(null);
  removeBusy = $state(false);
}

export const ui = new UiState();
