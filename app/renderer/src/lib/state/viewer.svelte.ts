// The photo open in the viewer, by its position in the grid.
import type { PhotoDetails } from '../../../../shared/types.ts';

class ViewerState {
  index = $state<number | null>(null);
  /** Full metadata for the open photo, once loaded. */
  details = $state.raw<PhotoDetails | null>(null);

  readonly open = $derived(this.index !== null);
}

export const viewer = new ViewerState();
