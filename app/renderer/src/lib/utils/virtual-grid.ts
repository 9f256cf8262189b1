// The grid's column geometry, its keys and its paging. Pure (no DOM); grid-layout.ts lays the
// rows out (with the timeline's day headers) and finds what is in view.

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

export function gridGeometry(width: number, count: number, o: GridOptions): GridGeometry {
  const usable = Math.max(0, width);
  const columns = Math.max(1, Math.floor((usable + o.gap) / (o.minCell + o.gap)));
  const cellSize = Math.max(1, (usable - o.gap * (columns - 1)) / columns);
  const rowHeight = cellSize + o.gap;
  const rows = Math.ceil(Math.max(0, count) / columns);
  return { columns, cellSize, gap: o.gap, rowHeight, rows, totalHeight: rows > 0 ? rows * rowHeight - o.gap : 0 };
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

export function isGridKey(key: string): key is GridKey {
  return ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'].includes(key);
}

/** The page numbers (of `pageSize` items) that hold indices first..end-1. */
export function pagesFor(first: number, end: number, pageSize: number): number[] {
  if (end <= first) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}
