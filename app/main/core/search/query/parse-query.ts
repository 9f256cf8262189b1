// One search box, understood: dates, media kinds, places, cameras, albums, exclusions and quoted text are
// taken out of the query and become filters; what is left is what the model embeds. Dates are resolved in
// local time and, when a year is missing, toward the past ("june" is the last June that began).
import { CONNECTORS, EXCLUDE_WORDS, HOLIDAYS, KIND_WORDS, MONTHS, SEASONS } from './query-words.ts';
import type { QueryKind } from './query-words.ts';
import { albumRule, cameraRule, personRule, placeRule, tagRule } from './named-rules.ts';
import { B, E, expressionOf, L } from './query-rule.ts';
import type { DateRange, Match, Rule, Understood } from './query-rule.ts';

export type { QueryKind } from './query-words.ts';
export type { DateRange, Understood } from './query-rule.ts';

export interface ParsedQuery {
  /** What is left for the model to embed; '' when the query was all filters. */
  text: string;
  /** Taken within any of these; null for no date. */
  dates: DateRange[] | null;
  kinds: QueryKind[];
  exclude: string[];
  /** Quoted text, matched exactly (file and folder names). */
  phrases: string[];
  /** Towns or countries the photos must have been taken in (any of them). */
  places: string[];
  /** Cameras the photos must have been taken with (any of them), by the names cameraNames gives. */
  cameras: string[];
  /** Albums of the user's the photos must be in (each of them), by name as the library has it. */
  albums: string[];
  /** Tags the photos must have (each of them), by name as the vocabulary has it. */
  tags: string[];
  /** People who must be in the photos (each of them), by the names the user gave them. */
  people: string[];
  understood: Understood[];
}

const YEAR = '(1[89]\\d\\d|20\\d\\d)';
const PREFIX = '(?:(?:in|on|during|from|since|at)\\s+)?';

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const day = (y: number, m: number, d: number): number => new Date(y, m, d).getTime();
const yearRange = (y: number): DateRange => ({ from: day(y, 0, 1), to: day(y + 1, 0, 1) });

function intersect(a: DateRange[] | null, b: DateRange[]): DateRange[] {
  if (a === null) return b;
  return a.flatMap((x) =>
    b.flatMap((y) => {
      const from = Math.max(x.from, y.from);
      const to = Math.min(x.to, y.to);
      return from < to ? [{ from, to }] : [];
    }),
  );
}

/** The latest year whose period starting at (month, day) of that year has begun by `now`. */
function latestYear(now: Date, month: number, dayOfMonth = 1): number {
  const y = now.getFullYear();
  return day(y, month, dayOfMonth) <= now.getTime() ? y : y - 1;
}

const monthNames = MONTHS.map((names) => names.join('|')).join('|');
const monthIndex = (name: string): number => MONTHS.findIndex((names) => names.includes(name));

