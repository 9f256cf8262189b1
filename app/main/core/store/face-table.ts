// The faces found in photos, one row per face, keyed by content hash (shared by every CLIP model:
// the face models are their own). A photo looked at has a row in face_scans too, with how many
// faces it holds, so a photo with none is not looked at again. A video's faces come from its
// poster and from a few of its moments (at_ms).
import type * as lancedb from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Float64, Int32, Schema } from 'apache-arrow';
import { readRows } from './arrow-rows.ts';
import { migrateTable } from './photo-migrations.ts';
import { str } from './photo-schema.ts';
import { withRetry } from './retry.ts';
import { chunks, sqlIn, sqlString } from './sql.ts';
import { toVector } from './vector-column.ts';

export const FACE_DIM = 512;

export interface FaceRow {
  hash: string;
  /** The face's place among the photo's faces, largest first. */
  face: number;
  /** The box as fractions of the upright photo's width and height. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** The detector's six points as JSON [[x, y], …], fractions like the box. */
  landmarks: string;
  score: number;
  sharpness: number;
  embedding: Float32Array;
  /** Which models found and described it (FACE_MODEL_ID). */
  model: string;
  /**
   * Where in a video it was found (ms), its box a fraction of that frame; null for an item's own
   * picture (a photo, a Live Photo's still, a video's poster).
   */
  at_ms: number | null;
}

export type FaceMeta = Omit<FaceRow, 'embedding'>;

const f64 = (name: string): Field => new Field(name, new Float64(), false);

export function faceSchema(): Schema {
  return new Schema([
    str('hash'),
    new Field('face', new Int32(), false),
    f64('x'),
    f64('y'),
    f64('w'),
    f64('h'),
    str('landmarks'),
    f64('score'),
    f64('sharpness'),
    new Field('embedding', new FixedSizeList(FACE_DIM, new Field('item', new Float32(), true)), false),
    str('model'),
    new Field('at_ms', new Float64(), true),
  ]);
}

/** The faces table, brought up to this schema: faces found before videos' moments were looked at are their items' own. */
async function openFaces(db: lancedb.Connection): Promise<lancedb.Table> {
  if (!(await db.tableNames()).includes('faces')) return db.createEmptyTable('faces', faceSchema(), { existOk: true });
  const table = await db.openTable('faces');
  await migrateTable(table, faceSchema(), 'faces');
  return table;
}

const META: (keyof FaceMeta)[] = [
  'hash',
  'face',
  'x',
  'y',
  'w',
  'h',
  'landmarks',
  'score',
  'sharpness',
  'model',
  'at_ms',
];

export class FaceTable {
  readonly #faces: lancedb.Table;
  readonly #scans: lancedb.Table;

  private constructor(faces: lancedb.Table, scans: lancedb.Table) {
    this.#faces = faces;
    this.#scans = scans;
  }

  static async open(db: lancedb.Connection): Promise<FaceTable> {
    const [faces, scans] = await Promise.all([
      openFaces(db),
      db.createEmptyTable(
        'face_scans',
        new Schema([str('hash'), new Field('count', new Int32(), false), str('model')]),
        { existOk: true },
      ),
    ]);
    return new FaceTable(faces, scans);
  }

  /** Every content looked at by `model` already. */
  async scannedHashes(model: string): Promise<Set<string>> {
    const rows = await readRows<{ hash: string }>(this.#scans.query().where(`model = ${sqlString(model)}`), ['hash']);
    return new Set(rows.map((r) => r.hash));
  }

  /**
   * Records what was found in each photo of `scanned` (its faces in `rows`, perhaps none): the
   * faces first, then the scan, so a photo is never marked looked-at without its faces.
   */
  async save(scanned: readonly string[], rows: readonly FaceRow[], model: string): Promise<void> {
    if (scanned.length === 0) return;
    for (const part of chunks(scanned, 500)) {
      await withRetry('replace faces', () => this.#faces.delete(sqlIn('hash', part)));
    }
    if (rows.length > 0) await withRetry('save faces', () => this.#faces.add(rows.map((r) => ({ ...r }))));
    const counts = scanned.map((hash) => ({ hash, count: rows.filter((r) => r.hash === hash).length, model }));
    await withRetry('save face scans', () =>
      this.#scans.mergeInsert('hash').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(counts),
    );
  }

  /** Every face with its embedding, for grouping into people. */
  async all(): Promise<FaceRow[]> {
    const rows = await readRows<FaceMeta & { embedding: unknown }>(this.#faces.query(), [...META, 'embedding']);
    return rows.map((r) => ({ ...r, embedding: toVector(r.embedding) }));
  }

  /** Moves with every write to the faces or the scans, by any process. */
  async version(): Promise<string> {
    return `${await this.#faces.version()}:${await this.#scans.version()}`;
  }

  /** Forgets every face and every scan: face recognition turned off. */
  async clear(): Promise<void> {
    await withRetry('delete faces', () => this.#faces.delete('true'));
    await withRetry('delete face scans', () => this.#scans.delete('true'));
  }

  close(): void {
    this.#faces.close();
    this.#scans.close();
  }
}
