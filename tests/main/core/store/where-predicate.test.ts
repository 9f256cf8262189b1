import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '#core/search/query/parse-query.ts';
import { parsedFilterSql } from '#core/search/query-search.ts';
import { filterSql } from '#core/search/search.ts';
import { META_COLUMNS } from '#core/store/photo-schema.ts';
import type { PhotoRow } from '#core/store/photo-schema.ts';
import { PhotoStore } from '#core/store/photo-store.ts';
import { compileWhere } from '#core/store/where-predicate.ts';
import { photoRow } from '#support/photo-row.ts';
import { unitVectors } from '#support/unit-vectors.ts';

// Which held rows pass a search's filters is answered in memory (where-predicate.ts) in place of a
// LanceDB query: for every filter Shoebox writes, the answer must be LanceDB's own, on a real
// table whose rows hold nulls, odd names and the edges of every range.

const DIM = 8;
const DAY = 86_400_000;
const Y2019 = Date.UTC(2019, 0, 1);

const ROWS: Partial<PhotoRow>[] = [
  {
    path: '/p/Trips/Paris/IMG_1.jpg',
    place: 'Paris',
    region: 'Île-de-France',
    country: 'France',
    gps_lat: 48.85,
    gps_lon: 2.35,
  },
  { path: '/p/Trips/Paris 2/Screenshot 2019.png', format: 'png', date_ms: Y2019 },
  { path: '/p/Trips/Paris 2/screen shot.PNG', format: 'png', date_ms: Y2019 - 1 },
  { path: '/p/Fiji/IMG_2.jpg', gps_lat: -17.7, gps_lon: 178.1, country: 'Fiji', date_ms: Y2019 + 200 * DAY },
  { path: '/p/Fiji/IMG_3.jpg', gps_lat: -17.7, gps_lon: -179.9, country: 'Fiji' },
  { path: '/p/raw/DSC_0001.NEF', format: 'nef', camera_make: 'NIKON CORPORATION', camera_model: 'NIKON D750' },
  { path: '/p/raw/DSC_0002.NEF', format: 'nef', camera_make: 'NIKON CORPORATION', camera_model: null },
  { path: '/p/clips/beach.mp4', format: 'mp4', kind: 'video', duration_ms: 4000, date_ms: Y2019 + 10 * DAY },
  { path: '/p/live/IMG_9.HEIC', format: 'heic', kind: 'live', taken_at: Y2019 + 5 * DAY, date_ms: Y2019 + 5 * DAY },
  { path: '/p/odd/50%_off sale.jpg', date_ms: Y2019 + 365 * DAY },
  { path: "/p/odd/it's 50 off.jpg" },
  { path: '/p/odd/back\\slash.jpg', place: "L'Aquila", country: 'Italy' },
  { path: '/p/Ann/ΣΊΣΥΦΟΣ.jpg', place: 'Berlin', region: 'Berlin', country: 'Germany' },
  { path: '/p/Ann/cafe paris.jpg', camera_make: 'Apple', camera_model: 'iPhone 12' },
  { path: '/p2/other/IMG_4.jpg', root: '/p2', date_ms: Y2019 + 364 * DAY },
];

describe('filters evaluated on rows in memory', () => {
  let dir: string;
  let store: PhotoStore;
  let db: lancedb.Connection;
  let table: lancedb.Table;
  let rows: Record<string, unknown>[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-where-'));
    store = await PhotoStore.open(dir, 'm', DIM);
    const vectors = unitVectors(ROWS.length, DIM, 3);
    await store.upsert(
      ROWS.map((r, i) =>
        photoRow({
          id: `id${i}`,
          root: '/p',
          hash: `h${i}`,
          vector: vectors.slice(i * DIM, (i + 1) * DIM),
          path: r.path!,
          ...r,
        }),
      ),
    );
    db = await lancedb.connect(dir);
    table = await db.openTable('photos__m');
    rows = (await table.query().select(META_COLUMNS).toArray()) as Record<string, unknown>[];
  });
  afterAll(async () => {
    store.close();
    table.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const now = new Date(2026, 0, 15);
  const parsed = (q: string): string =>
    parsedFilterSql(
      parseQuery(q, { now, places: ['Paris', 'Berlin', 'Fiji', 'France', 'Germany', "L'Aquila"], cameras: ['nikon'] }),
      new Map([['50%_off', ['h11']]]),
      new Map(),
      new Map(),
      new Map([
        [
          'nikon',
          [
            { make: 'NIKON CORPORATION', model: 'NIKON D750' },
            { make: 'NIKON CORPORATION', model: null },
          ],
        ],
      ]),
    );

  const FILTERS: string[] = [
    filterSql({ folder: '/p/Trips' }, '/'),
    filterSql({ folder: '/p/Trips/' }, '/'),
    filterSql({ from: Y2019, to: Y2019 + 365 * DAY }),
    filterSql({ types: ['jpg', 'raw'] }),
    filterSql({ types: ['video', 'heif'] }),
    filterSql({ area: { south: 40, west: -10, north: 60, east: 20 } }),
    filterSql({ area: { south: -20, west: 170, north: -10, east: -170 } }),
    filterSql({ hashes: ['h1', 'h3', 'h12'] }),
    filterSql({ hashes: [] }),
    filterSql({ folder: '/p/raw', from: 0, types: ['nef'] }, '/'),
    parsed('beach 2019'),
    parsed('videos from 2019'),
    parsed('live photos'),
    parsed('screenshots'),
    parsed('raw'),
    parsed('red in Paris'),
    parsed('Germany'),
    parsed("dog in L'Aquila"),
    parsed('"50%_off"'),
    parsed('"paris 2"'),
    parsed('"σίσυφ"'),
    parsed('shot with nikon'),
    parsed('christmas 2018 to 2020 in Fiji'),
    "path != '/p/Fiji/IMG_2.jpg'",
    'gps_lat IS NOT NULL AND gps_lon IS NOT NULL',
    'country IS NOT NULL OR camera_make IS NOT NULL OR camera_model IS NOT NULL',
    "camera_model IS NULL AND format = 'nef'",
    'width >= 40 AND height < 31 AND date_ms <= 1546300800000',
    "starts_with(path, '/p/odd/') AND lower(path) LIKE '%\\\\%'",
    'true',
  ];

  it('selects what LanceDB selects, for every kind of filter Shoebox writes', async () => {
    for (const where of FILTERS) {
      expect(where, 'a filter that selects something').not.toBe('');
      const predicate = compileWhere(where);
      expect(predicate, where).not.toBeNull();
      const lance = ((await table.query().where(where).select(['id']).toArray()) as { id: string }[])
        .map((r) => r.id)
        .sort();
      const memory = rows
        .filter((r) => predicate!.test(r))
        .map((r) => r.id as string)
        .sort();
      expect(memory, where).toEqual(lance);
    }
  });

  it('tells which columns a filter reads', () => {
    expect([...compileWhere(parsed('red in Paris 2019'))!.columns].sort()).toEqual([
      'country',
      'date_ms',
      'place',
      'region',
    ]);
  });

  it('declines anything outside the subset, so the caller asks LanceDB', () => {
    for (const where of [
      "kind = 'photo' AND NOT format IN ('nef')",
      "regexp_like(path, 'IMG')",
      'width BETWEEN 1 AND 50',
      "path = 'unterminated",
      'date_ms >= ',
      '(date_ms > 1',
      'date_ms > 1)',
      'width + 1 > 2',
      "path LIKE '%a%'",
      "lower(path) LIKE '%a%' ESCAPE '!'",
      'place = NULL',
    ])
      expect(compileWhere(where), where).toBeNull();
  });
});
