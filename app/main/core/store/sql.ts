/** A SQL string literal for LanceDB filters: single quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function sqlIn(column: string, values: readonly string[]): string {
  return `${column} IN (${values.map(sqlString).join(', ')})`;
}

/** Splits long IN lists so no single filter grows without bound. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Joins filter clauses with AND, leaving out empty ones. */
export const and = (...parts: string[]): string => parts.filter((p) => p !== '').join(' AND ');

/** A LIKE pattern for `text` anywhere: its own %, _ and \\ match themselves. */
export const likeAnywhere = (text: string): string => sqlString(`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
