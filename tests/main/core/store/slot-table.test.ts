import { describe, expect, it } from 'vitest';
import { SlotTable } from '#core/store/slot-table.ts';

/** A LanceDB row id: the fragment in the high 32 bits, the offset in the low. */
const rowId = (fragment: number, offset: number): bigint => (BigInt(fragment) << 32n) | BigInt(offset);

describe('SlotTable', () => {
  it('finds each row by its id, across fragments and far offsets, and counts rows once', () => {
    const table = new SlotTable<string>();
    const ids = [rowId(0, 0), rowId(0, 1), rowId(3, 70_000), rowId(3, 5), rowId(2 ** 31 + 7, 2 ** 32 - 1)];
    ids.forEach((id, i) => table.set(id, `row ${i}`));
    ids.forEach((id, i) => expect(table.get(id), String(id)).toBe(`row ${i}`));
    // Neighbours of held rows, in the same fragment and others, are not held.
    for (const id of [rowId(0, 2), rowId(3, 6), rowId(3, 69_999), rowId(1, 0), rowId(4, 5)])
      expect(table.get(id), String(id)).toBeUndefined();
    expect(table.size).toBe(5);
    table.set(rowId(3, 5), 'again');
    expect(table.get(rowId(3, 5))).toBe('again');
    expect(table.size).toBe(5);
  });

  it('reads a column of row ids from its bytes as get does, also from a view inside a larger buffer', () => {
    const table = new SlotTable<number>();
    for (let f = 0; f < 3; f++) for (let o = 0; o < 50; o += f + 1) table.set(rowId(f, o), f * 1000 + o);
    table.set(rowId(1, 2 ** 32 - 2), -1);
    const wanted = [
      rowId(1, 4),
      rowId(0, 0),
      rowId(2, 3),
      rowId(2, 4),
      rowId(9, 1),
      rowId(0, 49),
      rowId(1, 2 ** 32 - 2),
      rowId(1, 5),
    ];
    // Arrow hands out columns that start partway into a shared buffer.
    const buffer = new BigUint64Array(wanted.length + 3);
    const column = new BigUint64Array(buffer.buffer, 2 * 8, wanted.length);
    column.set(wanted);
    expect(table.all(column)).toEqual(wanted.map((id) => table.get(id)));
    expect(table.all(column)).toEqual([1004, 0, 2003, undefined, undefined, 49, -1, undefined]);
  });
});
