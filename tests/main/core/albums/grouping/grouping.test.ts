// Duplicate candidate search, events and the vocabulary: the pure parts of albums.
import { describe, expect, it } from 'vitest';
import { dhashOfGrey } from '#core/albums/grouping/dhash.ts';
import {
  dhashPairs,
  keepOrder,
  nearDuplicateGroups,
  parseDhash,
  popcount32,
} from '#core/albums/grouping/duplicates.ts';
import type { DhashColumns } from '#core/albums/grouping/duplicates.ts';
import { eventName, splitEvents } from '#core/albums/grouping/events.ts';
import { BUILTIN_CONCEPTS, slug } from '#core/albums/tagging/vocabulary.ts';
import { COLOURS } from '#support/test-model.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

function flipBits(hi: number, lo: number, bits: number[]): [number, number] {
  let h = hi,
    l = lo;
  for (const b of bits) {
    if (b < 32) l = (l ^ (1 << b)) >>> 0;
    else h = (h ^ (1 << (b - 32))) >>> 0;
  }
  return [h, l];
}

function distance(d: DhashColumns, i: number, j: number): number {
  return popcount32(d.hi[i]! ^ d.hi[j]!) + popcount32(d.lo[i]! ^ d.lo[j]!);
}

describe('near-duplicate candidates from dHash bands', () => {
  it('finds exactly the pairs within 6 bits, each once, as a full comparison does', () => {
    const next = rng(7);
    const n = 3000;
    const d: DhashColumns = { hi: new Uint32Array(n), lo: new Uint32Array(n), known: new Uint8Array(n).fill(1) };
    for (let i = 0; i < n; i++) {
      if (i % 10 === 9) {
        // A planted neighbour of the previous hash, 1 to 8 bits away (some beyond the limit).
        const flips = Array.from({ length: ((i / 10) % 8) + 1 }, (_, k) => (k * 9 + i) % 64);
        [d.hi[i], d.lo[i]] = flipBits(d.hi[i - 1]!, d.lo[i - 1]!, [...new Set(flips)]);
      } else {
        d.hi[i] = next();
        d.lo[i] = next();
      }
    }
    d.known[5] = 0;
    const pairs = dhashPairs(d, n);
    const got = new Set<string>();
    for (let p = 0; p < pairs.length; p += 2) got.add(`${pairs[p]}-${pairs[p + 1]}`);
    expect(got.size).toBe(pairs.length / 2);
    const want = new Set<string>();
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        if (d.known[i] === 1 && d.known[j] === 1 && distance(d, i, j) <= 6) want.add(`${i}-${j}`);
      }
    expect(want.size).toBeGreaterThan(100);
    expect([...got].sort()).toEqual([...want].sort());
  });

  it('joins a pair only when the vectors agree too (cosine ≥ 0.97)', () => {
    const d: DhashColumns = {
      hi: Uint32Array.from([1, 1, 1, 99]),
      lo: Uint32Array.from([2, 2, 3, 2]),
      known: new Uint8Array(4).fill(1),
    };
    const cos = new Map([
      ['0-1', 0.99],
      ['0-2', 0.9],
      ['1-2', 0.9],
    ]);
    const groups = nearDuplicateGroups(d, 4, (i, j) => cos.get(`${i}-${j}`) ?? 0);
    expect(groups).toEqual([[0, 1]]);
  });

  it('parses and builds 64-bit dHashes', () => {
    expect(parseDhash('ffffffff00000001')).toEqual([0xffffffff, 1]);
    expect(parseDhash('xyz')).toBeNull();
    expect(popcount32(0xffffffff)).toBe(32);
    // Brightness falling left to right in every row sets every bit; a flat image sets none.
    const falling = Uint8Array.from({ length: 72 }, (_, i) => 200 - (i % 9) * 10);
    expect(dhashOfGrey(falling)).toBe('ffffffffffffffff');
    expect(dhashOfGrey(new Uint8Array(72).fill(9))).toBe('0000000000000000');
  });

  it('suggests keeping the most pixels, then the largest file, then the oldest', () => {
    const base = { width: 100, height: 100, size: 1000, date: 5, mtime: 5, path: '/b' };
    const sorted = [
      { ...base, path: '/newer', date: 9 },
      { ...base, path: '/bigger-file', size: 2000 },
      { ...base, path: '/more-pixels', width: 200 },
      { ...base, path: '/older', date: 1 },
    ].sort(keepOrder);
    expect(sorted.map((p) => p.path)).toEqual(['/more-pixels', '/bigger-file', '/older', '/newer']);
  });
});

