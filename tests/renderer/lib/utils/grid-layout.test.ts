import { describe, expect, it } from 'vitest';
import {
  headerAt,
  layoutGrid,
  lineOf,
  moveFocus,
  revealTop,
  rowsInView,
  scrubMarks,
} from '#renderer/lib/utils/grid-layout.ts';
import type { TimelineDay } from '#renderer/lib/utils/grid-layout.ts';

const OPTS = { minCell: 170, gap: 4, dayHeader: 36, monthHeader: 44 };
const flat = (count: number) => layoutGrid(1000, count, null, OPTS); // 5 columns, row ≈ 200.8

describe('a flat grid (search results)', () => {
  it('renders only the rows in view plus the overscan, whatever the library size', () => {
    const g = flat(100_000);
    const rowHeight = g.cellSize + g.gap;
    expect(g.lines).toHaveLength(20_000);
    expect(g.totalHeight).toBeCloseTo(20_000 * rowHeight - 4);
    const r = rowsInView(g, 1_000_000, 600, 400);
    expect(r.rows.length).toBeLessThanOrEqual(Math.ceil(1400 / rowHeight) + 2);
    expect(r.firstIndex).toBe(Math.floor((1_000_000 - 400) / rowHeight) * 5);
    expect(r.endIndex - r.firstIndex).toBe(r.rows.length * 5);
  });

  it('clamps at the top and at the end, and is empty without photos', () => {
    expect(rowsInView(flat(12), -50, 600)).toMatchObject({ firstIndex: 0, endIndex: 12 });
    expect(rowsInView(flat(12), 10_000, 600).endIndex).toBe(12);
    expect(rowsInView(flat(0), 0, 600)).toEqual({ rows: [], firstIndex: 0, endIndex: 0 });
  });

  it('moves focus a cell sideways, a row up or down, never wrapping', () => {
    const g = flat(12);
    expect(moveFocus(g, 6, 'ArrowRight')).toBe(7);
    expect(moveFocus(g, 6, 'ArrowLeft')).toBe(5);
    expect(moveFocus(g, 6, 'ArrowDown')).toBe(11);
    expect(moveFocus(g, 6, 'ArrowUp')).toBe(1);
    expect(moveFocus(g, 0, 'ArrowLeft')).toBe(0);
    expect(moveFocus(g, 2, 'ArrowUp')).toBe(2);
    expect(moveFocus(g, 11, 'ArrowRight')).toBe(11);
    expect(moveFocus(g, 11, 'ArrowDown')).toBe(11);
    // Down onto a short last row lands on its last photo.
    expect(moveFocus(g, 8, 'ArrowDown')).toBe(11);
    expect(moveFocus(g, 7, 'Home')).toBe(0);
    expect(moveFocus(g, 3, 'End')).toBe(11);
    expect(moveFocus(flat(100), 0, 'PageDown', 3)).toBe(15);
    expect(moveFocus(flat(100), 17, 'PageUp', 3)).toBe(2);
    expect(moveFocus(flat(100), 7, 'PageUp', 3)).toBe(0);
    expect(moveFocus(flat(100), 92, 'PageDown', 3)).toBe(99);
    expect(moveFocus(flat(0), 0, 'ArrowRight')).toBe(-1);
  });

  it('scrolls just enough to reveal a cell', () => {
    const g = flat(100);
    const rowHeight = g.cellSize + g.gap;
    expect(revealTop(g, 6, 0, 600)).toBe(0);
    expect(revealTop(g, 50, 0, 600)).toBeCloseTo(10 * rowHeight + g.cellSize - 600);
    expect(revealTop(g, 5, 5000, 600)).toBeCloseTo(rowHeight);
  });
});

describe('the timeline', () => {
  const days: TimelineDay[] = [
    { day: '2024-12-03', count: 7 },
    { day: '2024-12-01', count: 2 },
    { day: '2024-11-20', count: 1 },
    { day: '2023-07-10', count: 3 },
  ];
  const g = layoutGrid(1000, 13, days, OPTS);
  const rowHeight = g.cellSize + g.gap;

  it('puts a header above each day and a month title above the first day of each month', () => {
    expect(g.headers.map((h) => h.month !== null)).toEqual([true, false, true, true]);
    expect(g.headers[0]!.label).toContain('2024');
    expect(g.headers[0]!.month).toMatch(/2024/);
    // Day 1 holds 7 photos: two rows (5 + 2); day 2 starts a new row.
    expect(g.lines.map((l) => [l.first, l.end])).toEqual([
      [0, 5],
      [5, 7],
      [7, 9],
      [9, 10],
      [10, 13],
    ]);
    expect(g.lines[2]!.top).toBeCloseTo(80 + 2 * rowHeight + 36);
    expect(g.totalHeight).toBeCloseTo(80 + 36 + 80 + 80 + 5 * rowHeight - 4);
  });

  it('moves down into the next day at the same column, or its nearest photo', () => {
    expect(moveFocus(g, 3, 'ArrowDown')).toBe(6); // row [5,7) is short: its last photo
    expect(moveFocus(g, 6, 'ArrowDown')).toBe(8); // column 1 of the next day
    expect(moveFocus(g, 9, 'ArrowUp')).toBe(7);
    expect(moveFocus(g, 6, 'ArrowRight')).toBe(7); // sideways runs on across days
    expect(lineOf(g, 12)).toBe(4);
  });

  it('names the day at the top of the view and marks each month for the scrubber', () => {
    expect(headerAt(g, 0)!.monthKey).toBe('2024-12');
    expect(headerAt(g, g.headers[2]!.top + 1)!.monthKey).toBe('2024-11');
    const marks = scrubMarks(g);
    expect(marks.map((m) => [m.key, m.yearStart])).toEqual([
      ['2024-12', true],
      ['2024-11', false],
      ['2023-07', true],
    ]);
    expect(marks[2]!.top).toBe(g.headers[3]!.top);
  });

  it('falls back to a flat grid while the days do not add up to the photos shown', () => {
    const stale = layoutGrid(1000, 14, days, OPTS);
    expect(stale.headers).toEqual([]);
    expect(stale.lines).toHaveLength(3);
  });

  it('lays out 100,000 photos over ten years of days, a year mark per year', () => {
    const many: TimelineDay[] = Array.from({ length: 3650 }, (_, i) => {
      const d = new Date(2025, 0, 1 - i);
      const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      return { day, count: i % 10 === 9 ? 28 : 25 };
    });
    const total = many.reduce((n, d) => n + d.count, 0);
    const big = layoutGrid(1000, total, many, OPTS);
    expect(big.headers).toHaveLength(3650);
    expect(scrubMarks(big).filter((m) => m.yearStart)).toHaveLength(11);
    const r = rowsInView(big, big.totalHeight / 2, 800);
    expect(r.endIndex).toBeGreaterThan(r.firstIndex);
  });
});
