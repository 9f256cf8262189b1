// The People screen: everyone found in the photos, the person whose photos are open, and the
// dialogs for naming, merging and turning face recognition off.
import type { PersonEntry, PhotoPage } from '../../../../shared/types.ts';
import { peopleSections } from '../utils/people.ts';

export type PeoplePane = { kind: 'list' } | { kind: 'person'; id: string };

/** Who the name dialog names: a person or a group of faces (`name` '' while unnamed). */
export interface Naming {
  id: string;
  name: string;
}

class PeopleState {
  pane = $state.raw<PeoplePane>({ kind: 'list' });
  list = $state.raw<PersonEntry[]>([]);
  loaded = $state(false);
  /** Hidden people are listed too (marked), so they can be shown again. */
  showHidden = $state(false);
  /** The open person as last read, and their photos (all of them up to the page limit). */
  person = $state.raw<PersonEntry | null>(null);
  page = $state.raw<PhotoPage | null>(null);
  focused = $state(-1);
  /** Bumped when a different person replaces the grid, so it scrolls back to the top. */
  view = $state(0);
  naming = $state.raw<Naming | null>(null);
  merging = $state.raw<PersonEntry | null>(null);
  /** A name, merge, hide or move is in flight: one change at a time. */
  busy = $state(false);
  /**
   * Whether faces are found. The library starts with it on and the contract has no call that
   * reads it, so this is what this window last set (or saw proof of: a person listed).
   */
  enabled = $state(true);
  /** Turning face recognition off waits for the user to confirm: it deletes every face and name. */
  disabling = $state(false);

  readonly sections = $derived(peopleSections(this.list));
  readonly named = $derived(this.list.filter((p) => p.name !== '' && !p.hidden));
  readonly shownCount = $derived(this.list.filter((p) => !p.hidden).length);
}

export const people = new PeopleState();
