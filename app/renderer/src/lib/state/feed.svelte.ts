// The photos the grid shows: every photo newest first (paged in as the user scrolls), search
// results, or photos like one photo. Items live in fixed-size pages so a 100,000-photo library
// only ever holds the pages the user has scrolled past.
import { SvelteMap } from 'svelte/reactivity';
import type { Memory, PhotoHit } from '../../../../shared/types.ts';
import type { TimelineDay } from '../utils/grid-layout.ts';
import { pagesFor } from '../utils/virtual-grid.ts';

export type FeedMode =
  { kind: 'browse' } | { kind: 'search'; query: string } | { kind: 'similar'; id: string; name: string };

export const PAGE_SIZE = 200;

class PhotoFeed {
  mode = $state.raw<FeedMode>({ kind: 'browse' });
  total = $state(0);
  /** No answer for the current view yet. */
  pending = $state(true);
  /** A search is scheduled or in flight (the grid may still show the previous answer). */
  searching = $state(false);
  /** The grid cell with keyboard focus, -1 for none. */
  focused = $state(-1);
  /** Bumped whenever a different view replaces the grid, so it scrolls back to the top. */
  view = $state(0);
  /** Browsing: how many photos each day holds, for the timeline's headers and scrubber. */
  days = $state.raw<TimelineDay[] | null>(null);
  /** "On this day" and trips, shown above the timeline. */
  memories = $state.raw<Memory[]>([]);

  readonly #pages = new SvelteMap<number, PhotoHit[]>();
  // Bookkeeping only, deliberately not reactive.
  #fresh = new Set<number>();
  #inFlight = new Set<number>();
  #generation = 0;
  /** The index range the grid last showed (end exclusive). */
  lastRange: [number, number] = [0, 0];

  get generation(): number {
    return this.#generation;
  }

  itemAt(index: number): PhotoHit | undefined {
    return this.#pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Replaces the grid with a new view whose first items (possibly all of them) are known. */
  show(mode: FeedMode, items: PhotoHit[], total: number, sameView = false, days: TimelineDay[] | null = null): void {
    this.#generation += 1;
    this.days = days;
    this.#pages.clear();
    this.#fresh = new Set();
    this.#inFlight = new Set();
    for (let p = 0; p * PAGE_SIZE < items.length; p++) {
      this.#pages.set(p, items.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE));
      this.#fresh.add(p);
    }
    this.mode = mode;
    this.total = total;
    this.pending = false;
    if (!sameView) {
      this.focused = -1;
      this.view += 1;
    } else if (this.focused >= total) {
      this.focused = total - 1;
    }
  }

  /** Marks every page out of date while still showing it, so a refresh does not flash. */
  invalidate(): void {
    this.#generation += 1;
    this.#fresh = new Set();
    this.#inFlight = new Set();
  }

  /** Pages covering first..end-1 that need loading; they are marked in flight. */
  claimPages(first: number, end: number): number[] {
    const wanted = pagesFor(first, Math.min(end, this.total), PAGE_SIZE).filter(
      (p) => !this.#fresh.has(p) && !this.#inFlight.has(p),
    );
    for (const p of wanted) this.#inFlight.add(p);
    return wanted;
  }

  /** Stores a page; answers for an older generation are dropped. */
  setPage(generation: number, page: number, items: PhotoHit[], total: number): void {
    if (generation !== this.#generation) return;
    this.#inFlight.delete(page);
    this.#fresh.add(page);
    this.#pages.set(page, items);
    this.total = total;
    // The library shrank: drop pages past the new end.
    for (const p of this.#pages.keys()) if (p * PAGE_SIZE >= total) this.#pages.delete(p);
  }

  releasePage(generation: number, page: number): void {
    if (generation === this.#generation) this.#inFlight.delete(page);
  }

  markPending(): void {
    this.pending = true;
  }
}

export const feed = new PhotoFeed();
