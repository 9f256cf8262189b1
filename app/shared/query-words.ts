// The words of a search that text read in photos is matched on: two characters or more, lower
// case, split at anything not a letter or digit. One definition, so the engine matches and the
// viewer marks the same words.

export function queryWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2);
}

/** Lower case, no whitespace: how read text and queries are compared ("INVOICE4711" holds "invoice 4711"). */
export function squash(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}
