// Exact scores and the columns a search shows, from memory, for a table large enough to have an
// ANN index. At 100,000 photos a pool of 200 re-ranked by LanceDB on full vectors (refineFactor)
// took 7.7 ms, most of it reading each candidate's 2 KB vector from disk; the same search
// unrefined, for twice the candidates, took 2.4 ms, and re-scoring those 400 from memory under a
// millisecond. Reading the shown hits' ten columns by row id took 4 ms more. Both are kept here,
// keyed by row id: a row id names one row's content for good (row-directory.ts), so an entry never
// goes stale.
import type * as lancedb from '@lancedb/lancedb';
import { Int16Dots } from '../int16-dots.ts';
import { SlotTable } from './slot-table.ts';

/**
 * The most rows one table holds: about 1 KB each (512 components at 16 bits, and the columns),
 * 94 MiB at 100,000 photos. Past it searches fall back to LanceDB's re-ranking.
 */
export const MAX_HELD_ROWS = 200_000;

/** The most rows the kernel scores at once (4 MiB of its memory at 512 components). */
const DOTS_BATCH = 4_096;

let kernel: Int16Dots | null | undefined;
/** The process's one SIMD kernel (a batch at a time, and every batch is synchronous). */
const simd = (): Int16Dots | null => (kernel === undefined ? (kernel = Int16Dots.create()) : kernel);

/** How long after a read failed, or found the table too big, the next search may try again. */
const RETRY_MS = 60_000;

/** A rewritten row leaves its old entry behind; past this share of dead weight the rows are read again. */
const STALE_SHARE = 0.25;

interface Column {
  nullCount: number;
  toArray(): ArrayLike<unknown>;
  isValid(i: number): boolean;
}

/** One batch of rows as read: their vectors quantised, their columns copied out of Arrow. */
interface Segment {
  /** Per row, 16-bit components scaled by `scales` (which also divides by the vector's norm). */
  codes: Int16Array;
  scales: Float32Array;
  /** Per column held, its values in row order (null where null). */
  columns: ArrayLike<unknown>[];
}

interface Slot {
  segment: Segment;
  at: number;
}

/** Arrow's pieces of a batch, as far as they are read here. */
interface Batch {
  numRows: number;
  getChild(name: string): ArrowVector | null;
}
interface ArrowVector extends Column {
  get(i: number): unknown;
  data: { offset: number; children: { offset: number; values: Float32Array }[] }[];
}

/** A row found by a search from memory: its row id, exact cosine and held columns. */
export interface Scored<Row> {
  rowId: bigint;
  score: number;
  row: Row;
}

/** A table's vectors, and `columns` of each row, by row id. */
export class RowVectors<Row extends object> {
  readonly #table: lancedb.Table;
  readonly #dim: number;
  readonly #columns: readonly (keyof Row & string)[];
  /** Each held column's place in a segment's `columns`. */
  readonly #index: Map<string, number>;
  #slots: SlotTable<Slot> | null = null;
  #loading: Promise<void> | null = null;
  /** Rows read since the last whole read: each may have left an older entry behind. */
  #added = 0;
  #closed = false;
  /** When a read last failed or found too many rows: not tried again for RETRY_MS. */
  #declinedAt = -Infinity;

  readonly #maxRows: number;

  /**
   * Per column of few distinct values (a folder, a town), one copy of each: Arrow decodes a string
   * per row, and at 100,000 photos the filter columns took 13 MiB that way.
   */
  readonly #shared: ReadonlySet<string>;
  #pools = new Map<string, Map<string, string>>();

  constructor(
    table: lancedb.Table,
    dim: number,
    columns: readonly (keyof Row & string)[],
    maxRows = MAX_HELD_ROWS,
    shared: readonly (keyof Row & string)[] = [],
  ) {
    this.#table = table;
    this.#dim = dim;
    this.#columns = columns;
    this.#index = new Map(columns.map((name, c) => [name, c]));
    this.#maxRows = maxRows;
    this.#shared = new Set(shared);
  }

