// The library database's tables by model, and the changes that reach across all of them.
import * as lancedb from '@lancedb/lancedb';
import { FAILURES } from './failure-table.ts';
import { sqlString } from './sql.ts';

const safeId = (modelId: string): string => modelId.replace(/[^A-Za-z0-9_-]/g, '_');
/** One model's photos table: vectors of two models never share a table. */
export const tableName = (modelId: string): string => `photos__${safeId(modelId)}`;
/** One model's video frames. */
export const framesName = (modelId: string): string => `frames__${safeId(modelId)}`;

/** Explicit removal of a root: its entries go from every model's table and the failures. */
export async function deleteRootEverywhere(dbDir: string, root: string): Promise<number> {
  const db = await lancedb.connect(dbDir);
  let removed = 0;
  try {
    for (const name of await db.tableNames()) {
      if (!name.startsWith('photos__') && name !== FAILURES && name !== 'members') continue;
      const table = await db.openTable(name);
      const where = `root = ${sqlString(root)}`;
      if (name.startsWith('photos__')) removed = Math.max(removed, await table.countRows(where));
      await table.delete(where);
      table.close();
    }
  } finally {
    db.close();
  }
  return removed;
}

/** Drops one model's photos table (a removed model's vectors); false when it has none. */
export async function dropModelTables(dbDir: string, modelId: string): Promise<boolean> {
  const db = await lancedb.connect(dbDir);
  try {
    const names = await db.tableNames();
    if (names.includes(framesName(modelId))) await db.dropTable(framesName(modelId));
    if (!names.includes(tableName(modelId))) return false;
    await db.dropTable(tableName(modelId));
    return true;
  } finally {
    db.close();
  }
}
