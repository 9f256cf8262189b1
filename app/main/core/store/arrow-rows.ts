// Rows of a query as plain objects, read column by column. LanceDB's toArray() hands back Arrow
// row proxies, and reading 25 fields of 100,000 of them through the proxies took 3.8 s here; a
// column converted at once and the objects built by index take 0.5 s.
import type * as lancedb from '@lancedb/lancedb';

interface Column {
  nullCount: number;
  toArray(): ArrayLike<unknown>;
  isValid(i: number): boolean;
}

/** Every row of `query` with `columns`, as plain objects; null where a value is null. */
export async function readRows<T>(query: lancedb.Query, columns: readonly string[]): Promise<T[]> {
  const table = await query.select([...columns]).toArrow();
  const n = table.numRows;
  const values = columns.map((name) => {
    const column = table.getChild(name) as Column | null;
    if (!column) return { name, at: (): unknown => null };
    const all = column.toArray();
    // Number columns come back as typed arrays that cannot hold null: ask the validity bitmap.
    const at =
      column.nullCount > 0 ? (i: number): unknown => (column.isValid(i) ? all[i] : null) : (i: number) => all[i];
    return { name, at };
  });
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (const v of values) row[v.name] = v.at(i) ?? null;
    out[i] = row as T;
  }
  return out;
}
