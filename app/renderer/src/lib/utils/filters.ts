// The filter bar's raw input (select and date fields hold strings) turned into the contract's
// filters. Date inputs are local calendar days; the range is [from 00:00, day after `to` 00:00).
import type { CallArgs } from '../../../../shared/contract.ts';
import type { GeoBox } from '../../../../shared/types.ts';

export type Filters = NonNullable<CallArgs<'photos.list'>['filters']>;

export interface FilterInput {
  folder: string;
  /** yyyy-mm-dd from an <input type="date">, or ''. */
  from: string;
  to: string;
  types: readonly string[];
  /** An area picked on the map. */
  area?: GeoBox | null;
}

export const FILE_TYPES: readonly { label: string; ext: string }[] = [
  { label: 'JPEG', ext: 'jpg' },
  { label: 'PNG', ext: 'png' },
  { label: 'HEIC', ext: 'heic' },
  { label: 'WebP', ext: 'webp' },
  { label: 'AVIF', ext: 'avif' },
  { label: 'GIF', ext: 'gif' },
  { label: 'TIFF', ext: 'tiff' },
  { label: 'RAW', ext: 'raw' },
  { label: 'Video', ext: 'video' },
];

/** Local midnight of a yyyy-mm-dd day, or of the day after it; undefined for anything else. */
export function dayStart(value: string, dayAfter = false): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d + (dayAfter ? 1 : 0));
  return Number.isNaN(date.getTime()) ? undefined : date.getTime();
}

export function toFilters(input: FilterInput): Filters | undefined {
  const f: Filters = {};
  if (input.folder !== '') f.folder = input.folder;
  const from = dayStart(input.from);
  const to = dayStart(input.to, true);
  if (from !== undefined) f.from = from;
  if (to !== undefined) f.to = to;
  if (input.types.length > 0) f.types = [...input.types];
  if (input.area) f.area = { ...input.area };
  return Object.keys(f).length > 0 ? f : undefined;
}

export function toggleType(types: readonly string[], ext: string): string[] {
  return types.includes(ext) ? types.filter((t) => t !== ext) : [...types, ext];
}
