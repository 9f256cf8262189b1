// The search box's pipeline through a real engine: the parser's filters in LanceDB, the test
// model's ranking, the relevance cut and exclusions.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { videoOf } from '#support/media-tools.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

describe('search query: parsed, filtered, cut to what matches', () => {
  let tmp = '';
  let photos = '';
  let engine: Engine;
  const names = (hits: { path: string }[]): string[] => hits.map((h) => h.path.slice(photos.length + 1)).sort();

  /** `at`: EXIF GPS as degrees/minutes/seconds strings, [lat ref, lat, lon ref, lon]; `camera`: [make, model]. */
  async function photo(
    name: string,
    colour: string,
    taken?: string,
    at?: [string, string, string, string],
    camera?: [string, string],
  ): Promise<void> {
    const [r, g, b] = COLOURS[colour]!;
    let img = sharp({ create: { width: 120, height: 90, channels: 3, background: { r, g, b } } });
    const gps = at && { GPSLatitudeRef: at[0], GPSLatitude: at[1], GPSLongitudeRef: at[2], GPSLongitude: at[3] };
    if (taken || gps || camera)
      img = img.withExif({
        ...(camera ? { IFD0: { Make: camera[0], Model: camera[1] } } : {}),
        ...(taken ? { IFD2: { DateTimeOriginal: taken } } : {}),
        ...(gps ? { IFD3: gps } : {}),
      });
    await img.jpeg().toFile(join(photos, name));
  }

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-query-'));
    photos = join(tmp, 'photos');
    await mkdir(photos);
    await photo('red-2019.jpg', 'red', '2019:07:14 10:00:00');
    await photo('red-2021.jpg', 'red', '2021:12:25 10:00:00');
    await photo('blue.jpg', 'blue', '2021:03:01 10:00:00');
    await photo('green.jpg', 'green', '2020:05:05 10:00:00');
    await photo('IMG_0042.jpg', 'yellow', '2020:06:06 10:00:00');
    await photo('IMGX0042.jpg', 'yellow', '2020:06:06 10:00:00');
    await photo('Screenshot 2024-01-02.jpg', 'white');
    await photo('purple.jpg', 'purple', undefined, undefined, ['Apple', 'iPhone 13 Pro']);
    await photo('orange.jpg', 'orange', undefined, undefined, ['Canon', 'Canon EOS R5']);
    await mkdir(join(photos, 'Wedding Day'));
    await photo(join('Wedding Day', 'DSC_0001.jpg'), 'green');
    // By the Eiffel Tower, and in Tokyo.
    await photo('red-paris.jpg', 'red', '2018:05:01 10:00:00', ['N', '48/1 51/1 3024/100', 'E', '2/1 17/1 4020/100']);
    await photo('blue-tokyo.jpg', 'blue', '2018:05:09 10:00:00', [
      'N',
      '35/1 39/1 3096/100',
      'E',
      '139/1 44/1 4344/100',
    ]);
    await videoOf(join(photos, 'clip.mp4'), { scenes: [{ colour: '0x1E3CDC', seconds: 2 }] });
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir: await makeTestModel(join(tmp, 'model')), threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
    await engine.index();
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('shows what matches, not the whole library, and the rest on request', async () => {
    const red = await engine.query('red');
    expect(names(red.hits)).toEqual(['red-2019.jpg', 'red-2021.jpg', 'red-paris.jpg']);
    expect(red.more).toBe(10);
    const all = await engine.query('red', { all: true, limit: 50 });
    expect(all.hits).toHaveLength(13);
    expect(names(all.hits.slice(0, 3))).toEqual(['red-2019.jpg', 'red-2021.jpg', 'red-paris.jpg']);
  });

  it('names where photos were taken, offline, and finds them by the place', async () => {
    const paris = (await engine.query('red in Paris')).hits;
    expect(names(paris)).toEqual(['red-paris.jpg']);
    const meta = await engine.photo(paris[0]!.id);
    expect(meta).toMatchObject({ place: 'Paris', region: 'Île-de-France', country: 'France' });
    // The region (GeoNames' first-level division) finds it too.
    expect(names((await engine.query('red in Île-de-France')).hits)).toEqual(['red-paris.jpg']);
    expect((await engine.query('Tokyo')).parsed.places).toEqual(['Tokyo']);
    expect((await engine.query('Japan')).parsed).toMatchObject({ text: '', places: ['Japan'] });
    expect(names((await engine.query('Japan')).hits)).toEqual(['blue-tokyo.jpg']);
    expect(names((await engine.query('blue in france')).hits)).toEqual([]);
    // Only with "in" or a capital: lower-case "paris" alone is just a word to the model.
    expect((await engine.query('paris')).parsed.places).toEqual([]);
  });

  it('filters by a tag named as one ("#holiday"), the user’s decisions included', async () => {
    const albums = await engine.albums();
    await albums.addTag('Holiday');
    await albums.decide(join(photos, 'blue.jpg'), 'Holiday', 'accept');
    await albums.decide(join(photos, 'red-2019.jpg'), 'Holiday', 'accept');
    const { items } = await engine.listPhotos(0, 50);
    const tagged: string[] = [];
    for (const h of items)
      if (h.kind !== 'video' && (await albums.tagsOf(h.path)).some((t) => t.name === 'Holiday')) tagged.push(h.path);
    expect(tagged).toEqual(expect.arrayContaining([join(photos, 'blue.jpg'), join(photos, 'red-2019.jpg')]));
    const all = await engine.query('#holiday', { limit: 50 });
    expect(all.parsed).toMatchObject({ text: '', tags: ['Holiday'] });
    expect(all.hits.map((h) => h.path).sort()).toEqual([...tagged].sort());
    // Words left rank within the tag; the word alone stays a search.
    expect(names((await engine.query('red tagged holiday')).hits)[0]).toBe('red-2019.jpg');
    expect((await engine.query('holiday')).parsed.tags).toEqual([]);
    await albums.removeTag('Holiday');
  });

  it('filters by the dates, kinds and names the text names', async () => {
    expect(names((await engine.query('red 2019')).hits)).toEqual(['red-2019.jpg']);
    expect(names((await engine.query('red at christmas')).hits)).toEqual(['red-2021.jpg']);
    // Files with no date taken count by their modification time (now): the 2010s has one photo.
    expect(names((await engine.query('in the 2010s')).hits)).toEqual([
      'blue-tokyo.jpg',
      'red-2019.jpg',
      'red-paris.jpg',
    ]);
    expect(names((await engine.query('from 2020 to 2021', { limit: 50 })).hits)).toEqual([
      'IMGX0042.jpg',
      'IMG_0042.jpg',
      'blue.jpg',
      'green.jpg',
      'red-2021.jpg',
    ]);
    const videos = await engine.query('blue videos');
    expect(videos.hits.map((h) => h.kind)).toEqual(['video']);
    expect(videos.parsed).toMatchObject({ text: 'blue', kinds: ['video'] });
    expect(names((await engine.query('screenshots')).hits)).toEqual(['Screenshot 2024-01-02.jpg']);
    // Quoted text is matched as written: its _ is an underscore, not a wildcard.
    expect(names((await engine.query('"IMG_0042"')).hits)).toEqual(['IMG_0042.jpg']);
  });

  it('searches inside a user album the query names', async () => {
    const trip = await (await engine.albums()).create('Trip');
    const albums = await engine.albums();
    const inTrip = (await engine.listPhotos(0, 50)).items.filter((h) => /blue(-tokyo)?\.jpg$/.test(h.path));
    await albums.add(
      trip.id,
      inTrip.map((h) => h.id),
    );
    expect((await engine.query('Trip')).parsed).toMatchObject({ text: '', albums: ['Trip'] });
    expect(names((await engine.query('Trip', { limit: 50 })).hits).sort()).toEqual(['blue-tokyo.jpg', 'blue.jpg']);
    // Ranked by the rest, within the album: red photos elsewhere in the library stay out.
    expect(names((await engine.query('Trip red', { all: true, limit: 50 })).hits).sort()).toEqual([
      'blue-tokyo.jpg',
      'blue.jpg',
    ]);
    expect(names((await engine.query('Japan in album trip')).hits)).toEqual(['blue-tokyo.jpg']);
    // A lower-case word is a word: "trip" is searched for, not the album.
    expect((await engine.query('trip')).parsed.albums).toEqual([]);
    await albums.delete(trip.id);
  });

  it('pushes out what an excluded word matches', async () => {
    expect(names((await engine.query('blue')).hits)).toEqual(['blue-tokyo.jpg', 'blue.jpg', 'clip.mp4']);
    // What "red" alone shows is taken out of what "red" shows: nothing red is left.
    const withoutRed = await engine.query('red -red', { all: true, limit: 50 });
    expect(withoutRed.hits.some((h) => h.path.includes('red-'))).toBe(false);
    expect(withoutRed.hits).toHaveLength(10);
  });

  it('filters by the camera the text names', async () => {
    const iphone = await engine.query('purple shot on my iphone');
    expect(iphone.parsed).toMatchObject({ text: 'purple', cameras: ['iPhone'] });
    expect(names(iphone.hits)).toEqual(['purple.jpg']);
    expect(names((await engine.query('Canon', { limit: 50 })).hits)).toEqual(['orange.jpg']);
    expect(names((await engine.query('EOS R5 orange')).hits)).toEqual(['orange.jpg']);
    // No red photo was taken with the iPhone: none is shown.
    expect((await engine.query('red with the iPhone', { limit: 50 })).hits).toEqual([]);
  });

  it('finds photos by their folder and file names, and says so', async () => {
    const wedding = await engine.query('wedding');
    expect(names(wedding.hits.slice(0, 1))).toEqual([join('Wedding Day', 'DSC_0001.jpg')]);
    expect(wedding.hits[0]!.matched).toEqual(['name']);
    const orange = (await engine.query('orange')).hits.find((h) => h.path.endsWith('orange.jpg'));
    expect(orange?.matched).toEqual(['image', 'name']);
    const byName = async (q: string): Promise<string[]> =>
      names((await engine.query(q, { all: true, limit: 50 })).hits.filter((h) => h.matched?.includes('name')));
    expect(await byName('wedding day')).toEqual([join('Wedding Day', 'DSC_0001.jpg')]);
    // Every word must be in the names; a word of the extension or of the library's own folder names nothing.
    expect(await byName('wedding cake')).toEqual([]);
    expect(await byName('jpg')).toEqual([]);
    expect(await byName('photos')).toEqual([]);
    // And by the name of an album they are in, word for word.
    const albums = await engine.albums();
    const rome = await albums.create('Rome with Ann');
    const orangeId = (await engine.listPhotos(0, 50)).items.find((h) => h.path.endsWith('orange.jpg'))!.id;
    await albums.add(rome.id, [orangeId]);
    expect(await byName('rome')).toEqual(['orange.jpg']);
    expect(await byName('ann rome')).toEqual(['orange.jpg']);
    expect(await byName('rome bob')).toEqual([]);
    await albums.delete(rome.id);
    expect(await byName('rome')).toEqual([]);
  });
});
