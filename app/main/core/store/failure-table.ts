import type * as lancedb from '@lancedb/lancedb';
import { failureSchema } from './photo-schema.ts';
import type { FailureRow } from './photo-schema.ts';
import { upsertBy, withRetry } from './retry.ts';
import { chunks, sqlIn, sqlString } from './sql.ts';

export const FAILURES = 'failures';

/** Files that could not be indexed, each with its reason, shared by every model's photos. */
export class FailureTable {
  readonly #table: lancedb.Table;

  private constructor(table: lancedb.Table) {
    this.#table = table;
  }

  static async open(db: lancedb.Connection): Promise<FailureTable> {
    return new FailureTable(await db.createEmptyTable(FAILURES, failureSchema(), { existOk: true }));
  }

  /** Each failed path's row (under one root, when given). */
  async known(root?: string): Promise<Map<string, FailureRow>> {
    let q = this.#table.query();
    if (root !== undefined) q = q.where(`root = ${sqlString(root)}`);
    const rows = (await q.toArray()) as FailureRow[];
    return new Map(rows.map((r) => [r.path, { ...r }]));
  }

  async list(): Promise<FailureRow[]> {
    return ((await this.#table.query().toArray()) as FailureRow[]).map((r) => ({ ...r }));
  }

  /** Records each row's failure, replacing an earlier one of the same path. */
  async record(rows: readonly FailureRow[]): Promise<void> {
    await upsertBy(this.#table, 'path', rows, 'record failures');
  }

  /** Forgets these paths' failures (indexed since, or gone). */
  async clear(paths: readonly string[]): Promise<void> {
    for (const part of chunks(paths, 500))
      await withRetry('clear failures', () => this.#table.delete(sqlIn('path', part)));
  }

  async deleteWhere(where: string): Promise<void> {
    await withRetry('remove failures', () => this.#table.delete(where));
  }

  async optimize(opts: { cleanupOlderThan: Date }): Promise<void> {
    await this.#table.optimize(opts);
  }

  close(): void {
    this.#table.close();
  }
}
