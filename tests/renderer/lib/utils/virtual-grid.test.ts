import { describe, expect, it } from 'vitest';
import { gridGeometry, pagesFor } from '#renderer/lib/utils/virtual-grid.ts';

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

describe('pagesFor', () => {
  it('names the pages covering a range', () => {
    expect(pagesFor(0, 20, 200)).toEqual([0]);
    expect(pagesFor(190, 230, 200)).toEqual([0, 1]);
    expect(pagesFor(400, 400, 200)).toEqual([]);
    expect(pagesFor(99_990, 100_000, 200)).toEqual([499]);
  });
});
