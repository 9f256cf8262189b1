// Browsing by time and place through a real engine: the timeline's days, the map's points and
// area filter, and the memories ("On this day", trips away from home) built from real photos with
// EXIF dates and GPS, named offline.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { gpsExif } from '#support/photos.ts';
import { makeTestModel } from '#support/test-model.ts';

type Gps = Record<string, string>;
const gps = gpsExif;
const BERLIN = gps(52.52, 13.405);
const PARIS = gps(48.8566, 2.3522);
const FIJI = gps(-18.1416, 178.4419);

// name, local capture time (EXIF has no zone: wall-clock time), position
const SHOTS: [string, string, Gps | null][] = [
  ['home-2024-a.jpg', '2024:12:03 10:00:00', BERLIN],
  ['home-2024-b.jpg', '2024:12:03 11:30:00', BERLIN],
  ['home-2021.jpg', '2021:12:03 09:00:00', BERLIN],
  ['home-nov.jpg', '2024:11:20 08:00:00', BERLIN],
  ['home-may.jpg', '2023:05:01 18:00:00', BERLIN],
  ['home-jan.jpg', '2025:01:10 12:00:00', BERLIN],
  ['paris-1.jpg', '2023:07:10 10:00:00', PARIS],
  ['paris-2.jpg', '2023:07:10 12:00:00', PARIS],
  ['paris-3.jpg', '2023:07:10 15:00:00', PARIS],
  ['fiji.jpg', '2022:02:14 15:00:00', FIJI],
  ['nowhere.jpg', '2020:06:01 12:00:00', null],
];
const NOW = new Date(2026, 11, 3, 12);

describe('browsing by time and place', () => {
  let tmp = '';
  let engine: Engine;
  const name = (path: string): string => path.split('/').pop()!;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-browse-'));
    const photos = join(tmp, 'photos');
    await mkdir(photos);
    for (const [i, [file, taken, where]] of SHOTS.entries()) {
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 20 * i, g: 90, b: 200 - 15 * i } } })
        .withExif({ IFD2: { DateTimeOriginal: taken }, ...(where ? { IFD3: where } : {}) })
        .jpeg()
        .toFile(join(photos, file));
    }
    const modelDir = await makeTestModel(join(tmp, 'model'));
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir, threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
    await engine.index();
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('counts each local day newest first, in the order browsing pages them', async () => {
    const t = await engine.timeline();
    expect(t.total).toBe(SHOTS.length);
    expect(t.days).toEqual([
      { day: '2025-01-10', count: 1 },
      { day: '2024-12-03', count: 2 },
      { day: '2024-11-20', count: 1 },
      { day: '2023-07-10', count: 3 },
      { day: '2023-05-01', count: 1 },
      { day: '2022-02-14', count: 1 },
      { day: '2021-12-03', count: 1 },
      { day: '2020-06-01', count: 1 },
    ]);
    // The n-th photo of the browse order lies on the day the timeline puts it in.
    const { items } = await engine.listPhotos(0, 100);
    const dayOfIndex = t.days.flatMap((d) => Array.from({ length: d.count }, () => d.day));
    const local = (ms: number): string => {
      const d = new Date(ms);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    expect(items.map((h) => local(h.date))).toEqual(dayOfIndex);
    // Filters narrow the timeline as they narrow browsing.
    const y2023 = await engine.timeline({ from: new Date(2023, 0, 1).getTime(), to: new Date(2024, 0, 1).getTime() });
    expect(y2023).toEqual({
      total: 4,
      days: [
        { day: '2023-07-10', count: 3 },
        { day: '2023-05-01', count: 1 },
      ],
    });
  });

  it('puts every located photo on the map and narrows browsing to an area, across the antimeridian too', async () => {
    const points = await engine.mapPoints();
    expect(points).toHaveLength(SHOTS.length - 1);
    const paris = points.filter((p) => Math.abs(p.lat - 48.8566) < 0.01 && Math.abs(p.lon - 2.3522) < 0.01);
    expect(paris).toHaveLength(3);
    const inParis = await engine.listPhotos(0, 100, { area: { south: 48, west: 2, north: 49.5, east: 3 } });
    expect(inParis.items.map((h) => name(h.path)).sort()).toEqual(['paris-1.jpg', 'paris-2.jpg', 'paris-3.jpg']);
    // A box from 170°E to 170°W holds Fiji (178°E) and nothing else.
    const pacific = await engine.listPhotos(0, 100, { area: { south: -30, west: 170, north: 0, east: -170 } });
    expect(pacific.items.map((h) => name(h.path))).toEqual(['fiji.jpg']);
    await expect(engine.listPhotos(0, 10, { area: { south: 10, west: 0, north: -10, east: 5 } })).rejects.toThrow(
      /south <= north/,
    );
  });

  it('offers today in earlier years and the trips away from home, each opening as an album', async () => {
    const albums = await engine.albums();
    const memories = await albums.memories(NOW);
    expect(memories.map((m) => [m.kind, m.title, m.subtitle, m.count])).toEqual([
      ['on-this-day', '2 years ago', '3 Dec 2024', 2],
      ['on-this-day', '5 years ago', '3 Dec 2021', 1],
      // Home is Berlin, where most photos were taken: Paris was a trip, one day in July.
      ['trip', 'Paris, France', '10 Jul 2023', 3],
    ]);
    const day = await albums.show(memories[0]!.albumId);
    expect(day.kind).toBe('memory');
    expect(day.photos.map((p) => name(p.path))).toEqual(['home-2024-a.jpg', 'home-2024-b.jpg']);
    const trip = await albums.show(memories[2]!.albumId);
    expect(trip.photos.map((p) => name(p.path))).toEqual(['paris-1.jpg', 'paris-2.jpg', 'paris-3.jpg']);
    // A day with nothing taken on it has no memory.
    expect(await albums.memories(new Date(2026, 2, 9))).toEqual([
      expect.objectContaining({ kind: 'trip', title: 'Paris, France' }),
    ]);
  });
});
