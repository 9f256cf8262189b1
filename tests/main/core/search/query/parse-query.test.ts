import { describe, expect, it } from 'vitest';
import { cameraNames } from '#core/search/query/camera-names.ts';
import { parseQuery } from '#core/search/query/parse-query.ts';
import type { DateRange } from '#core/search/query/parse-query.ts';

// Wednesday 2 December 2026, mid-afternoon, local time.
const NOW = new Date(2026, 11, 2, 15, 0);
const parse = (q: string) => parseQuery(q, NOW);
const on = (y: number, m: number, d = 1): number => new Date(y, m, d).getTime();
const range = (from: number, to: number): DateRange => ({ from, to });

describe('parseQuery', () => {
  it('takes years, months, seasons and ranges out of the text', () => {
    expect(parse('beach 2019')).toMatchObject({ text: 'beach', dates: [range(on(2019, 0), on(2020, 0))] });
    expect(parse('dog in June 2019')).toMatchObject({ text: 'dog', dates: [range(on(2019, 5), on(2019, 6))] });
    expect(parse('snow winter 2019').dates).toEqual([range(on(2019, 11), on(2020, 2))]);
    expect(parse('from 2018 to 2020 mountains')).toMatchObject({
      text: 'mountains',
      dates: [range(on(2018, 0), on(2021, 0))],
    });
    expect(parse('the 90s').dates).toEqual([range(on(1990, 0), on(2000, 0))]);
    expect(parse('party in the 2000s').dates).toEqual([range(on(2000, 0), on(2010, 0))]);
  });

  it('resolves a missing year toward the past', () => {
    // December now: "june" is June of this year, "december" this one, "summer" this summer.
    expect(parse('june').dates).toEqual([range(on(2026, 5), on(2026, 6))]);
    expect(parse('in march').dates).toEqual([range(on(2026, 2), on(2026, 3))]);
    expect(parseQuery('june', new Date(2026, 2, 1)).dates).toEqual([range(on(2025, 5), on(2025, 6))]);
    expect(parse('last summer').dates).toEqual([range(on(2026, 5), on(2026, 8))]);
    expect(parseQuery('last summer', new Date(2026, 6, 10)).dates).toEqual([range(on(2025, 5), on(2025, 8))]);
    expect(parse('yesterday').dates).toEqual([range(on(2026, 11, 1), on(2026, 11, 2))]);
    expect(parse('last month').dates).toEqual([range(on(2026, 10), on(2026, 11))]);
    expect(parse('last week').dates).toEqual([range(on(2026, 10, 23), on(2026, 10, 30))]);
  });

  it('knows holidays, in one year or every year', () => {
    expect(parse('christmas 2021 tree')).toMatchObject({
      text: 'tree',
      dates: [range(on(2021, 11, 24), on(2021, 11, 27))],
    });
    expect(parse('easter 2024').dates).toEqual([range(on(2024, 2, 31), on(2024, 3, 2))]);
    expect(parse('thanksgiving 2025').dates).toEqual([range(on(2025, 10, 27), on(2025, 10, 28))]);
    const every = parse('halloween costume');
    expect(every.text).toBe('costume');
    expect(every.dates).toHaveLength(2026 - 1970 + 1);
    expect(every.dates?.at(-1)).toEqual(range(on(2026, 9, 31), on(2026, 10, 1)));
  });

  it('takes kinds, exclusions and quoted text, and says where each was for its chip', () => {
    const q = parse('videos of the dog -snow');
    expect(q).toMatchObject({ text: 'dog', kinds: ['video'], exclude: ['snow'] });
    expect(q.understood.map((u) => [u.kind, u.label, 'videos of the dog -snow'.slice(u.start, u.end)])).toEqual([
      ['type', 'Videos', 'videos'],
      ['exclude', 'Without snow', '-snow'],
    ]);
    expect(parse('mountains without snow')).toMatchObject({ text: 'mountains', exclude: ['snow'] });
    expect(parse('live photos at the beach')).toMatchObject({ text: 'beach', kinds: ['live'] });
    expect(parse('screenshots')).toMatchObject({ text: '', kinds: ['screenshot'] });
    expect(parse('"IMG_0042" sunset')).toMatchObject({ text: 'sunset', phrases: ['IMG_0042'] });
  });

  it('takes the user album a query names: after "album" in any case, alone only with a capital', () => {
    const albums = ['Trip', 'Summer in Rome', 'Paris'];
    const withAlbums = (q: string) => parseQuery(q, { now: NOW, albums, places: ['Paris', 'Rome'] });
    expect(withAlbums('Trip beach')).toMatchObject({ text: 'beach', albums: ['Trip'] });
    expect(withAlbums('beach in album trip')).toMatchObject({ text: 'beach', albums: ['Trip'] });
    expect(withAlbums('the album summer in rome sunsets')).toMatchObject({
      text: 'sunsets',
      albums: ['Summer in Rome'],
    });
    // An ordinary word that is also an album's name stays a word.
    expect(withAlbums('trip to the beach')).toMatchObject({ text: 'trip to the beach', albums: [] });
    // A name the user chose outranks a town's.
    expect(withAlbums('Paris')).toMatchObject({ albums: ['Paris'], places: [] });
    expect(withAlbums('Trip beach').understood).toEqual([{ kind: 'album', label: 'Album: Trip', start: 0, end: 4 }]);
  });

  it('takes a tag by its exact name only when marked as one: "#beach", "tagged dog"', () => {
    const tags = ['beach', 'dog', 'mountain lake'];
    const withTags = (q: string) => parseQuery(q, { now: NOW, tags });
    expect(withTags('#beach sunset')).toMatchObject({ text: 'sunset', tags: ['beach'] });
    expect(withTags('red car tagged Dog')).toMatchObject({ text: 'red car', tags: ['dog'] });
    expect(withTags('#mountain lake at dawn')).toMatchObject({ text: 'dawn', tags: ['mountain lake'] });
    expect(withTags('#beach').understood).toEqual([{ kind: 'tag', label: 'Tag: beach', start: 0, end: 6 }]);
    // The word alone is a search for it, not a filter; an unknown tag stays text.
    expect(withTags('dog on the beach')).toMatchObject({ text: 'dog on the beach', tags: [] });
    expect(withTags('#beaches')).toMatchObject({ tags: [] });
  });

  it('takes the camera a query names: after "with" or "shot on", alone as written', () => {
    const cameras = [
      ...cameraNames([
        { make: 'Apple', model: 'iPhone 13 Pro' },
        { make: 'NIKON CORPORATION', model: 'NIKON D750' },
        { make: 'Canon', model: 'Canon EOS R5' },
      ]).keys(),
    ];
    expect(cameras.sort()).toEqual([
      'Apple',
      'Canon',
      'Canon EOS R5',
      'D750',
      'EOS',
      'EOS R5',
      'NIKON D750',
      'Nikon',
      'iPhone',
      'iPhone 13 Pro',
    ]);
    const withCameras = (q: string) => parseQuery(q, { now: NOW, cameras });
    expect(withCameras('sunset shot on my iphone')).toMatchObject({ text: 'sunset', cameras: ['iPhone'] });
    expect(withCameras('iPhone 13 Pro beach')).toMatchObject({ text: 'beach', cameras: ['iPhone 13 Pro'] });
    expect(withCameras('birds with the nikon').understood).toEqual([
      { kind: 'camera', label: 'Camera: Nikon', start: 6, end: 20 },
    ]);
    expect(withCameras('Canon portraits')).toMatchObject({ text: 'portraits', cameras: ['Canon'] });
    // Lower case and alone, a name is a word: "apple" is a search for apples.
    expect(withCameras('apple pie')).toMatchObject({ text: 'apple pie', cameras: [] });
  });

  it('takes the people a query names: with a capital, or after "with", "of" or "and"', () => {
    const withPeople = (q: string) => parseQuery(q, { now: NOW, people: ['Ann', 'Ben', 'Rose'] });
    expect(withPeople('Ann at the beach')).toMatchObject({ text: 'beach', people: ['Ann'] });
    expect(withPeople('Ann at the beach').understood).toEqual([{ kind: 'person', label: 'Ann', start: 0, end: 3 }]);
    expect(withPeople('Ann and Ben')).toMatchObject({ text: '', people: ['Ann', 'Ben'] });
    expect(withPeople('dinner with ben')).toMatchObject({ text: 'dinner', people: ['Ben'] });
    // Lower case and alone, a name is a word: "rose" is a search for roses.
    expect(withPeople('red rose')).toMatchObject({ text: 'red rose', people: [] });
  });

  it('leaves ordinary words alone', () => {
    for (const q of ['may flowers', 'a dog in march of the penguins', 'red car', 'mar de plata', 'fall colours 3000']) {
      const p = parse(q);
      expect(p.text, q).not.toBe('');
    }
    expect(parse('may flowers')).toMatchObject({ text: 'may flowers', dates: null });
    expect(parse('red car')).toMatchObject({ text: 'red car', dates: null, kinds: [], exclude: [], phrases: [] });
    expect(parse('RED CAR 2019').text).toBe('RED CAR');
  });

  it('parses against the names given each time, however often the lists change', () => {
    // The rules for a list of names are kept between parses: each parse must still see its own.
    const inPlaces = (q: string, places: string[]) => parseQuery(q, { now: NOW, places }).places;
    const lists = [['Paris', 'Rome'], ['Rome'], ['Paris'], [], ['Rome', 'Paris', 'Oslo'], ['Oslo'], ['Paris', 'Rome']];
    for (let round = 0; round < 2; round++)
      for (const places of lists) {
        expect(inPlaces('red in Paris', places), places.join()).toEqual(places.includes('Paris') ? ['Paris'] : []);
        expect(inPlaces('Rome at night', places), places.join()).toEqual(places.includes('Rome') ? ['Rome'] : []);
      }
    // Lists that hold the same names under other kinds: a tag "rome" is not a town.
    expect(parseQuery('#rome Rome', { now: NOW, places: ['Rome'], tags: ['Rome'] })).toMatchObject({
      tags: ['Rome'],
      places: ['Rome'],
    });
    expect(parseQuery('#rome', { now: NOW, tags: ['Rome'] })).toMatchObject({ tags: ['Rome'], places: [] });
  });
});
