// The text read in photos, one row per content hash (shared by every CLIP model: the OCR models
// are their own), with LanceDB's full-text index over it. A photo checked and found to hold no
// text has a row too, with no lines, so it is not checked again.
import * as lancedb from '@lancedb/lancedb';
import { Schema } from 'apache-arrow';
import { str } from './photo-schema.ts';
import { upsertBy } from './retry.ts';
import { likeAnywhere, sqlString } from './sql.ts';
import { queryWords, squash } from '../../../shared/query-words.ts';

export { squash } from '../../../shared/query-words.ts';

export interface TextLineRow {
  text: string;
  confidence: number;
  /** Top-left, top-right, bottom-right, bottom-left, as fractions of the upright photo's width and height. */
  corners: [number, number][];
}

export interface TextRow {
  hash: string;
  /** Every line, one per line of text. */
  text: string;
  /** The text lower-cased with its spaces taken out: the recogniser sometimes runs words together. */
  squashed: string;
  /** The lines with their boxes, as JSON. */
  lines: string;
  /** Which reader read it, so a better one can read again. */
  reader: string;
}

export const TEXT_READER = 'pp-ocrv4';

export class TextTable {
  readonly #table: lancedb.Table;
  #hasIndex = false;

  private constructor(table: lancedb.Table) {
    this.#table = table;
  }

  static async open(db: lancedb.Connection): Promise<TextTable> {
    const schema = new Schema([str('hash'), str('text'), str('squashed'), str('lines'), str('reader')]);
    return new TextTable(await db.createEmptyTable('texts', schema, { existOk: true }));
  }

  /**
   * Every content read already by `reader` (one scan of two small columns, not a lookup per
   * photo): what another reader read is read again, its text kept until then.
   */
  async readHashes(reader: string = TEXT_READER): Promise<Set<string>> {
    const rows = (await this.#table.query().select(['hash', 'reader']).toArray()) as { hash: string; reader: string }[];
    return new Set(rows.filter((r) => r.reader === reader).map((r) => r.hash));
  }

  async save(rows: readonly TextRow[]): Promise<void> {
    await upsertBy(this.#table, 'hash', rows, 'save text in photos');
  }

  async linesOf(hash: string): Promise<TextLineRow[]> {
    const rows = (await this.#table
      .query()
      .where(`hash = ${sqlString(hash)}`)
      .select(['lines'])
      .limit(1)
      .toArray()) as { lines: string }[];
    return rows[0] ? (JSON.parse(rows[0].lines) as TextLineRow[]) : [];
  }

  /**
   * Contents whose text holds every word of `query`, best first. The full-text index (trigrams, so
   * words run together are still found) proposes; the squashed text must then contain each word.
   */
  async matching(query: string, limit: number): Promise<string[]> {
    const words = queryWords(query);
    if (words.length === 0) return [];
    const holdsAll = (squashed: string): boolean => words.every((w) => squashed.includes(w));
    if (!(await this.#indexed())) {
      // Before the first index is built (the first text just read): the exact scan.
      const where = words.map((w) => `squashed LIKE ${likeAnywhere(w)}`).join(' AND ');
      const rows = (await this.#table.query().where(where).select(['hash']).limit(limit).toArray()) as {
        hash: string;
      }[];
      return rows.map((r) => r.hash);
    }
    // Every trigram of every word in the text (AND): at 10,000 texts "invoice 4711" proposes the
    // one receipt in 3 ms, where any trigram (OR) proposed 240 in 6.
    const rows = (await this.#table
      .query()
      .fullTextSearch(new lancedb.MatchQuery(words.join(' '), 'text', { operator: lancedb.Operator.And }))
      // `_score` named, or LanceDB logs a deprecation warning at every search.
      .select(['hash', 'squashed', '_score'])
      .limit(limit * 2)
      .toArray()) as { hash: string; squashed: string }[];
    return rows.filter((r) => holdsAll(r.squashed)).map((r) => r.hash);
  }

  async #indexed(): Promise<boolean> {
    if (this.#hasIndex) return true;
    this.#hasIndex = (await this.#table.listIndices()).some((i) => i.columns.includes('text'));
    return this.#hasIndex;
  }

  /** Contents whose text holds `phrase` (spaces aside). */
  async withPhrase(phrase: string): Promise<string[]> {
    const rows = (await this.#table
      .query()
      .where(`squashed LIKE ${likeAnywhere(squash(phrase))}`)
      .select(['hash'])
      .toArray()) as { hash: string }[];
    return rows.map((r) => r.hash);
  }

  /** The full-text index, once there is text; rows added since are searched too, and optimize() folds them in. */
  async maintain(): Promise<void> {
    const indices = await this.#table.listIndices();
    if (!indices.some((i) => i.columns.includes('text')) && (await this.#table.countRows("text != ''")) > 0) {
      await this.#table.createIndex('text', {
        config: lancedb.Index.fts({
          baseTokenizer: 'ngram',
          ngramMinLength: 3,
          ngramMaxLength: 3,
          withPosition: false,
        }),
      });
    }
    await this.#table.optimize({ cleanupOlderThan: new Date(Date.now() - 7 * 24 * 3600 * 1000) });
  }

  /** Reads from now on see another connection's commits too (PhotoStore.refresh). */
  async refresh(): Promise<void> {
    await this.#table.checkoutLatest();
  }

  close(): void {
    this.#table.close();
  }
}
