// The photo open in the viewer, by its position in the grid it was opened from.
import type { PhotoDetails, PhotoMarks, PhotoTag } from '../../../../shared/types.ts';

/** The grid the viewer steps through: all photos / search results, an album, or a person's photos. */
export type ViewerSource = 'feed' | 'album' | 'person';

class ViewerState {
  index = $state<number | null>(null);
  source = $state<ViewerSource>('feed');
  /** Full metadata for the open photo, once loaded. */
  details = $state.raw<PhotoDetails | null>(null);
  tags = $state.raw<PhotoTag[] | null>(null);
  marks = $state.raw<PhotoMarks | null>(null);
  /** Face boxes stay drawn over the photo, not only while the pointer is on it; kept from photo to photo. */
  showFaces = $state(false);
  /** The face (PhotoFace.face) whose menu is open. */
  face = $state<number | null>(null);

  readonly open = $derived(this.index !== null);
}

export const viewer = new ViewerState();

/**
 * Call while a view sets up: closing the viewer puts focus back on its grid, on the photo that
 * was last shown, so the keyboard carries on from where the user was.
 */
export function refocusAfterViewer(grid: () => { focusCurrent(): void } | undefined): void {
  let wasOpen = false;
  $effect(() => {
    const open = viewer.open;
    if (wasOpen && !open) grid()?.focusCurrent();
    wasOpen = open;
  });
}
