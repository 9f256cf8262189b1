import * as lancedb from '@lancedb/lancedb';
import { readRows } from '../../store/arrow-rows.ts';
import { Bool, Field, Float64, Schema, Utf8 } from 'apache-arrow';
import { ShoeboxError, errorMessage } from '../../errors.ts';

/**
 * Everything the user decides is keyed by content hash, never by path or photo id, so it
 * survives re-indexing, moved and renamed files and a change of model. Each mutation is one
 * LanceDB commit (mergeInsert or delete), so a killed process leaves it done or not done.
 */
export interface AlbumRow {
  id: string;
  name: string;
  kind: 'user' | 'smart';
  /** A smart album's saved search as JSON; '' for a user album. */
  query: string;
  created_at: number;
  updated_at: number;
}

export interface AlbumItemRow {
  /** `${album_id}:${hash}`: the mergeInsert key, so adding a photo twice keeps one item. */
  key: string;
  album_id: string;
  hash: string;
  position: number;
  added_at: number;
}

export type MarkKind = 'favourite' | 'rating' | 'tag';

export interface MarkRow {
  /** `${mark}:${hash}` or, for tag decisions, `tag:${hash}:${tag}`. */
  key: string;
  hash: string;
  mark: MarkKind;
  /** The concept id of a tag decision; '' otherwise. */
  tag: string;
  /** 1 for a favourite, the stars of a rating, +1 accept / -1 reject for a tag. */
  value: number;
  updated_at: number;
}

export interface VocabRow {
  id: string;
  /** The shown name; for a built-in concept, '' keeps the built-in one. */
  name: string;
  group: string;
  /** JSON array of a custom concept's prompts; '' for built-ins. */
  prompts: string;
  custom: boolean;
  hidden: boolean;
  removed: boolean;
  updated_at: number;
}

export interface DhashRow {
  hash: string;
  /** 16 hex digits; '' when the thumbnail could not be read. */
  dhash: string;
}

export interface TagRow {
  hash: string;
  /** The vocabulary key these tags were computed under (vocabulary, edits, rule, model). */
  vocab: string;
  /** JSON: [conceptId, cosine, probability][] of the tags the rule assigned. */
  tags: string;
  sensitive: boolean;
  tagged_at: number;
}

const str = (name: string): Field => new Field(name, new Utf8(), false);
const f64 = (name: string): Field => new Field(name, new Float64(), false);
const bool = (name: string): Field => new Field(name, new Bool(), false);

export const SCHEMAS = {
  albums: new Schema([str('id'), str('name'), str('kind'), str('query'), f64('created_at'), f64('updated_at')]),
  album_items: new Schema([str('key'), str('album_id'), str('hash'), f64('position'), f64('added_at')]),
  photo_marks: new Schema([str('key'), str('hash'), str('mark'), str('tag'), f64('value'), f64('updated_at')]),
  tag_vocab: new Schema([
    str('id'),
    str('name'),
    str('group'),
    str('prompts'),
    bool('custom'),
    bool('hidden'),
    bool('removed'),
    f64('updated_at'),
  ]),
  photo_dhash: new Schema([str('hash'), str('dhash')]),
  tags: new Schema([str('hash'), str('vocab'), str('tags'), bool('sensitive'), f64('tagged_at')]),
  // People (albums/people/people.ts): the names the user gave, and each face placed or refused.
  people: new Schema([str('id'), str('name'), bool('hidden'), f64('updated_at')]),
  face_marks: new Schema([
    str('key'),
    str('hash'),
    f64('x'),
    f64('y'),
    f64('w'),
    f64('h'),
    str('person'),
    f64('value'),
    f64('updated_at'),
  ]),
} as const;

export type TableKind = keyof typeof SCHEMAS;

