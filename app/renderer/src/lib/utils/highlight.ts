// Marks the words of a search in a line of text read from a photo. Pure.

export interface Segment {
  text: string;
  mark: boolean;
}

/** The words the engine matched text on are the ones marked. */
export { queryWords as markWords } from '../../../../shared/query-words.ts';
import { squash } from '../../../../shared/query-words.ts';

/** `text` cut into runs, those that are one of `words` (any case) marked. */
export function highlight(text: string, words: readonly string[]): Segment[] {
  if (words.length === 0) return [{ text, mark: false }];
  const lower = text.toLowerCase();
  const marked = new Uint8Array(text.length);
  for (const w of words) {
    for (let at = lower.indexOf(w); at >= 0; at = lower.indexOf(w, at + 1)) marked.fill(1, at, at + w.length);
  }
  const out: Segment[] = [];
  for (let i = 0; i < text.length; i++) {
    const mark = marked[i] === 1;
    const char = text.charAt(i);
    const last = out[out.length - 1];
    if (last && last.mark === mark) last.text += char;
    else out.push({ text: char, mark });
  }
  return out;
}

/** The boxes of the lines holding any of `words`: where the viewer marks the search on the photo. */
export function markedBoxes(
  lines: readonly { text: string; box: [number, number][] }[],
  words: readonly string[],
): [number, number][][] {
  if (words.length === 0) return [];
  return lines.filter((l) => words.some((w) => squash(l.text).includes(w))).map((l) => l.box);
}
