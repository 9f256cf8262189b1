import type * as lancedb from '@lancedb/lancedb';
import { memberSchema } from './photo-schema.ts';
import type { MemberRow } from './photo-schema.ts';
import { upsertBy, withRetry } from './retry.ts';
import { chunks, sqlIn, sqlString } from './sql.ts';

const asMember = (r: Record<string, unknown>): MemberRow => ({
  path: r.path as string,
  root: r.root as string,
  size: r.size as number,
  mtime: r.mtime as number,
  primary_path: r.primary_path as string,
  role: r.role === 'raw' ? 'raw' : 'motion',
});

/** The member files of items (Live Photo motion, RAW beside JPEG), shared by every model. */
export class MemberTable {
  readonly #table: lancedb.Table;

  private constructor(table: lancedb.Table) {
    this.#table = table;
  }

  static async open(db: lancedb.Connection): Promise<MemberTable> {
    return new MemberTable(await db.createEmptyTable('members', memberSchema(), { existOk: true }));
  }

  async known(root?: string): Promise<Map<string, MemberRow>> {
    let q = this.#table.query();
    if (root !== undefined) q = q.where(`root = ${sqlString(root)}`);
    return new Map(((await q.toArray()) as Record<string, unknown>[]).map((r) => [r.path as string, asMember(r)]));
  }

  async of(primary: string): Promise<MemberRow[]> {
    const rows = await this.#table
      .query()
      .where(`primary_path = ${sqlString(primary)}`)
      .toArray();
    return (rows as Record<string, unknown>[]).map(asMember).sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  async save(claimed: readonly MemberRow[]): Promise<void> {
    // Both sides claim a pair (the still its motion, the motion its still): one row per path, as
    // a merge with the same key twice in its input would insert both.
    const rows = [...new Map(claimed.map((r) => [r.path, r])).values()];
    await upsertBy(this.#table, 'path', rows, 'save member files');
  }

  /**
   * Forgets members at `paths`, and the members of primaries at `paths`: those become items of
   * their own again (a Live Photo's MOV whose still was deleted is still a video). Returns those
   * orphans, and the members that were themselves deleted.
   */
  async forget(paths: readonly string[]): Promise<{ orphans: MemberRow[]; deleted: MemberRow[] }> {
    const orphans: MemberRow[] = [];
    const deleted: MemberRow[] = [];
    for (const part of chunks(paths, 500)) {
      const gone = new Set(part);
      const where = `${sqlIn('path', part)} OR ${sqlIn('primary_path', part)}`;
      const rows = ((await this.#table.query().where(where).toArray()) as Record<string, unknown>[]).map(asMember);
      if (rows.length === 0) continue;
      for (const r of rows) (gone.has(r.path) ? deleted : orphans).push(r);
      await withRetry('forget member files', () => this.#table.delete(where));
    }
    return { orphans, deleted };
  }

  /** Members at `paths` that are items of their own now (their primary went, or they changed kind). */
  async removeAt(paths: readonly string[]): Promise<void> {
    for (const part of chunks(paths, 500)) {
      const where = sqlIn('path', part);
      if ((await this.#table.countRows(where)) > 0)
        await withRetry('remove member files', () => this.#table.delete(where));
    }
  }

  async deleteWhere(where: string): Promise<void> {
    await withRetry('remove member files', () => this.#table.delete(where));
  }

  async optimize(): Promise<void> {
    await this.#table.optimize({ cleanupOlderThan: new Date(Date.now() - 7 * 24 * 3600 * 1000) });
  }

  close(): void {
    this.#table.close();
  }
}
