import { describe, expect, it } from 'vitest';
import {
  gridGeometry,
  moveFocus,
  pagesFor,
  rowIndices,
  scrollToReveal,
  visibleRange,
} from '#renderer/lib/utils/virtual-grid.ts';

const OPTS = { minCell: 170, gap: 4 };

describe('gridGeometry', () => {
  it('fits as many columns of at least minCell as the width allows and shares out the rest', () => {
    const g = gridGeometry(1000, 100, OPTS);
    expect(g.columns).toBe(5); // 5×170 + 4×4 = 866 ≤ 1000; 6×170 + 5×4 = 1040 > 1000
    expect(g.cellSize).toBeCloseTo((1000 - 4 * 4) / 5);
    expect(g.rowHeight).toBeCloseTo(g.cellSize + 4);
    expect(g.rows).toBe(20);
    expect(g.totalHeight).toBeCloseTo(20 * g.rowHeight - 4);
  });

  it('keeps one column however narrow, and no rows for no photos', () => {
    expect(gridGeometry(50, 3, OPTS).columns).toBe(1);
    expect(gridGeometry(0, 3, OPTS).columns).toBe(1);
    const empty = gridGeometry(1000, 0, OPTS);
    expect(empty.rows).toBe(0);
    expect(empty.totalHeight).toBe(0);
  });

  it('rounds a short last row up', () => {
    expect(gridGeometry(1000, 101, OPTS).rows).toBe(21);
  });
});

describe('visibleRange', () => {
  it('renders only the rows in view plus the overscan, whatever the library size', () => {
    const count = 100_000;
    const g = gridGeometry(1000, count, OPTS); // 5 columns, rowHeight ≈ 200.8
    const r = visibleRange(g, count, 1_000_000, 600, 2);
    const inView = Math.ceil(600 / g.rowHeight) + 1;
    expect(r.endRow - r.firstRow).toBeLessThanOrEqual(inView + 4);
    expect(r.firstRow).toBe(Math.floor(1_000_000 / g.rowHeight) - 2);
    expect(r.firstIndex).toBe(r.firstRow * 5);
    expect(r.endIndex).toBe(r.endRow * 5);
  });

  it('clamps at the top and at the end', () => {
    const g = gridGeometry(1000, 12, OPTS); // 3 rows
    expect(visibleRange(g, 12, -50, 600)).toEqual({ firstRow: 0, endRow: 3, firstIndex: 0, endIndex: 12 });
    const end = visibleRange(g, 12, 10_000, 600);
    expect(end.endRow).toBe(3);
    expect(end.endIndex).toBe(12);
  });

  it('is empty for an empty grid', () => {
    expect(visibleRange(gridGeometry(1000, 0, OPTS), 0, 0, 600)).toEqual({
      firstRow: 0,
      endRow: 0,
      firstIndex: 0,
      endIndex: 0,
    });
  });
});

describe('rowIndices', () => {
  it('lists the cells of a row, the last one short', () => {
    expect(rowIndices(0, 5, 12)).toEqual([0, 1, 2, 3, 4]);
    expect(rowIndices(2, 5, 12)).toEqual([10, 11]);
    expect(rowIndices(3, 5, 12)).toEqual([]);
  });
});

describe('moveFocus', () => {
  it('moves by one cell sideways and one row up or down', () => {
    expect(moveFocus(6, 'ArrowRight', 5, 12)).toBe(7);
    expect(moveFocus(6, 'ArrowLeft', 5, 12)).toBe(5);
    expect(moveFocus(6, 'ArrowDown', 5, 12)).toBe(11);
    expect(moveFocus(6, 'ArrowUp', 5, 12)).toBe(1);
  });

  it('stays put at the edges instead of wrapping', () => {
    expect(moveFocus(0, 'ArrowLeft', 5, 12)).toBe(0);
    expect(moveFocus(2, 'ArrowUp', 5, 12)).toBe(2);
    expect(moveFocus(11, 'ArrowRight', 5, 12)).toBe(11);
    expect(moveFocus(11, 'ArrowDown', 5, 12)).toBe(11);
  });

  it('lands on the last photo when moving down onto a short last row', () => {
    expect(moveFocus(8, 'ArrowDown', 5, 12)).toBe(11);
  });

  it('jumps with Home, End and by pages', () => {
    expect(moveFocus(7, 'Home', 5, 12)).toBe(0);
    expect(moveFocus(3, 'End', 5, 12)).toBe(11);
    expect(moveFocus(0, 'PageDown', 5, 100, 3)).toBe(15);
    expect(moveFocus(17, 'PageUp', 5, 100, 3)).toBe(2);
    expect(moveFocus(7, 'PageUp', 5, 100, 3)).toBe(0);
  });

  it('has nowhere to go in an empty grid', () => {
    expect(moveFocus(0, 'ArrowRight', 5, 0)).toBe(-1);
  });
});

describe('scrollToReveal', () => {
  const g = gridGeometry(1000, 100, OPTS);

  it('leaves the scroll alone when the cell is already in view', () => {
    expect(scrollToReveal(6, g, 0, 600)).toBe(0);
  });

  it('scrolls down just enough to show a cell below the view', () => {
    const top = scrollToReveal(50, g, 0, 600); // row 10
    expect(top).toBeCloseTo(10 * g.rowHeight + g.cellSize - 600);
  });

  it('scrolls up to the row of a cell above the view', () => {
    expect(scrollToReveal(5, g, 5000, 600)).toBeCloseTo(g.rowHeight);
  });
});

describe('pagesFor', () => {
  it('names the pages covering a range', () => {
    expect(pagesFor(0, 20, 200)).toEqual([0]);
    expect(pagesFor(190, 230, 200)).toEqual([0, 1]);
    expect(pagesFor(400, 400, 200)).toEqual([]);
    expect(pagesFor(99_990, 100_000, 200)).toEqual([499]);
  });
});
