// Place albums through a real engine: photos with EXIF GPS are named offline by town, and a town
// with three photos or more is an album; rows indexed before places existed are named on the
// next index.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { makeTestModel } from '#support/test-model.ts';

const PARIS = {
  GPSLatitudeRef: 'N',
  GPSLatitude: '48/1 51/1 3024/100',
  GPSLongitudeRef: 'E',
  GPSLongitude: '2/1 17/1 4020/100',
};
const TOKYO = {
  GPSLatitudeRef: 'N',
  GPSLatitude: '35/1 39/1 3096/100',
  GPSLongitudeRef: 'E',
  GPSLongitude: '139/1 44/1 4344/100',
};

describe('place albums', () => {
  let tmp = '';
  let engine: Engine;
  let modelDir = '';
  const open = (): Promise<Engine> =>
    Engine.open({ libraryDir: join(tmp, 'library'), modelDir, threads: 1 }, { write: true, command: 'test' });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-places-'));
    const photos = join(tmp, 'photos');
    await mkdir(photos);
    const shots: [string, typeof PARIS, number][] = [
      ['p1.jpg', PARIS, 20],
      ['p2.jpg', PARIS, 60],
      ['p3.jpg', PARIS, 100],
      ['t1.jpg', TOKYO, 140],
      ['t2.jpg', TOKYO, 180],
    ];
    for (const [name, gps, shade] of shots) {
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 90, b: 200 - shade } } })
        .withExif({ IFD3: gps })
        .jpeg()
        .toFile(join(photos, name));
    }
    modelDir = await makeTestModel(join(tmp, 'model'));
    engine = await open();
    await engine.addRoot(photos);
    await engine.index();
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('makes an album of a town with three photos, and none of one with two', async () => {
    const albums = await (await engine.albums()).list();
    const places = albums.filter((a) => a.kind === 'place');
    expect(places.map((a) => [a.name, a.count])).toEqual([['Paris, France', 3]]);
    const shown = await (await engine.albums()).show('Paris, France');
    expect(shown.photos.map((p) => p.path.split('/').pop()).sort()).toEqual(['p1.jpg', 'p2.jpg', 'p3.jpg']);
  });

  it('names on the next index the places of photos indexed before places were named', async () => {
    await engine.close();
    // As a library written by an earlier release: positions, but no place.
    const db = await lancedb.connect(join(tmp, 'library', 'db'));
    const name = (await db.tableNames()).find((n) => n.startsWith('photos__'))!;
    const table = await db.openTable(name);
    await table.update({ where: 'true', valuesSql: { place: 'NULL', country: 'NULL' } });
    expect(await table.countRows('country IS NULL')).toBe(5);
    table.close();
    db.close();
    engine = await open();
    expect((await (await engine.albums()).list()).filter((a) => a.kind === 'place')).toEqual([]);
    await engine.index();
    const { items } = await engine.listPhotos(0, 10);
    const metas = await Promise.all(items.map((h) => engine.photo(h.id)));
    expect(metas.map((m) => `${m!.place}, ${m!.country}`).sort()).toEqual([
      'Paris, France',
      'Paris, France',
      'Paris, France',
      'Tokyo, Japan',
      'Tokyo, Japan',
    ]);
  });

  it('names the regions of photos a release without regions named', async () => {
    await engine.close();
    // As a table written before the region column existed: opening it adds the column, empty.
    const db = await lancedb.connect(join(tmp, 'library', 'db'));
    const name = (await db.tableNames()).find((n) => n.startsWith('photos__'))!;
    const table = await db.openTable(name);
    await table.dropColumns(['region']);
    table.close();
    db.close();
    engine = await open();
    const before = await Promise.all((await engine.listPhotos(0, 10)).items.map((h) => engine.photo(h.id)));
    expect(before.map((m) => m!.region)).toEqual([null, null, null, null, null]);
    await engine.index();
    const after = await Promise.all((await engine.listPhotos(0, 10)).items.map((h) => engine.photo(h.id)));
    expect(after.map((m) => `${m!.place}, ${m!.region}`).sort()).toEqual([
      'Paris, Île-de-France',
      'Paris, Île-de-France',
      'Paris, Île-de-France',
      'Tokyo, Tokyo',
      'Tokyo, Tokyo',
    ]);
  });
});