  /** Whether the rows are held; the first call starts reading them (in the background). */
  ready(): boolean {
    if (this.#slots === null) this.#load();
    return this.#slots !== null;
  }

  /** Whether the rows are held now (nothing is started). */
  get held(): boolean {
    return this.#slots !== null;
  }

  /** Waits for the rows to be held (tests and benches; searches never wait). */
  async loaded(): Promise<void> {
    this.ready();
    await this.#loading;
  }

  close(): void {
    this.#closed = true;
  }

  /**
   * The `limit` rows nearest `vector` (under `where`): twice as many candidates from the table's
   * ANN index without LanceDB's re-ranking, re-scored exactly from memory, with their columns.
   */
  async search<K extends keyof Row & string>(
    vector: Float32Array,
    limit: number,
    where?: string,
    /** The columns the caller reads: building a 200-row pool's rows of 18 columns took 0.4 ms. */
    columns: readonly K[] = this.#columns as readonly K[],
    /** Only the first places must be right: the index's graph is explored no wider than `limit` × 2. */
    topOnly = false,
  ): Promise<Scored<Pick<Row, K>>[]> {
    let q = this.#table
      .vectorSearch(vector)
      .distanceType('cosine')
      .limit(limit * 2)
      .select(['_distance'])
      .withRowId()
      .nprobes(20);
    if (topOnly) q = q.ef(limit * 2);
    if (where !== undefined && where !== '') q = q.where(where);
    // As Arrow columns: converting a pool of 400 to row objects alone took 1.4 ms.
    const found = await q.toArrow();
    const rowIds = (found.getChild('_rowid')?.toArray() as BigUint64Array | undefined) ?? new BigUint64Array(0);
    return this.rescore(vector, rowIds, limit, columns);
  }

  /**
   * Exact cosine scores of these rows against `vector`, best first, at most `limit`, with their
   * columns; rows written since the whole read are read now, and rows gone since are left out.
   */
  async rescore<K extends keyof Row & string>(
    vector: Float32Array,
    rowIds: readonly bigint[] | BigUint64Array,
    limit: number,
    columns: readonly K[] = this.#columns as readonly K[],
  ): Promise<Scored<Pick<Row, K>>[]> {
    const found = await this.#slotsOf(rowIds);
    let norm = 0;
    for (let k = 0; k < this.#dim; k++) norm += vector[k]! * vector[k]!;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const dots = this.#dots(vector, found);
    // Scores by position, and only the rows kept made into results.
    const scores = new Float64Array(found.length);
    const held: number[] = [];
    for (let i = 0; i < found.length; i++) {
      const slot = found[i];
      if (!slot) continue;
      scores[i] = dots[i]! * slot.segment.scales[slot.at]! * inv;
      held.push(i);
    }
    return held
      .sort((a, b) => scores[b]! - scores[a]!)
      .slice(0, limit)
      .map((i) => ({ rowId: rowIds[i]!, score: scores[i]!, row: this.#row(found[i]!, columns) }));
  }

  /** The columns of these rows, those not held yet read now; rows gone are left out. */
  async rows(rowIds: readonly bigint[]): Promise<Map<bigint, Row>> {
    const found = await this.#slotsOf(rowIds);
    const out = new Map<bigint, Row>();
    for (let i = 0; i < rowIds.length; i++) {
      const slot = found[i];
      if (slot) out.set(rowIds[i]!, this.#row(slot, this.#columns) as Row);
    }
    return out;
  }

  /** The columns of these rows where held; the others are for the caller to read. */
  metas(rowIds: readonly bigint[]): Map<bigint, Row> {
    const out = new Map<bigint, Row>();
    for (const rowId of rowIds) {
      const slot = this.#slots?.get(rowId);
      if (slot) out.set(rowId, this.#row(slot, this.#columns) as Row);
    }
    return out;
  }

  #row<K extends keyof Row & string>(slot: Slot, columns: readonly K[]): Pick<Row, K> {
    const row: Record<string, unknown> = {};
    for (const name of columns) row[name] = slot.segment.columns[this.#index.get(name)!]![slot.at] ?? null;
    return row as Pick<Row, K>;
  }

  /** Each slot's dot product with `vector` in code units (unscaled); 0 where there is none. */
  #dots(vector: Float32Array, slots: readonly (Slot | undefined)[]): Float32Array {
    const kernel = Int16Dots.fits(this.#dim) ? simd() : null;
    if (kernel === null) return Float32Array.from(slots, (slot) => (slot ? this.#dot(slot, vector) : 0));
    const out = new Float32Array(slots.length);
    // In batches, so that the kernel's memory stays small whatever the number of rows.
    for (let start = 0; start < slots.length; start += DOTS_BATCH) {
      const end = Math.min(slots.length, start + DOTS_BATCH);
      kernel.begin(vector, end - start);
      for (let i = start; i < end; i++) {
        const slot = slots[i];
        if (slot) kernel.set(i - start, slot.segment.codes, slot.at * this.#dim);
      }
      out.set(kernel.run(), start);
      for (let i = start; i < end; i++) if (!slots[i]) out[i] = 0;
    }
    return out;
  }

  /** A slot's dot product with `vector` in code units, in JavaScript (no WebAssembly SIMD). */
  #dot(slot: Slot, vector: Float32Array): number {
    const { codes } = slot.segment;
    const dim = this.#dim;
    const base = slot.at * dim;
    // Four sums: V8 then keeps more of the row in flight (a fifth faster than one sum).
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let k = 0;
    for (; k + 3 < dim; k += 4) {
      s0 += codes[base + k]! * vector[k]!;
      s1 += codes[base + k + 1]! * vector[k + 1]!;
      s2 += codes[base + k + 2]! * vector[k + 2]!;
      s3 += codes[base + k + 3]! * vector[k + 3]!;
    }
    for (; k < dim; k++) s0 += codes[base + k]! * vector[k]!;
    return s0 + s1 + s2 + s3;
  }

  #load(): void {
    if (performance.now() - this.#declinedAt < RETRY_MS) return;
    this.#loading ??= (async () => {
      try {
        if ((await this.#table.countRows()) > this.#maxRows) {
          this.#declinedAt = performance.now();
          return;
        }
        const slots = new SlotTable<Slot>();
        // A fresh pool per whole read, so values no row holds any more are let go.
        this.#pools = new Map();
        const query = this.#table
          .query()
          .select(['vector', ...this.#columns])
          .withRowId();
        for await (const batch of query as AsyncIterable<Batch>) {
          if (this.#closed) return;
          this.#hold(batch, slots);
          // Quantising is the main thread's work: let other work in between batches.
          await new Promise((resolve) => setImmediate(resolve));
        }
        this.#slots = slots;
        this.#added = 0;
      } catch {
        // A read that fails (the library closed under it, a disk gone) leaves searches on
        // LanceDB's own re-ranking, which reports the error if it persists; a failure that
        // repeats is not paid for at every search.
        this.#declinedAt = performance.now();
      } finally {
        this.#loading = null;
      }
    })();
  }

  /**
   * The held entry of each of `rowIds`, those not held yet read now (undefined where the row is
   * gone); a reread of everything once too many are stale.
   */
  async #slotsOf(rowIds: readonly bigint[] | BigUint64Array): Promise<(Slot | undefined)[]> {
    // The table the missing rows go into: a reread may replace the held one meanwhile.
    const slots = this.#slots!;
    const found = rowIds instanceof BigUint64Array ? slots.all(rowIds) : rowIds.map((r) => slots.get(r));
    const missing: bigint[] = [];
    for (let i = 0; i < found.length; i++) if (found[i] === undefined) missing.push(rowIds[i]!);
    if (missing.length === 0) return found;
    const rows = await this.#table
      .takeRowIds(missing)
      .select(['vector', ...this.#columns])
      .withRowId()
      .toArrow();
    for (const batch of rows.batches as unknown as Batch[]) this.#hold(batch, slots);
    this.#added += rows.numRows;
    // Searches go on with the rows held until the reread is done.
    if (this.#added > STALE_SHARE * slots.size) this.#load();
    return found.map((slot, i) => slot ?? slots.get(rowIds[i]!));
  }

  /** The column's strings replaced by the pool's copy of each. */
  #pooled(name: string, values: ArrayLike<unknown>): ArrayLike<unknown> {
    let pool = this.#pools.get(name);
    if (!pool) this.#pools.set(name, (pool = new Map<string, string>()));
    // Strings come from copied() in an array of their own: pooled in place.
    const out = Array.isArray(values) ? (values as unknown[]) : Array.from(values);
    for (let i = 0; i < out.length; i++) {
      const v = out[i];
      if (typeof v !== 'string') continue;
      const kept = pool.get(v);
      if (kept === undefined) pool.set(v, v);
      else out[i] = kept;
    }
    return out;
  }

  #hold(batch: Batch, slots: SlotTable<Slot>): void {
    const n = batch.numRows;
    if (n === 0) return;
    const dim = this.#dim;
    const rowIds = batch.getChild('_rowid')!;
    const floats = flatFloats(batch.getChild('vector')!, dim, n);
    const codes = new Int16Array(n * dim);
    const scales = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const base = i * dim;
      let max = 0;
      let norm = 0;
      for (let k = 0; k < dim; k++) {
        const x = floats[base + k]!;
        norm += x * x;
        if (Math.abs(x) > max) max = Math.abs(x);
      }
      const step = max / 32_767;
      const inv = step > 0 ? 1 / step : 0;
      for (let k = 0; k < dim; k++) codes[base + k] = Math.round(floats[base + k]! * inv);
      scales[i] = norm > 0 ? step / Math.sqrt(norm) : 0;
    }
    const columns = this.#columns.map((name) => {
      const values = copied(batch.getChild(name), n);
      return this.#shared.has(name) ? this.#pooled(name, values) : values;
    });
    const segment: Segment = { codes, scales, columns };
    for (let i = 0; i < n; i++) slots.set(rowIds.get(i) as bigint, { segment, at: i });
  }
}

/**
 * A column's values in arrays of their own: Arrow's may be views into the batch's whole buffer,
 * which would keep every row's full vector alive.
 */
function copied(column: Column | null, n: number): ArrayLike<unknown> {
  if (!column) return new Array<null>(n).fill(null);
  const all = column.toArray();
  if (column.nullCount > 0) return Array.from({ length: n }, (_, i) => (column.isValid(i) ? all[i] : null));
  return ArrayBuffer.isView(all) ? (all as unknown as Float64Array).slice() : Array.from(all);
}

/** A fixed-size list column's values as one array of `dim` floats a row. */
function flatFloats(column: ArrowVector, dim: number, n: number): Float32Array {
  const [only] = column.data;
  const child = only?.children[0];
  // A batch as read holds one chunk from its start; anything else is read row by row.
  if (column.data.length === 1 && only?.offset === 0 && child?.offset === 0) return child.values.subarray(0, n * dim);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) out.set((column.get(i) as { toArray(): Float32Array }).toArray(), i * dim);
  return out;
}
