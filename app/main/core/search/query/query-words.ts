// The words the query parser knows, in English. The parser reads only these tables, so another
// language is another set of them.

export const MONTHS: readonly (readonly string[])[] = [
  ['january', 'jan'],
  ['february', 'feb'],
  ['march', 'mar'],
  ['april', 'apr'],
  ['may'],
  ['june', 'jun'],
  ['july', 'jul'],
  ['august', 'aug'],
  ['september', 'sep', 'sept'],
  ['october', 'oct'],
  ['november', 'nov'],
  ['december', 'dec'],
];

/** Seasons as months (0-11) of the northern hemisphere; winter runs into the next year. */
export const SEASONS: Record<string, { first: number; months: number }> = {
  spring: { first: 2, months: 3 },
  summer: { first: 5, months: 3 },
  autumn: { first: 8, months: 3 },
  fall: { first: 8, months: 3 },
  winter: { first: 11, months: 3 },
};

/** Holidays as the days they cover in a year (month 0-11, day, how many days). */
export const HOLIDAYS: Record<string, (year: number) => { month: number; day: number; days: number }> = {
  'christmas eve': () => ({ month: 11, day: 24, days: 1 }),
  christmas: () => ({ month: 11, day: 24, days: 3 }),
  xmas: () => ({ month: 11, day: 24, days: 3 }),
  "new year's eve": () => ({ month: 11, day: 31, days: 1 }),
  'new years eve': () => ({ month: 11, day: 31, days: 1 }),
  "new year's day": () => ({ month: 0, day: 1, days: 1 }),
  halloween: () => ({ month: 9, day: 31, days: 1 }),
  "valentine's day": () => ({ month: 1, day: 14, days: 1 }),
  'valentines day': () => ({ month: 1, day: 14, days: 1 }),
  easter: (year) => ({ ...easterSunday(year), days: 2 }),
  thanksgiving: (year) => ({ month: 10, day: nthWeekday(year, 10, 4, 4), days: 1 }),
};

/** Media kinds by the words people use for them. */
export const KIND_WORDS: readonly { pattern: string; kind: QueryKind; label: string }[] = [
  { pattern: 'live photos?', kind: 'live', label: 'Live Photos' },
  { pattern: 'videos?|movies?|clips?', kind: 'video', label: 'Videos' },
  { pattern: 'screenshots?|screen shots?', kind: 'screenshot', label: 'Screenshots' },
  { pattern: 'raw(?: photos?| files?)?', kind: 'raw', label: 'RAW' },
];

export type QueryKind = 'video' | 'live' | 'screenshot' | 'raw';

/** Words that exclude the next word: "without snow", "not dogs", "no people". */
export const EXCLUDE_WORDS = ['without', 'not', 'no', 'except'];

/** Words left dangling at either end once a date or kind is taken out ("dog in" of "dog in 2019"). */
export const CONNECTORS = new Set(['in', 'on', 'at', 'from', 'of', 'during', 'with', 'and', 'the', 'since', 'for']);

/** Words for ranges between two years. */
export const RANGE_WORDS = { from: ['from', 'between'], to: ['to', 'until', 'till', 'and', '-', '–'] };

/** Anonymous Gregorian algorithm (Meeus/Jones/Butcher): Easter Sunday of `year`. */
export function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31) - 1;
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

/** The day of the month of the `n`th `weekday` (0 Sunday) of `month` in `year`. */
export function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = new Date(year, month, 1).getDay();
  return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
}
