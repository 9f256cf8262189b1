// Filling the grid: browsing every photo newest first (paged in as the user scrolls), searching
// as the user types, and "more like this". Whole-grid answers are numbered so only the latest
// one is ever shown.
import { api, reportError } from '../api/index.ts';
import type { ApiError } from '../api/index.ts';
import { feed, PAGE_SIZE } from '../state/feed.svelte.ts';
import { search } from '../state/search.svelte.ts';
import { toggleType } from '../utils/filters.ts';
import type { Filters } from '../utils/filters.ts';
import { liveQuery, RequestSequence } from '../utils/live-query.ts';
import { debounce } from '../utils/timing.ts';
import type { FeedMode } from '../state/feed.svelte.ts';
import type { QueryChip, SearchResult } from '../../../../shared/types.ts';

const SEARCH_LIMIT = 500;
const SIMILAR_LIMIT = 200;
const SEARCH_DELAY_MS = 250;
/** Scrolling fast past pages should not ask for each of them. */
const RANGE_DELAY_MS = 60;

const views = new RequestSequence();
/**
 * The view the user asked for last. `feed.mode` is the view shown, which lags behind while the
 * answer is on its way: a refresh in that gap must re-read what was asked for, not bring back
 * the search the user just cleared.
 */
let wanted: FeedMode = { kind: 'browse' };

interface SearchRequest {
  /** The view number it was asked under: a later browse or "more like this" makes it stale. */
  view: number;
  query: string;
  filters: Filters | undefined;
  /** A refresh of the same view: keep the scroll position and focus. */
  keepView: boolean;
  /** Past the relevance cut too ("show more"). */
  all: boolean;
}

const withFilters = (filters: Filters | undefined): { filters?: Filters } => (filters ? { filters } : {});

/** With no model the empty state explains what to do; a toast would only repeat it. */
function report(error: ApiError): void {
  if (error.code !== 'MODEL_MISSING') reportError(error);
}

const textSearch = liveQuery<SearchRequest, SearchResult | null>({
  delayMs: SEARCH_DELAY_MS,
  run: async (q) => {
    const r = await api.attempt('search.query', {
      query: q.query,
      limit: SEARCH_LIMIT,
      ...withFilters(q.filters),
      ...(q.all ? { all: true } : {}),
    });
    if (r.ok) return r.data;
    report(r.error);
    return null;
  },
  apply: (result, q) => {
    if (!result || !views.isCurrent(q.view)) return;
    feed.show({ kind: 'search', query: q.query }, result.hits, result.hits.length, q.keepView);
    search.understood = result.understood;
    search.understoodFor = q.query;
    search.more = result.more;
  },
  busy: (busy) => {
    feed.searching = busy;
  },
});

/**
 * The search field got focus: the app's inference process may have exited while idle, and
 * starting it takes about a second, so it starts now while the user types. Quietly: a failure
 * here shows up, with its message, on the search itself.
 */
export function prepareSearch(): void {
  void api.attempt('search.prepare', {});
}

/** The search field changed: answer after a quiet moment, or go back to browsing when empty. */
export function searchTextChanged(): void {
  search.all = false;
  if (search.query === '') {
    search.understood = [];
    search.more = 0;
    void showBrowse();
    return;
  }
  wanted = { kind: 'search', query: search.query };
  textSearch.set({ view: views.next(), query: search.query, filters: search.filters, keepView: false, all: false });
}

/** Enter in the search field: no need to wait for the quiet moment. */
export function searchNow(): void {
  if (search.query === '') return;
  wanted = { kind: 'search', query: search.query };
  void textSearch.now({
    view: views.next(),
    query: search.query,
    filters: search.filters,
    keepView: false,
    all: search.all,
  });
}

/** "Show N more": the same search, past its relevance cut. */
export function showMoreResults(): void {
  search.all = true;
  searchNow();
}

/** A chip's ×: the search again without what it stood for (its words taken out of the text). */
export function removeChip(chip: QueryChip): void {
  if (search.understoodFor !== search.query) return;
  const q = search.query;
  search.text = `${q.slice(0, chip.start)} ${q.slice(chip.end)}`.replace(/\s+/g, ' ').trim();
  searchTextChanged();
}

