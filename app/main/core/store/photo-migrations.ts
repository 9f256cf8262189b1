import type { Table } from '@lancedb/lancedb';
import type { Schema } from 'apache-arrow';
import { ShoeboxError } from '../errors.ts';

/**
 * How to fill a column for rows written before the column existed. When a release adds a
 * column to the photos schema, it adds its default here; opening an older table then adds the
 * column in place (one LanceDB commit each), without re-indexing anything.
 */
const COLUMN_DEFAULTS: Record<string, string> = {
  date_ms: 'COALESCE(taken_at, mtime)',
  status: "'ok'",
  indexed_at: 'CAST(0 AS DOUBLE)',
  kind: "'photo'",
};

const SQL_TYPES: Record<string, string> = {
  Float64: 'DOUBLE',
  Float32: 'FLOAT',
  Int32: 'INT',
  Int64: 'BIGINT',
  Utf8: 'STRING',
  Bool: 'BOOLEAN',
};

/** Brings an existing table (photos, faces) up to the current schema. Returns the columns added. */
export async function migrateTable(table: Table, expected: Schema, name = 'photos'): Promise<string[]> {
  const have = new Set((await table.schema()).fields.map((f) => f.name));
  const added: string[] = [];
  for (const field of expected.fields) {
    if (have.has(field.name)) continue;
    const valueSql = COLUMN_DEFAULTS[field.name];
    if (valueSql !== undefined) await table.addColumns([{ name: field.name, valueSql }]);
    else if (field.nullable && SQL_TYPES[String(field.type)])
      await table.addColumns([{ name: field.name, valueSql: `CAST(NULL AS ${SQL_TYPES[String(field.type)]})` }]);
    else
      throw new ShoeboxError(
        'LIBRARY_UNREADABLE',
        `the ${name} table lacks column "${field.name}" and there is no way to fill it; re-index this library`,
      );
    added.push(field.name);
  }
  return added;
}
