import type * as lancedb from '@lancedb/lancedb';

/** Items newest first, with their dates (epoch ms) in the same order. */
export interface DateOrder {
  ids: string[];
  dates: Float64Array;
}

/** The photos table's items in date order, per filter, kept while the table's version stands. */
export class DateOrders {
  readonly #table: lancedb.Table;
  readonly #cache = new Map<string, { version: number } & DateOrder>();

  constructor(table: lancedb.Table) {
    this.#table = table;
  }

  /**
   * Every matching id with its date, newest first (ties by path). LanceDB has no ORDER BY, so
   * this reads three columns as Arrow and sorts an index array here: at 100,000 photos 0.15 s,
   * where sorting the rows as objects took 0.5 s. Cached until the table's version moves.
   */
  async read(where: string): Promise<DateOrder> {
    const version = await this.#table.version();
    const cached = this.#cache.get(where);
    if (cached?.version === version) return cached;
    let q = this.#table.query().select(['id', 'date_ms', 'path']);
    if (where !== '') q = q.where(where);
    const table = await q.toArrow();
    const n = table.numRows;
    const allDates = (table.getChild('date_ms')?.toArray() ?? new Float64Array(0)) as Float64Array;
    const allIds = (table.getChild('id')?.toArray() ?? []) as string[];
    const paths = table.getChild('path');
    // Paths are read one by one, only for the rare photos taken in the same millisecond.
    const path = (i: number): string => (paths?.get(i) as string | null) ?? '';
    const order = new Uint32Array(n).map((_, i) => i);
    order.sort((a, b) => allDates[b]! - allDates[a]! || (path(a) < path(b) ? -1 : 1));
    const result = { ids: Array.from(order, (i) => allIds[i]!), dates: Float64Array.from(order, (i) => allDates[i]!) };
    if (this.#cache.size > 20) this.#cache.clear();
    this.#cache.set(where, { version, ...result });
    return result;
  }
}