describe('events', () => {
  const h = 3600 * 1000;
  const t0 = new Date(2024, 6, 12, 10).getTime();
  const at = (
    hash: string,
    date: number,
    lat: number | null = null,
    lon: number | null = null,
  ): { hash: string; date: number; lat: number | null; lon: number | null } => ({ hash, date, lat, lon });

  it('splits on a gap of more than six hours, not on one of exactly six', () => {
    const ev = splitEvents([at('c', t0 + 12 * h + 1), at('a', t0), at('b', t0 + 6 * h)]);
    expect(ev.map((e) => e.map((p) => p.hash))).toEqual([['a', 'b'], ['c']]);
  });

  it('splits when the photos are more than 50 km apart; photos without GPS never split on distance', () => {
    const paris = [48.8566, 2.3522] as const;
    const versailles = [48.8049, 2.1204] as const;
    const lyon = [45.764, 4.8357] as const;
    const ev = splitEvents([
      at('a', t0, ...paris),
      at('b', t0 + h, ...versailles),
      at('c', t0 + 2 * h),
      at('d', t0 + 3 * h, ...lyon),
    ]);
    expect(ev.map((e) => e.map((p) => p.hash))).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('names events by their date range', () => {
    const d = (y: number, m: number, day: number, hr = 12): number => new Date(y, m - 1, day, hr).getTime();
    expect(eventName(d(2024, 7, 12, 9), d(2024, 7, 12, 18))).toBe('12 Jul 2024');
    expect(eventName(d(2024, 7, 12), d(2024, 7, 14))).toBe('12–14 Jul 2024');
    expect(eventName(d(2024, 6, 30), d(2024, 7, 2))).toBe('30 Jun – 2 Jul 2024');
    expect(eventName(d(2023, 12, 30), d(2024, 1, 2))).toBe('30 Dec 2023 – 2 Jan 2024');
  });
});

describe('the built-in vocabulary', () => {
  it('has about 250 concepts with unique ids and names and a prompt ensemble each', () => {
    expect(BUILTIN_CONCEPTS.length).toBeGreaterThanOrEqual(240);
    expect(new Set(BUILTIN_CONCEPTS.map((c) => c.id)).size).toBe(BUILTIN_CONCEPTS.length);
    expect(new Set(BUILTIN_CONCEPTS.map((c) => c.name.toLowerCase())).size).toBe(BUILTIN_CONCEPTS.length);
    for (const c of BUILTIN_CONCEPTS) {
      expect(c.prompts.length).toBeGreaterThanOrEqual(3);
      expect(c.id).toBe(slug(c.name));
    }
    const groups = new Set(BUILTIN_CONCEPTS.map((c) => c.group));
    for (const g of [
      'people',
      'animals',
      'food',
      'nature',
      'events',
      'documents',
      'vehicles',
      'places',
      'setting',
      'art',
      'colour',
      'sensitive',
    ])
      expect(groups).toContain(g);
    const colours = BUILTIN_CONCEPTS.filter((c) => c.group === 'colour').map((c) => c.id);
    expect(colours).toEqual(['red', 'green', 'blue', 'yellow', 'orange', 'purple', 'black-and-white']);
    for (const id of [
      'beach',
      'mountains',
      'snow',
      'forest',
      'sunset',
      'city',
      'night-sky',
      'wedding',
      'birthday',
      'concert',
      'sports',
      'screenshot',
      'receipt',
      'whiteboard',
      'text-page',
      'dog',
      'cat',
      'nudity',
      'violence',
      'hateful-symbol',
    ]) {
      expect(
        BUILTIN_CONCEPTS.some((c) => c.id === id),
        id,
      ).toBe(true);
    }
  });

  it('uses colour words only in colour concepts, so a colour photo is never taken for a dog', () => {
    const words = Object.keys(COLOURS);
    for (const c of BUILTIN_CONCEPTS.filter((x) => x.group !== 'colour')) {
      for (const p of c.prompts)
        for (const w of words) expect(new RegExp(`\\b${w}\\b`, 'i').test(p), `${c.id}: ${p}`).toBe(false);
    }
  });
});