export function clearSearch(): void {
  search.text = '';
  searchTextChanged();
}

export async function showBrowse(keepView = false): Promise<void> {
  wanted = { kind: 'browse' };
  textSearch.cancel();
  const n = views.next();
  const filters = withFilters(search.filters);
  const [page, timeline] = await Promise.all([
    api.call('photos.list', { offset: 0, limit: PAGE_SIZE, ...filters }),
    api.call('photos.timeline', filters),
  ]);
  if (page && views.isCurrent(n)) feed.show({ kind: 'browse' }, page.items, page.total, keepView, timeline?.days);
}

/** Re-reads the timeline's days for the browse view (the grid ignores them until they add up to its total). */
async function loadDays(): Promise<void> {
  const n = views.current;
  const timeline = await api.call('photos.timeline', withFilters(search.filters));
  if (timeline && views.isCurrent(n) && feed.mode.kind === 'browse') feed.days = timeline.days;
}

export async function showSimilar(id: string, name: string, keepView = false): Promise<void> {
  wanted = { kind: 'similar', id, name };
  textSearch.cancel();
  const n = views.next();
  feed.searching = true;
  const r = await api.attempt('search.similar', { id, limit: SIMILAR_LIMIT, ...withFilters(search.filters) });
  if (!views.isCurrent(n)) return;
  feed.searching = false;
  if (r.ok) feed.show({ kind: 'similar', id, name }, r.data, r.data.length, keepView);
  else report(r.error);
}

/** Back from "Like …" to the search (if any) or to all photos. */
export function leaveSimilar(): void {
  if (search.query !== '') searchNow();
  else void showBrowse();
}

/** The filters changed: the same kind of view again, narrowed, from the top. */
export function filtersChanged(): void {
  const mode = feed.mode;
  if (mode.kind === 'similar') void showSimilar(mode.id, mode.name);
  else if (search.query !== '') searchNow();
  else void showBrowse();
}

export function toggleFileType(ext: string): void {
  search.types = toggleType(search.types, ext);
  filtersChanged();
}

export function clearFilters(): void {
  search.clearFilters();
  filtersChanged();
}

/** The library changed underneath the view: re-read it without losing the user's place. */
export async function refreshView(onlyBrowse = false): Promise<void> {
  const mode = wanted;
  // The view shown is the one asked for (not an answer still on its way): keep its place.
  const shown = sameMode(feed.mode, mode);
  if (mode.kind === 'browse') {
    if (!shown || feed.total === 0) {
      await showBrowse(shown);
      return;
    }
    feed.invalidate();
    await Promise.all([loadRange(...feed.lastRange), loadDays()]);
  } else if (onlyBrowse) {
    return;
  } else if (mode.kind === 'search') {
    await textSearch.now({
      view: views.next(),
      query: mode.query,
      filters: search.filters,
      keepView: shown,
      all: search.all,
    });
  } else {
    await showSimilar(mode.id, mode.name, shown);
  }
}

function sameMode(a: FeedMode, b: FeedMode): boolean {
  if (a.kind === 'browse' && b.kind === 'browse') return true;
  if (a.kind === 'search' && b.kind === 'search') return a.query === b.query;
  if (a.kind === 'similar' && b.kind === 'similar') return a.id === b.id;
  return false;
}

/** Loads the browse pages covering first..end-1 that are missing or out of date. */
export async function loadRange(first: number, end: number): Promise<void> {
  if (feed.mode.kind !== 'browse') return;
  const generation = feed.generation;
  const filters = search.filters;
  await Promise.all(
    feed.claimPages(first, end).map(async (p) => {
      const page = await api.call('photos.list', { offset: p * PAGE_SIZE, limit: PAGE_SIZE, ...withFilters(filters) });
      if (page) feed.setPage(generation, p, page.items, page.total);
      else feed.releasePage(generation, p);
    }),
  );
}

const loadLastRangeSoon = debounce(() => void loadRange(...feed.lastRange), RANGE_DELAY_MS);

/** The grid scrolled: remember what is in view and page it in shortly. */
export function visibleRangeChanged(first: number, end: number): void {
  feed.lastRange = [first, end];
  loadLastRangeSoon();
}
