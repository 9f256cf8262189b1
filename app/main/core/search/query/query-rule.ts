// What a rule of the query parser is: a pattern over the query and what a match of it means.
import type { QueryKind } from './query-words.ts';

/** Epoch ms, `to` exclusive. */
export interface DateRange {
  from: number;
  to: number;
}

/** One thing the parser took out of the query, where it was (offsets into the query), for a chip. */
export interface Understood {
  kind: 'date' | 'type' | 'exclude' | 'phrase' | 'place' | 'camera' | 'album' | 'tag' | 'person';
  label: string;
  start: number;
  end: number;
}

/** A letter or digit, in any script. */
export const L = '\\p{L}\\p{N}';
/** Where a word begins (no letter, digit or apostrophe before) and ends (no letter or digit after). */
export const B = `(?<![${L}'])`;
export const E = `(?![${L}])`;

export type Match = (string | undefined)[] & { raw: (string | undefined)[] };

export interface Rule {
  pattern: string;
  /** `m`: the groups lower-cased, for the tables; `m.raw`: as typed. */
  take: (
    m: Match,
    now: Date,
  ) => {
    understood: Omit<Understood, 'start' | 'end'>;
    place?: string;
    camera?: string;
    album?: string;
    tag?: string;
    person?: string;
    dates?: DateRange[];
    kind?: QueryKind;
    exclude?: string;
    phrase?: string;
  } | null;
}

/** A rule's expression, compiled once (each parse resets its position; parsing is synchronous). */
const compiled = new WeakMap<Rule, RegExp>();
export function expressionOf(rule: Rule): RegExp {
  let re = compiled.get(rule);
  // Case-insensitive on the query itself, so offsets and quoted text stay as typed.
  if (!re) compiled.set(rule, (re = new RegExp(rule.pattern, 'giu')));
  re.lastIndex = 0;
  return re;
}
