// The albums screen: the list of albums, which one is open (or the duplicates review), and the
// dialogs for naming and deleting the user's own albums.
import { SvelteSet } from 'svelte/reactivity';
import type { AlbumPage, AlbumSummary, DuplicateGroup } from '../../../../shared/types.ts';
import type { Filters } from '../utils/filters.ts';

export type AlbumsPane = { kind: 'list' } | { kind: 'album'; id: string } | { kind: 'duplicates' } | { kind: 'tags' };

/** The search being saved as a smart album, waiting for its name. */
export interface SmartDraft {
  name: string;
  text?: string;
  filters?: Filters;
  likeIds?: string[];
}

/** What the name dialog is for: a new album, or renaming the open one. */
export type NameDialog = { kind: 'create' } | { kind: 'rename'; id: string; name: string };

class AlbumsState {
  pane = $state.raw<AlbumsPane>({ kind: 'list' });
  list = $state.raw<AlbumSummary[]>([]);
  loaded = $state(false);
  /** The open album's photos (all of them up to the page limit). */
  page = $state.raw<AlbumPage | null>(null);
  focused = $state(-1);
  /** Bumped when a different album replaces the grid, so it scrolls back to the top. */
  view = $state(0);
  duplicates = $state.raw<DuplicateGroup[] | null>(null);
  naming = $state.raw<NameDialog | null>(null);
  deleting = $state.raw<AlbumSummary | null>(null);
  smartDraft = $state.raw<SmartDraft | null>(null);
  busy = $state(false);
  /** Sensitive photos the user chose to see, by id; forgotten when the app restarts. */
  readonly shown = new SvelteSet<string>();

  readonly userAlbums = $derived(this.list.filter((a) => a.kind === 'user'));
  /** The open album is one the user made and fills by hand, so photos can be taken out of it. */
  readonly openIsUser = $derived(this.pane.kind === 'album' && this.page?.album.kind === 'user');
}

export const albums = new AlbumsState();
