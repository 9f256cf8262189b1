// Names the library knows (towns, cameras, the user's albums, tags and people) as rules of the
// query parser, each list's rules built once and kept while the list stands.
import { B, E } from './query-rule.ts';
import type { Rule } from './query-rule.ts';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An alternation of known names, longest first (so "New York" wins over "York"), and each by its lower case. */
function nameAlternation(known: readonly string[]): { names: string; byLower: Map<string, string> } {
  const names = [...known]
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|');
  return { names, byLower: new Map(known.map((n) => [n.toLowerCase(), n])) };
}

/**
 * Each kind's rules for the name lists last seen, by their content: a search as the user types
 * parses against the same names every time, and building and compiling the alternation of 3,000
 * towns took a millisecond a query.
 */
const namedRules = new Map<string, Map<string, Rule | null>>();
const NAME_LISTS_KEPT = 4;

function remembered(kind: string, known: readonly string[], make: () => Rule | null): Rule | null {
  let kept = namedRules.get(kind);
  if (!kept) namedRules.set(kind, (kept = new Map<string, Rule | null>()));
  const key = JSON.stringify(known);
  if (kept.has(key)) return kept.get(key)!;
  const rule = make();
  if (kept.size >= NAME_LISTS_KEPT) kept.delete(kept.keys().next().value!);
  kept.set(key, rule);
  return rule;
}

/**
 * Names the library knows (towns, albums) as a rule: after a lead-in (`lead`, a regex group) in
 * any case, alone only when typed with a capital, since many names are ordinary words too (Nice,
 * Orange, Reading; an album called Trip).
 */
function namedRule(
  kind: string,
  known: readonly string[],
  lead: string,
  take: (name: string) => ReturnType<Rule['take']>,
): Rule | null {
  if (known.length === 0) return null;
  return remembered(kind, known, () => {
    const { names, byLower } = nameAlternation(known);
    return {
      pattern: `${B}(?:(${lead})\\s+)?(${names})${E}`,
      take: (m) => {
        const name = byLower.get(m[2]!);
        const typed = m.raw[2]!;
        // Alone: typed with a capital, or exactly as a name with capitals in it is written ("iPhone").
        const marked = typed.charAt(0) !== typed.charAt(0).toLowerCase() || (typed === name && /\p{Lu}/u.test(name));
        if (!name || (!m[1] && !marked)) return null;
        return take(name);
      },
    };
  });
}

/** Places the library has photos from: "christmas in berlin", "Japan". */
export const placeRule = (places: readonly string[]): Rule | null =>
  namedRule('place', places, 'in|at|from|near', (name) => ({
    understood: { kind: 'place', label: name },
    place: name,
  }));

/** Cameras the photos were taken with: "beach with the iPhone", "Canon", "shot on pixel". */
export const cameraRule = (cameras: readonly string[]): Rule | null =>
  namedRule('camera', cameras, '(?:(?:shot|taken)\\s+)?(?:with|on|using)(?:\\s+(?:my|the|a))?', (name) => ({
    understood: { kind: 'camera', label: `Camera: ${name}` },
    camera: name,
  }));

/** The user's albums by their exact names: "beach in album trip", "Trip beach". */
export const albumRule = (albums: readonly string[]): Rule | null =>
  namedRule('album', albums, '(?:in\\s+)?(?:the\\s+)?album', (name) => ({
    understood: { kind: 'album', label: `Album: ${name}` },
    album: name,
  }));

/** People by the names the user gave them: "Ann at the beach", "with ann", "Ann and Ben". */
export const personRule = (people: readonly string[]): Rule | null =>
  namedRule('person', people, '(?:with|of|and)', (name) => ({
    understood: { kind: 'person', label: name },
    person: name,
  }));

/**
 * Tags by their exact names, only when marked as tags: "#beach", "tagged dog". A tag's name is
 * an ordinary word ("dog"), and a search for the word must stay a search, not a filter.
 */
export function tagRule(tags: readonly string[]): Rule | null {
  if (tags.length === 0) return null;
  return remembered('tag', tags, () => {
    const { names, byLower } = nameAlternation(tags);
    return {
      pattern: `(?:${B}tagged\\s+|#)(${names})${E}`,
      take: (m) => {
        const name = byLower.get(m[1]!);
        return name ? { understood: { kind: 'tag', label: `Tag: ${name}` }, tag: name } : null;
      },
    };
  });
}
