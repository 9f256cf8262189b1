import type * as lancedb from '@lancedb/lancedb';

export interface ItemRef {
  id: string;
  hash: string;
}

/** An item in this version of the table: its row id reads it back without a lookup by id. */
export interface RowRef extends ItemRef {
  rowId: bigint;
}

interface Snapshot {
  /** The table version read before the scan: the snapshot holds at least its rows. */
  version: number;
  /** Per fragment: a row's offset → its position in ids/hashes, -1 where none. */
  fragments: Map<number, Int32Array>;
  rowIds: BigUint64Array;
  ids: { get(i: number): unknown };
  hashes: { get(i: number): unknown };
  /** Content hash → positions, built on first use. */
  byHash?: Map<string, number[]>;
  /** Ids decoded from Arrow as they are asked for: each search asks for the same videos' ids. */
  idAt?: (string | undefined)[];
}

/**
 * Which item a vector search's row id is (its id and content hash), from memory. A search that
 * reads id and hash for its pool of 200 pays about 5 ms at 100,000 photos for the late column
 * reads alone; this map costs one scan of two columns (about 50 ms at 100,000) and a few bytes a
 * row. A row id (fragment << 32 | offset) names one row for good, since LanceDB never reuses a
 * fragment id, so an entry never goes stale: rows written since the scan are misses, and a miss
 * rescans once before the few still unknown are read by id. Which rows hold a content is only
 * known for the version scanned, so that question rescans whenever the table has moved.
 */
export class RowDirectory {
  readonly #table: lancedb.Table;
  #snapshot: Snapshot | null = null;
  #scanning: Promise<Snapshot> | null = null;

  constructor(table: lancedb.Table) {
    this.#table = table;
  }

  /** The items of these row ids; a row gone since the search is left out. */
  async resolve(rowIds: readonly bigint[]): Promise<Map<bigint, ItemRef>> {
    let snapshot = this.#snapshot ?? (await this.#scan());
    let refs = rowIds.map((r) => lookup(snapshot, r));
    if (refs.some((r) => r === null)) {
      snapshot = await this.#scan();
      refs = rowIds.map((r) => lookup(snapshot, r));
    }
    const out = new Map<bigint, ItemRef>();
    rowIds.forEach((r, i) => {
      const ref = refs[i];
      if (ref) out.set(r, ref);
    });
    const missing = rowIds.filter((r) => !out.has(r));
    if (missing.length === 0) return out;
    // Written after the rescan began, or gone since the search: read (or drop) them directly.
    const rows = (await this.#table.takeRowIds(missing).select(['id', 'hash']).withRowId().toArray()) as {
      id: string;
      hash: string;
      _rowid: bigint;
    }[];
    for (const r of rows) out.set(r._rowid, { id: r.id, hash: r.hash });
    return out;
  }

  /** The rows holding these contents (every copy), as the table is now. */
  async rowsOfHashes(hashes: readonly string[]): Promise<RowRef[]> {
    let snapshot = this.#snapshot;
    if (snapshot?.version !== (await this.#table.version())) snapshot = await this.#scan();
    snapshot.byHash ??= positionsByHash(snapshot);
    const { byHash } = snapshot;
    const idAt = (snapshot.idAt ??= []);
    return [...new Set(hashes)].flatMap((hash) =>
      (byHash.get(hash) ?? []).map((at) => ({
        id: (idAt[at] ??= snapshot.ids.get(at) as string),
        hash,
        rowId: snapshot.rowIds[at]!,
      })),
    );
  }

  async #scan(): Promise<Snapshot> {
    this.#scanning ??= (async () => {
      try {
        const version = await this.#table.version();
        const table = await this.#table.query().select(['id', 'hash']).withRowId().toArrow();
        // An empty table reads as no columns at all.
        const none = { get: (): unknown => undefined };
        const rowIds = (table.getChild('_rowid')?.toArray() as BigUint64Array | undefined) ?? new BigUint64Array(0);
        const ids = table.getChild('id') ?? none;
        const hashes = table.getChild('hash') ?? none;
        this.#snapshot = { version, fragments: fragmentsOf(rowIds), rowIds, ids, hashes };
        return this.#snapshot;
      } finally {
        this.#scanning = null;
      }
    })();
    return this.#scanning;
  }
}

function lookup(s: Snapshot, rowId: bigint): ItemRef | null {
  const at = s.fragments.get(Number(rowId >> 32n))?.[Number(rowId & 0xffff_ffffn)];
  if (at === undefined || at < 0) return null;
  return { id: s.ids.get(at) as string, hash: s.hashes.get(at) as string };
}

/** Row ids read as (low, high) 32-bit pairs, so 100,000 of them take no BigInt arithmetic. */
function fragmentsOf(rowIds: BigUint64Array): Map<number, Int32Array> {
  const words = new Uint32Array(rowIds.buffer, rowIds.byteOffset, rowIds.length * 2);
  const size = new Map<number, number>();
  for (let i = 0; i < rowIds.length; i++) {
    const fragment = words[2 * i + 1]!;
    size.set(fragment, Math.max(size.get(fragment) ?? 0, words[2 * i]! + 1));
  }
  const out = new Map([...size].map(([f, n]) => [f, new Int32Array(n).fill(-1)]));
  for (let i = 0; i < rowIds.length; i++) out.get(words[2 * i + 1]!)![words[2 * i]!] = i;
  return out;
}

function positionsByHash(s: Snapshot): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < s.rowIds.length; i++) {
    const hash = s.hashes.get(i) as string;
    const at = out.get(hash);
    if (at) at.push(i);
    else out.set(hash, [i]);
  }
  return out;
}
