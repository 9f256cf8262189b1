// What the user typed and picked in the search and filter bar.
import { toFilters } from '../utils/filters.ts';
import type { Filters } from '../utils/filters.ts';
import type { GeoBox, QueryChip } from '../../../../shared/types.ts';

class SearchState {
  text = $state('');
  /** What the last answered search understood (chips), for the query it answered. */
  understood = $state.raw<QueryChip[]>([]);
  understoodFor = $state('');
  /** Results past the relevance cut of the last search; `all` shows them too. */
  more = $state(0);
  all = $state(false);
  folder = $state('');
  from = $state('');
  to = $state('');
  types = $state.raw<string[]>([]);
  /** An area picked on the map, with what to call it ("12 photos from the map"). */
  area = $state.raw<{ box: GeoBox; label: string } | null>(null);

  readonly query = $derived(this.text.trim());
  readonly filters: Filters | undefined = $derived(
    toFilters({ folder: this.folder, from: this.from, to: this.to, types: this.types, area: this.area?.box ?? null }),
  );
  readonly filtersActive = $derived(this.filters !== undefined);

  clearFilters(): void {
    this.folder = '';
    this.from = '';
    this.to = '';
    this.types = [];
    this.area = null;
  }
}

export const search = new SearchState();
