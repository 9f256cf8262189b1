// The maths behind the virtualised photo grid. Pure (no DOM), so a 100,000-photo library costs
// the same as a 100-photo one: only the rows in view (plus a little overscan) are ever rendered.

export interface GridOptions {
  /** Cells are never narrower than this (CSS px); extra width is shared out between columns. */
  minCell: number;
  gap: number;
}

export interface GridGeometry {
  columns: number;
  /** Width and height of one square cell. */
  cellSize: number;
  gap: number;
  /** One row of cells plus the gap below it. */
  rowHeight: number;
  rows: number;
  totalHeight: number;
}

export interface VisibleRange {
  firstRow: number;
  /** Exclusive. */
  endRow: number;
  firstIndex: number;
  /** Exclusive. */
  endIndex: number;
}

export function gridGeometry(width: number, count: number, o: GridOptions): GridGeometry {
  const usable = Math.max(0, width);
  const columns = Math.max(1, Math.floor((usable + o.gap) / (o.minCell + o.gap)));
  const cellSize = Math.max(1, (usable - o.gap * (columns - 1)) / columns);
  const rowHeight = cellSize + o.gap;
  const rows = Math.ceil(Math.max(0, count) / columns);
  return { columns, cellSize, gap: o.gap, rowHeight, rows, totalHeight: rows > 0 ? rows * rowHeight - o.gap : 0 };
}

export function visibleRange(
  g: GridGeometry,
  count: number,
  scrollTop: number,
  viewportHeight: number,
  overscanRows = 2,
): VisibleRange {
  if (g.rows === 0 || count <= 0) return { firstRow: 0, endRow: 0, firstIndex: 0, endIndex: 0 };
  const top = Math.max(0, scrollTop);
  const firstRow = Math.max(0, Math.floor(top / g.rowHeight) - overscanRows);
  const endRow = Math.min(g.rows, Math.ceil((top + Math.max(0, viewportHeight)) / g.rowHeight) + overscanRows);
  return { firstRow, endRow, firstIndex: firstRow * g.columns, endIndex: Math.min(count, endRow * g.columns) };
}

/** Indices of the cells in one row (the last row may be short). */
export function rowIndices(row: number, columns: number, count: number): number[] {
  const start = row * columns;
  const end = Math.min(count, start + columns);
  const out: number[] = [];
  for (let i = start; i < end; i++) out.push(i);
  return out;
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

export function isGridKey(key: string): key is GridKey {
  return ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'].includes(key);
}

/** Where focus goes from `index` on `key`; stays inside 0..count-1 (never wraps). */
export function moveFocus(index: number, key: GridKey, columns: number, count: number, pageRows = 1): number {
  if (count <= 0) return -1;
  const from = Math.min(Math.max(index, 0), count - 1);
  const step: Record<GridKey, number> = {
    ArrowLeft: -1,
    ArrowRight: 1,
    ArrowUp: -columns,
    ArrowDown: columns,
    PageUp: -columns * Math.max(1, pageRows),
    PageDown: columns * Math.max(1, pageRows),
    Home: -from,
    End: count - 1 - from,
  };
  const to = from + step[key];
  // Moving down from the last full row onto a short last row lands on its last cell.
  if (to > count - 1)
    return key === 'ArrowDown' && Math.floor(from / columns) < Math.floor((count - 1) / columns) ? count - 1 : from;
  if (to < 0) return key === 'ArrowUp' || key === 'ArrowLeft' ? from : 0;
  return to;
}

/** The scrollTop that brings cell `index` fully into view, moving as little as possible. */
export function scrollToReveal(index: number, g: GridGeometry, scrollTop: number, viewportHeight: number): number {
  const top = Math.floor(index / g.columns) * g.rowHeight;
  const bottom = top + g.cellSize;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** The page numbers (of `pageSize` items) that hold indices first..end-1. */
export function pagesFor(first: number, end: number, pageSize: number): number[] {
  if (end <= first) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}
