// The tag vocabulary screen: every tag the model tags photos with, the filter over it, and the
// dialogs for renaming and removing one.
import type { TagEntry } from '../../../../shared/types.ts';
import { matchingTags } from '../utils/tag-list.ts';

class TagsState {
  list = $state.raw<TagEntry[]>([]);
  loaded = $state(false);
  filter = $state('');
  /** Adding, renaming, hiding or removing is in flight: one change at a time. */
  busy = $state(false);
  renaming = $state.raw<TagEntry | null>(null);
  removing = $state.raw<TagEntry | null>(null);

  readonly shown = $derived(matchingTags(this.list, this.filter));
}

export const tags = new TagsState();
