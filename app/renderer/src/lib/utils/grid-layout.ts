// The photo grid's layout: rows of square cells, optionally under day headers (the timeline), with
// month starts for the scrubber. Pure (no DOM): at 100,000 photos the layout is a few thousand
// header rows and one object per row of cells, and what is in view is found by binary search.
import type { Timeline } from '../../../../shared/types.ts';
import { gridGeometry } from './virtual-grid.ts';
import type { GridKey, GridOptions } from './virtual-grid.ts';

/** Local calendar day ("2019-06-14") and how many items it holds. */
export type TimelineDay = Timeline['days'][number];

export interface HeaderRow {
  kind: 'header';
  top: number;
  height: number;
  /** "Friday 14 June 2019". */
  label: string;
  /** "June 2019" when this day is the first shown of its month. */
  month: string | null;
  /** "2019-06". */
  monthKey: string;
}

export interface CellRow {
  kind: 'cells';
  top: number;
  /** First index in the row, and one past the last. */
  first: number;
  end: number;
}

export type LayoutRow = HeaderRow | CellRow;

export interface GridLayout {
  columns: number;
  cellSize: number;
  gap: number;
  totalHeight: number;
  count: number;
  /** Every row, top to bottom. */
  rows: LayoutRow[];
  /** The rows of cells only, top to bottom (a cell's row is found here by binary search). */
  lines: CellRow[];
  headers: HeaderRow[];
}

export interface LayoutOptions extends GridOptions {
  dayHeader: number;
  monthHeader: number;
}

export interface ScrubMark {
  /** "2019-06". */
  key: string;
  label: string;
  year: number;
  /** Whether this is the first (newest) month shown of its year. */
  yearStart: boolean;
  top: number;
}

const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

function localDate(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

/**
 * Lays out `count` cells, under a header per day when `days` is given and accounts for exactly
 * `count` items (a timeline read at another moment than the pages is ignored until they agree).
 */
export function layoutGrid(
  width: number,
  count: number,
  days: readonly TimelineDay[] | null,
  o: LayoutOptions,
): GridLayout {
  const g = gridGeometry(width, count, o);
  const rows: LayoutRow[] = [];
  const lines: CellRow[] = [];
  const headers: HeaderRow[] = [];
  let top = 0;
  const cells = (first: number, n: number): void => {
    for (let start = first; start < first + n; start += g.columns) {
      const line: CellRow = { kind: 'cells', top, first: start, end: Math.min(first + n, start + g.columns) };
      rows.push(line);
      lines.push(line);
      top += g.rowHeight;
    }
  };
  const sectioned = days !== null && days.reduce((n, d) => n + d.count, 0) === count && count > 0;
  if (sectioned) {
    let first = 0;
    let lastMonth = '';
    for (const d of days) {
      const monthKey = d.day.slice(0, 7);
      const date = localDate(d.day);
      // A day the calendar cannot place (never from the engine) is shown as it came.
      const valid = !Number.isNaN(date.getTime());
      const month = monthKey === lastMonth ? null : valid ? monthFormat.format(date) : monthKey;
      lastMonth = monthKey;
      const height = o.dayHeader + (month === null ? 0 : o.monthHeader);
      const header: HeaderRow = {
        kind: 'header',
        top,
        height,
        label: valid ? dayFormat.format(date) : d.day,
        month,
        monthKey,
      };
      rows.push(header);
      headers.push(header);
      top += height;
      cells(first, d.count);
      first += d.count;
    }
  } else cells(0, count);
  return {
    columns: g.columns,
    cellSize: g.cellSize,
    gap: g.gap,
    totalHeight: lines.length > 0 ? top - g.gap : 0,
    count,
    rows,
    lines,
    headers,
  };
}

/** The index of the last item of `list` whose top is at or above `y` (0 when none is). */
function lastAtOrAbove(list: readonly { top: number }[], y: number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.top <= y) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export interface InView {
  rows: LayoutRow[];
  firstIndex: number;
  /** Exclusive. */
  endIndex: number;
}

/** The rows that intersect the viewport, plus `overscan` px above and below. */
export function rowsInView(l: GridLayout, scrollTop: number, viewportHeight: number, overscan = 400): InView {
  if (l.rows.length === 0) return { rows: [], firstIndex: 0, endIndex: 0 };
  const from = lastAtOrAbove(l.rows, Math.max(0, scrollTop - overscan));
  const bottom = scrollTop + Math.max(0, viewportHeight) + overscan;
  let to = from;
  while (to < l.rows.length && l.rows[to]!.top < bottom) to++;
  const rows = l.rows.slice(from, to);
  const cellRows = rows.filter((r): r is CellRow => r.kind === 'cells');
  return {
    rows,
    firstIndex: cellRows[0]?.first ?? 0,
    endIndex: cellRows[cellRows.length - 1]?.end ?? 0,
  };
}

/** The line (row of cells) holding `index`. */
export function lineOf(l: GridLayout, index: number): number {
  let lo = 0;
  let hi = l.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (l.lines[mid]!.first <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Where focus goes from `index` on `key`: sideways through the items in order, up and down to the
 * same column of the next row of cells (the nearest cell of a shorter row), by pages of rows,
 * never wrapping. -1 for an empty grid.
 */
export function moveFocus(l: GridLayout, index: number, key: GridKey, pageRows = 1): number {
  if (l.count <= 0 || l.lines.length === 0) return -1;
  const from = Math.min(Math.max(index, 0), l.count - 1);
  if (key === 'ArrowLeft') return Math.max(0, from - 1);
  if (key === 'ArrowRight') return Math.min(l.count - 1, from + 1);
  if (key === 'Home') return 0;
  if (key === 'End') return l.count - 1;
  const line = lineOf(l, from);
  const column = from - l.lines[line]!.first;
  const step = { ArrowUp: -1, ArrowDown: 1, PageUp: -pageRows, PageDown: pageRows }[key];
  const target = line + step;
  if (target < 0) return key === 'PageUp' ? 0 : from;
  if (target >= l.lines.length) return key === 'PageDown' ? l.count - 1 : from;
  const to = l.lines[target]!;
  return Math.min(to.first + column, to.end - 1);
}

/** The scrollTop that brings cell `index` (with its day header, if it is the day's first row) into view. */
export function revealTop(l: GridLayout, index: number, scrollTop: number, viewportHeight: number): number {
  if (l.lines.length === 0) return scrollTop;
  const line = l.lines[lineOf(l, index)]!;
  const bottom = line.top + l.cellSize;
  if (line.top < scrollTop) return line.top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** The day header of what is at the top of the view (the sticky header), or null without days. */
export function headerAt(l: GridLayout, scrollTop: number): HeaderRow | null {
  return l.headers.length === 0 ? null : l.headers[lastAtOrAbove(l.headers, scrollTop)]!;
}

/** One mark per month shown, newest first, for the scrubber. */
export function scrubMarks(l: GridLayout): ScrubMark[] {
  const marks: ScrubMark[] = [];
  let lastYear = NaN;
  for (const h of l.headers) {
    if (h.month === null) continue;
    const year = Number(h.monthKey.slice(0, 4));
    marks.push({ key: h.monthKey, label: h.month, year, yearStart: year !== lastYear, top: h.top });
    lastYear = year;
  }
  return marks;
}
