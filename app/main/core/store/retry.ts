import type * as lancedb from '@lancedb/lancedb';
import { errorMessage, ShoeboxError } from '../errors.ts';

/**
 * LanceDB commits optimistically; a commit that lost a race with another writer (a compaction,
 * an index build) fails with a conflict and is safe to retry. Anything else propagates.
 */
export async function withRetry<T>(what: string, op: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt >= 4 || !/conflict|retryable|temporarily/i.test(errorMessage(err))) {
        throw new ShoeboxError('INTERNAL', `could not ${what}: ${errorMessage(err)}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}

/**
 * Inserts `rows`, each replacing the row with the same `key`, in one LanceDB commit (retried as
 * withRetry does): a crash leaves all of them written or none.
 */
export async function upsertBy(
  table: lancedb.Table,
  key: string,
  rows: readonly object[],
  what: string,
): Promise<void> {
  if (rows.length === 0) return;
  await withRetry(what, () =>
    table
      .mergeInsert(key)
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute(rows.map((r) => ({ ...r }))),
  );
}
