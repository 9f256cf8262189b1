// The filters Shoebox writes as SQL (search.ts, query-search.ts), evaluated on rows held in memory
// (row-vectors.ts) instead of by another LanceDB query: at 100,000 photos asking which of a
// search's 200 videos pass a query's filters took 3.7 ms, on the path of every filtered search of
// a library with videos. Only the subset Shoebox writes is understood: AND, OR, parentheses,
// comparisons with a number or a string, IN, IS [NOT] NULL, lower(column) LIKE and starts_with;
// anything else (NOT, another function, a column not held) compiles to null and the caller asks
// LanceDB. NULL follows SQL: a comparison with it is not true, and without NOT in the subset
// "not true" can be read as false.

/** A compiled filter over one row's columns, and the columns it reads. */
export interface RowPredicate {
  test(row: Readonly<Record<string, unknown>>): boolean;
  columns: ReadonlySet<string>;
}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'symbol'; text: string };

type Test = (row: Readonly<Record<string, unknown>>) => boolean;

const TOKEN =
  /(?:([A-Za-z_][A-Za-z0-9_]*)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|'([^']*(?:''[^']*)*)'|(>=|<=|!=|<>|[=<>(),]))/y;

/** Compiled filters by their text: one query asks the same filter several times. */
const compiled = new Map<string, RowPredicate | null>();
const CACHED = 64;

/** `where` as a test on a row's columns, or null where it is outside the subset understood. */
export function compileWhere(where: string): RowPredicate | null {
  if (compiled.has(where)) return compiled.get(where)!;
  let out: RowPredicate | null = null;
  const tokens = tokenize(where);
  if (tokens !== null) {
    const parser = new Parser(tokens);
    const test = parser.expression();
    if (test !== null && parser.done()) out = { test, columns: parser.columns };
  }
  if (compiled.size >= CACHED) compiled.delete(compiled.keys().next().value!);
  compiled.set(where, out);
  return out;
}

function tokenize(sql: string): Token[] | null {
  const out: Token[] = [];
  let at = 0;
  for (;;) {
    while (at < sql.length && /\s/.test(sql[at]!)) at++;
    if (at === sql.length) return out;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(sql);
    if (m === null) return null;
    if (m[1] !== undefined) out.push({ kind: 'word', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'number', value: Number(m[2]) });
    else if (m[3] !== undefined) out.push({ kind: 'string', value: m[3].replace(/''/g, "'") });
    else out.push({ kind: 'symbol', text: m[4]! });
    at = TOKEN.lastIndex;
  }
}

/** A recursive-descent parser that gives up (null) at the first thing outside the subset. */
class Parser {
  readonly columns = new Set<string>();
  readonly #tokens: Token[];
  #at = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  done(): boolean {
    return this.#at === this.#tokens.length;
  }

  expression(): Test | null {
    return this.#joined(
      'OR',
      () => this.#conjunction(),
      (tests) => (row) => tests.some((t) => t(row)),
    );
  }

  #conjunction(): Test | null {
    return this.#joined(
      'AND',
      () => this.#factor(),
      (tests) => (row) => tests.every((t) => t(row)),
    );
  }

  #joined(word: string, part: () => Test | null, join: (tests: Test[]) => Test): Test | null {
    const tests: Test[] = [];
    do {
      const t = part();
      if (t === null) return null;
      tests.push(t);
    } while (this.#keyword(word));
    return tests.length === 1 ? tests[0]! : join(tests);
  }

  #factor(): Test | null {
    if (this.#symbol('(')) {
      const inner = this.expression();
      return inner !== null && this.#symbol(')') ? inner : null;
    }
    if (this.#keyword('true')) return () => true;
    if (this.#keyword('false')) return () => false;
    const fn = this.#word();
    if (fn === null) return null;
    if (fn.toLowerCase() === 'lower' && this.#symbol('(')) return this.#lowerLike();
    if (fn.toLowerCase() === 'starts_with' && this.#symbol('(')) return this.#startsWith();
    return this.#comparison(this.#column(fn));
  }

  /** `lower(column) LIKE 'pattern'`, the pattern escaped with backslashes (sql.ts likeAnywhere). */
  #lowerLike(): Test | null {
    const name = this.#word();
    if (name === null || !this.#symbol(')') || !this.#keyword('LIKE')) return null;
    const pattern = this.#string();
    if (pattern === null) return null;
    const column = this.#column(name);
    const re = likeRegExp(pattern);
    return (row) => {
      const v = row[column];
      return typeof v === 'string' && re.test(v.toLowerCase());
    };
  }

  #startsWith(): Test | null {
    const name = this.#word();
    if (name === null || !this.#symbol(',')) return null;
    const prefix = this.#string();
    if (prefix === null || !this.#symbol(')')) return null;
    const column = this.#column(name);
    return (row) => {
      const v = row[column];
      return typeof v === 'string' && v.startsWith(prefix);
    };
  }

  #comparison(column: string): Test | null {
    if (this.#keyword('IS')) {
      const not = this.#keyword('NOT');
      if (!this.#keyword('NULL')) return null;
      return not ? (row) => row[column] != null : (row) => row[column] == null;
    }
    if (this.#keyword('IN')) {
      if (!this.#symbol('(')) return null;
      const values = new Set<string | number>();
      do {
        const v = this.#literal();
        if (v === null) return null;
        values.add(v);
      } while (this.#symbol(','));
      if (!this.#symbol(')')) return null;
      return (row) => values.has(row[column] as string | number);
    }
    const op = this.#next();
    if (op?.kind !== 'symbol' || !['=', '!=', '<>', '<', '<=', '>', '>='].includes(op.text)) return null;
    const value = this.#literal();
    if (value === null) return null;
    return compare(column, op.text, value);
  }

  #column(name: string): string {
    this.columns.add(name);
    return name;
  }

  #literal(): string | number | null {
    const t = this.#next();
    if (t?.kind === 'number' || t?.kind === 'string') return t.value;
    return null;
  }

  #string(): string | null {
    const t = this.#next();
    return t?.kind === 'string' ? t.value : null;
  }

  #word(): string | null {
    const t = this.#tokens[this.#at];
    if (t?.kind !== 'word' || isKeyword(t.text)) return null;
    this.#at++;
    return t.text;
  }

  #keyword(word: string): boolean {
    const t = this.#tokens[this.#at];
    if (t?.kind !== 'word' || t.text.toUpperCase() !== word.toUpperCase()) return false;
    this.#at++;
    return true;
  }

  #symbol(text: string): boolean {
    const t = this.#tokens[this.#at];
    if (t?.kind !== 'symbol' || t.text !== text) return false;
    this.#at++;
    return true;
  }

  #next(): Token | undefined {
    return this.#tokens[this.#at++];
  }
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'TRUE', 'FALSE', 'BETWEEN', 'ESCAPE']);
const isKeyword = (word: string): boolean => KEYWORDS.has(word.toUpperCase());

/** A comparison of a column with a literal of the same type; anything else (NULL included) is not true. */
function compare(column: string, op: string, value: string | number): Test {
  const same = (v: unknown): v is string | number => typeof v === typeof value;
  switch (op) {
    case '=':
      return (row) => row[column] === value;
    case '!=':
    case '<>':
      return (row) => same(row[column]) && row[column] !== value;
    case '<':
      return (row) => same(row[column]) && row[column] < value;
    case '<=':
      return (row) => same(row[column]) && row[column] <= value;
    case '>':
      return (row) => same(row[column]) && row[column] > value;
    default:
      return (row) => same(row[column]) && row[column] >= value;
  }
}

/** A LIKE pattern as a whole-string regular expression: % any run, _ one character, \ escapes. */
function likeRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) source += escapeRe(pattern[++i]!);
    else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += escapeRe(c);
  }
  return new RegExp(`^${source}$`, 'su');
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
