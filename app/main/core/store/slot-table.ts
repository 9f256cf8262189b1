// Held rows by LanceDB row id. A row id is its fragment's id (the high 32 bits) and the row's
// offset in that fragment (the low 32), so each fragment keeps an array by offset. A Map keyed by
// the 64-bit id as a BigInt took about 0.9 us a lookup at 100,000 held rows (hashing the BigInt,
// then a cold entry), and an exclusion's query looks up some 1,100 rows.

/** Whether this machine stores integers little-end first (every platform Shoebox ships for). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const LOW = 0xffff_ffffn;

/**
 * Offsets from here on are kept by whole id: a fragment's array runs up to its last offset held,
 * and LanceDB writes at most about a million rows to a fragment, far fewer than this.
 */
const FAR = 1 << 22;

export class SlotTable<T> {
  readonly #fragments = new Map<number, (T | undefined)[]>();
  readonly #far = new Map<bigint, T>();
  #size = 0;

  /** How many rows are held. */
  get size(): number {
    return this.#size;
  }

  get(rowId: bigint): T | undefined {
    const offset = Number(rowId & LOW);
    return offset >= FAR ? this.#far.get(rowId) : this.#fragments.get(Number(rowId >> 32n))?.[offset];
  }

  set(rowId: bigint, value: T): void {
    const fragment = Number(rowId >> 32n);
    const offset = Number(rowId & LOW);
    if (offset >= FAR) {
      if (!this.#far.has(rowId)) this.#size++;
      this.#far.set(rowId, value);
      return;
    }
    let rows = this.#fragments.get(fragment);
    if (!rows) this.#fragments.set(fragment, (rows = []));
    // Filled up to the offset, so the array stays a plain list (a far index left as a hole would
    // turn it into a dictionary).
    while (rows.length < offset) rows.push(undefined);
    if (rows[offset] === undefined) this.#size++;
    rows[offset] = value;
  }

  /**
   * The value of each of `ids` (a query's row id column), read from the ids' own bytes: no BigInt
   * is made per row.
   */
  all(ids: BigUint64Array): (T | undefined)[] {
    if (!LITTLE_ENDIAN) return Array.from(ids, (id) => this.get(id));
    const words = new Uint32Array(ids.buffer, ids.byteOffset, ids.length * 2);
    const out = new Array<T | undefined>(ids.length);
    let fragment = -1;
    let rows: (T | undefined)[] | undefined;
    for (let i = 0; i < ids.length; i++) {
      const high = words[2 * i + 1]!;
      // Rows of one fragment usually come together: its array is looked up once for them.
      if (high !== fragment) {
        fragment = high;
        rows = this.#fragments.get(high);
      }
      const offset = words[2 * i]!;
      out[i] = offset >= FAR ? this.#far.get(ids[i]!) : rows?.[offset];
    }
    return out;
  }
}
