// A smart album's saved search in words, for the album's subtitle.
import type { SmartSearch } from '../../../../shared/types.ts';
import { fileName, plural } from './format.ts';

const day = (ms: number): string =>
  new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

export function describeSearch(s: SmartSearch): string {
  const parts: string[] = [];
  if (s.text !== null) parts.push(`“${s.text}”`);
  if (s.examples > 0) parts.push(`like ${plural(s.examples, 'example photo')}`);
  const f = s.filters;
  if (f?.folder !== undefined) parts.push(`in ${fileName(f.folder)}`);
  // `to` is exclusive (the day after the last one picked): show the last day itself.
  if (f?.from !== undefined) parts.push(`from ${day(f.from)}`);
  if (f?.to !== undefined) parts.push(`until ${day(f.to - 1)}`);
  if (f?.types !== undefined && f.types.length > 0) parts.push(f.types.map((t) => t.toUpperCase()).join('/'));
  return `smart: ${parts.join(' ')}`;
}