const RULES: Rule[] = [
  {
    pattern: `["“]([^"”]+)["”]`,
    take: (m) => ({ understood: { kind: 'phrase', label: `“${m.raw[1]!.trim()}”` }, phrase: m.raw[1]!.trim() }),
  },
  {
    pattern: `(?<=^|\\s)-([${L}][${L}'-]*)`,
    take: (m) => ({ understood: { kind: 'exclude', label: `Without ${m.raw[1]}` }, exclude: m.raw[1]! }),
  },
  {
    pattern: `${B}(?:${EXCLUDE_WORDS.join('|')})\\s+([${L}][${L}'-]*)${E}`,
    take: (m) => ({ understood: { kind: 'exclude', label: `Without ${m.raw[1]}` }, exclude: m.raw[1]! }),
  },
  {
    pattern: `${B}${PREFIX}(?:from\\s+|between\\s+)?${YEAR}\\s*(?:to|until|till|and|-|–)\\s*${YEAR}${E}`,
    take: (m) => {
      const a = Number(m[1]);
      const b = Number(m[2]);
      if (b < a) return null;
      return {
        understood: { kind: 'date', label: `${a} – ${b}` },
        dates: [{ from: yearRange(a).from, to: yearRange(b).to }],
      };
    },
  },
  {
    pattern: `${B}${PREFIX}(${Object.keys(HOLIDAYS)
      .sort((a, b) => b.length - a.length)
      .map((h) => h.replace(/'/g, "'?"))
      .join('|')})(?:\\s+${YEAR})?${E}`,
    take: (m, now) => {
      const name = m[1]!.includes("'")
        ? m[1]!
        : (Object.keys(HOLIDAYS).find((h) => h.replace(/'/g, '') === m[1]) ?? m[1]!);
      const rule = HOLIDAYS[name] ?? HOLIDAYS[m[1]!];
      if (!rule) return null;
      const one = (y: number): DateRange => {
        const h = rule(y);
        return { from: day(y, h.month, h.day), to: day(y, h.month, h.day + h.days) };
      };
      const label = cap(name);
      if (m[2]) return { understood: { kind: 'date', label: `${label} ${m[2]}` }, dates: [one(Number(m[2]))] };
      const years: DateRange[] = [];
      for (let y = 1970; y <= now.getFullYear(); y++) if (one(y).from <= now.getTime()) years.push(one(y));
      return { understood: { kind: 'date', label }, dates: years };
    },
  },
  {
    pattern: `${B}${PREFIX}(?:(last|this)\\s+)?(${Object.keys(SEASONS).join('|')})(?:\\s+(?:of\\s+)?${YEAR})?${E}`,
    take: (m, now) => {
      const season = SEASONS[m[2]!]!;
      const range = (y: number): DateRange => ({
        from: day(y, season.first, 1),
        to: day(y, season.first + season.months, 1),
      });
      let y = m[3] ? Number(m[3]) : latestYear(now, season.first);
      if (!m[3] && m[1] === 'last' && range(y).to > now.getTime()) y -= 1;
      if (!m[3] && m[1] === 'this') y = now.getFullYear();
      return { understood: { kind: 'date', label: `${cap(m[2]!)} ${y}` }, dates: [range(y)] };
    },
  },
  {
    pattern: `${B}(in\\s+|on\\s+|during\\s+|from\\s+)?(?:(last|this)\\s+)?(${monthNames})${E}(?:\\s+(?:of\\s+)?${YEAR}${E})?`,
    take: (m, now) => {
      const name = m[3]!;
      const index = monthIndex(name);
      // "may", "mar" and the short names are ordinary words too: a month only with a year or "in".
      const plain = MONTHS[index]![0] === name && name !== 'may';
      if (!plain && !m[4] && !m[1] && !m[2]) return null;
      let y = m[4] ? Number(m[4]) : latestYear(now, index);
      if (!m[4] && m[2] === 'this') y = now.getFullYear();
      if (!m[4] && m[2] === 'last' && day(y, index + 1, 1) > now.getTime()) y -= 1;
      return {
        understood: { kind: 'date', label: `${cap(MONTHS[index]![0]!)} ${y}` },
        dates: [{ from: day(y, index, 1), to: day(y, index + 1, 1) }],
      };
    },
  },
  {
    pattern: `${B}${PREFIX}(?:the\\s+)?(?:(1[89]|20)?(\\d)0)'?s${E}`,
    take: (m) => {
      const century = m[1] ? Number(m[1]) * 100 : Number(m[2]) >= 3 ? 1900 : 2000;
      const start = century + Number(m[2]) * 10;
      return {
        understood: { kind: 'date', label: `The ${start}s` },
        dates: [{ from: yearRange(start).from, to: yearRange(start + 9).to }],
      };
    },
  },
  {
    pattern: `${B}(today|yesterday|(?:this|last)\\s+(?:week|month|year))${E}`,
    take: (m, now) => {
      const y = now.getFullYear();
      const mo = now.getMonth();
      const d = now.getDate();
      const monday = d - ((now.getDay() + 6) % 7);
      const ranges: Record<string, DateRange> = {
        today: { from: day(y, mo, d), to: day(y, mo, d + 1) },
        yesterday: { from: day(y, mo, d - 1), to: day(y, mo, d) },
        'this week': { from: day(y, mo, monday), to: day(y, mo, monday + 7) },
        'last week': { from: day(y, mo, monday - 7), to: day(y, mo, monday) },
        'this month': { from: day(y, mo, 1), to: day(y, mo + 1, 1) },
        'last month': { from: day(y, mo - 1, 1), to: day(y, mo, 1) },
        'this year': yearRange(y),
        'last year': yearRange(y - 1),
      };
      const key = m[1]!.replace(/\s+/g, ' ');
      return { understood: { kind: 'date', label: cap(key) }, dates: [ranges[key]!] };
    },
  },
  {
    pattern: `${B}${PREFIX}${YEAR}${E}`,
    take: (m, now) => {
      const y = Number(m[1]);
      if (y > now.getFullYear() + 1) return null;
      return { understood: { kind: 'date', label: String(y) }, dates: [yearRange(y)] };
    },
  },
  ...KIND_WORDS.map((k): Rule => ({
    pattern: `${B}(?:${k.pattern})${E}`,
    take: () => ({ understood: { kind: 'type', label: k.label }, kind: k.kind }),
  })),
];

function lowered(m: RegExpExecArray): Match {
  return Object.assign(
    [...m].map((g) => g?.toLowerCase()),
    { raw: [...m] },
  );
}

/** Trims connector words ("in", "of", "the") left dangling at either end of what remains. */
function tidy(text: string): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  while (words.length > 0 && CONNECTORS.has(words[0]!.toLowerCase())) words.shift();
  while (words.length > 0 && CONNECTORS.has(words.at(-1)!.toLowerCase())) words.pop();
  return words.join(' ');
}

export interface ParseOptions {
  /** For dates without a year; default now. */
  now?: Date;
  /** The towns and countries the library has photos from. */
  places?: readonly string[];
  /** The names the library's cameras answer to (cameraNames). */
  cameras?: readonly string[];
  /** The names of the user's own albums. */
  albums?: readonly string[];
  /** The names of the tags the vocabulary holds. */
  tags?: readonly string[];
  /** The names of the people the user named. */
  people?: readonly string[];
}

export function parseQuery(query: string, options: Date | ParseOptions = {}): ParsedQuery {
  const {
    now = new Date(),
    places = [],
    cameras = [],
    albums = [],
    tags = [],
    people = [],
  } = options instanceof Date ? { now: options } : options;
  // Quotes, exclusions and the like first; then tags and albums (a name the user chose outranks a town's).
  const named = [tagRule(tags), personRule(people), albumRule(albums), placeRule(places), cameraRule(cameras)].filter(
    (r): r is Rule => r !== null,
  );
  const rules = [RULES[0]!, RULES[1]!, RULES[2]!, ...named, ...RULES.slice(3)];
  const taken = new Array<boolean>(query.length).fill(false);
  const out: ParsedQuery = {
    text: '',
    dates: null,
    kinds: [],
    exclude: [],
    phrases: [],
    places: [],
    cameras: [],
    albums: [],
    tags: [],
    people: [],
    understood: [],
  };
  for (const rule of rules) {
    const re = expressionOf(rule);
    for (let m = re.exec(query); m !== null; m = re.exec(query)) {
      const start = m.index;
      const end = start + m[0].length;
      if (end === start || taken.slice(start, end).some(Boolean)) continue;
      const got = rule.take(lowered(m), now);
      if (!got) continue;
      taken.fill(true, start, end);
      out.understood.push({ ...got.understood, start, end });
      if (got.dates) out.dates = intersect(out.dates, got.dates);
      if (got.kind && !out.kinds.includes(got.kind)) out.kinds.push(got.kind);
      if (got.exclude) out.exclude.push(got.exclude);
      if (got.phrase) out.phrases.push(got.phrase);
      if (got.place && !out.places.includes(got.place)) out.places.push(got.place);
      if (got.camera && !out.cameras.includes(got.camera)) out.cameras.push(got.camera);
      if (got.album && !out.albums.includes(got.album)) out.albums.push(got.album);
      if (got.tag && !out.tags.includes(got.tag)) out.tags.push(got.tag);
      if (got.person && !out.people.includes(got.person)) out.people.push(got.person);
    }
  }
  out.text = tidy(
    query
      .split('')
      .map((c, i) => (taken[i] ? ' ' : c))
      .join(''),
  );
  out.understood.sort((a, b) => a.start - b.start);
  return out;
}