/** Tags depend on the model: one table per model, as photos have. */
export function tagsTableName(modelId: string): string {
  return `photo_tags__${modelId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

const MAINTAIN_EVERY_MS = 5 * 60 * 1000;

const fieldsOf = (kind: TableKind): string[] => SCHEMAS[kind].fields.map((f) => f.name);

/** Tables of a few hundred rows at most, read whole and often. */
const SMALL: ReadonlySet<TableKind> = new Set(['albums', 'tag_vocab', 'people']);

export class AlbumDb {
  readonly writable: boolean;
  readonly #db: lancedb.Connection;
  readonly #tagsName: string;
  readonly #open = new Map<string, lancedb.Table>();
  readonly #small = new Map<TableKind, { version: number; rows: Record<string, unknown>[] }>();
  #maintained = 0;

  private constructor(db: lancedb.Connection, modelId: string, writable: boolean) {
    this.#db = db;
    this.#tagsName = tagsTableName(modelId);
    this.writable = writable;
  }

  static async open(dbDir: string, modelId: string, writable: boolean): Promise<AlbumDb> {
    try {
      // As for photos: every read sees what another process (the app, a CLI) committed.
      return new AlbumDb(await lancedb.connect(dbDir, { readConsistencyInterval: 0 }), modelId, writable);
    } catch (err) {
      throw new ShoeboxError(
        'LIBRARY_UNREADABLE',
        `cannot open the library database at ${dbDir}: ${errorMessage(err)}`,
      );
    }
  }

  #name(kind: TableKind): string {
    return kind === 'tags' ? this.#tagsName : kind;
  }

  /** A reader never creates tables: one not written yet reads as empty (null here). */
  async #table(kind: TableKind): Promise<lancedb.Table | null> {
    const name = this.#name(kind);
    const cached = this.#open.get(name);
    if (cached) return cached;
    let table: lancedb.Table | null;
    if (this.writable) table = await this.#db.createEmptyTable(name, SCHEMAS[kind], { existOk: true });
    else table = (await this.#db.tableNames()).includes(name) ? await this.#db.openTable(name) : null;
    if (table) this.#open.set(name, table);
    return table;
  }

  async #writeTable(kind: TableKind): Promise<lancedb.Table> {
    if (!this.writable)
      throw new ShoeboxError('INTERNAL', 'the library was opened read-only: albums, tags and marks cannot change');
    return (await this.#table(kind))!;
  }

  async rows<T>(kind: TableKind, where?: string, columns?: string[]): Promise<T[]> {
    const table = await this.#table(kind);
    if (!table) return [];
    const whole = (where === undefined || where === '') && columns === undefined;
    if (whole && SMALL.has(kind)) {
      // Read at every search (album and tag names for the parser): kept while the table's version
      // stands, which a write by any process moves.
      const version = await table.version();
      let cached = this.#small.get(kind);
      if (cached?.version !== version) {
        cached = { version, rows: await readRows<Record<string, unknown>>(table.query(), fieldsOf(kind)) };
        this.#small.set(kind, cached);
      }
      return cached.rows.map((r) => ({ ...r }) as T);
    }
    let q = table.query();
    if (where !== undefined && where !== '') q = q.where(where);
    // Column by column (arrow-rows.ts): 100,000 photos' tags read through row proxies took 1.5 s.
    return readRows<T>(q, columns ?? fieldsOf(kind));
  }

  /** Insert or replace by `key`, in one commit; 'insert' leaves existing rows as they are. */
  async merge(
    kind: TableKind,
    key: string,
    rows: readonly object[],
    mode: 'upsert' | 'insert' | 'update' = 'upsert',
  ): Promise<void> {
    if (rows.length === 0) return;
    const table = await this.#writeTable(kind);
    let b = table.mergeInsert(key);
    if (mode !== 'insert') b = b.whenMatchedUpdateAll();
    if (mode !== 'update') b = b.whenNotMatchedInsertAll();
    await b.execute(rows.map((r) => ({ ...r })));
  }

  async delete(kind: TableKind, where: string): Promise<void> {
    await (await this.#writeTable(kind)).delete(where);
  }

  /** The table's version (−1 while it does not exist): it moves with every write by any process. */
  async version(kind: TableKind): Promise<number> {
    const table = await this.#table(kind);
    return table ? table.version() : -1;
  }

  /**
   * Compacts the small fragments that many one-row commits leave behind; at most every few
   * minutes, since the watcher retags after every batch of changes.
   */
  async maintain(): Promise<void> {
    if (!this.writable || Date.now() - this.#maintained < MAINTAIN_EVERY_MS) return;
    this.#maintained = Date.now();
    const cutoff = new Date(Date.now() - 7 * 24 * 3600 * 1000);
    for (const kind of Object.keys(SCHEMAS) as TableKind[])
      await (await this.#writeTable(kind)).optimize({ cleanupOlderThan: cutoff });
  }

  /** Drops one model's tags (when its vectors go); user data is keyed by hash and stays. */
  static async dropModelTags(dbDir: string, modelId: string): Promise<boolean> {
    const db = await lancedb.connect(dbDir);
    try {
      const name = tagsTableName(modelId);
      if (!(await db.tableNames()).includes(name)) return false;
      await db.dropTable(name);
      return true;
    } finally {
      db.close();
    }
  }

  close(): void {
    for (const t of this.#open.values()) t.close();
    this.#open.clear();
    this.#db.close();
  }
}
