import { describe, expect, it } from 'vitest';
import {
  fileName,
  formatBytes,
  formatCamera,
  formatCoordinates,
  formatDate,
  formatDateTime,
  formatDimensions,
  formatEta,
  formatRate,
  formatScore,
  plural,
} from '#renderer/lib/utils/format.ts';
import { dayStart, toFilters, toggleType } from '#renderer/lib/utils/filters.ts';
import { whichEmptyState } from '#renderer/lib/utils/empty-state.ts';
import type { EmptyStateInput } from '#renderer/lib/utils/empty-state.ts';

const EN = { locale: 'en-US', timeZone: 'UTC' };

describe('formatBytes', () => {
  it('uses decimal units with one decimal below ten', () => {
    expect(formatBytes(0, EN)).toBe('0 B');
    expect(formatBytes(999, EN)).toBe('999 B');
    expect(formatBytes(1000, EN)).toBe('1.0 KB');
    expect(formatBytes(15_320, EN)).toBe('15 KB');
    expect(formatBytes(1_500_000, EN)).toBe('1.5 MB');
    expect(formatBytes(4_200_000_000, EN)).toBe('4.2 GB');
    expect(formatBytes(-1, EN)).toBe('—');
  });
});

describe('dates', () => {
  const ms = Date.UTC(2024, 5, 30, 14, 5);

  it('formats a day and a moment in the given locale and zone', () => {
    expect(formatDate(ms, EN)).toBe('Jun 30, 2024');
    expect(formatDateTime(ms, EN)).toMatch(/^June 30, 2024(,| at) 2:05\sPM$/);
  });

  it('reads date inputs as local calendar days, the end of the range exclusive', () => {
    expect(dayStart('2024-06-30')).toBe(new Date(2024, 5, 30).getTime());
    expect(dayStart('2024-06-30', true)).toBe(new Date(2024, 6, 1).getTime());
    expect(dayStart('')).toBeUndefined();
    expect(dayStart('30/06/2024')).toBeUndefined();
  });
});

describe('progress', () => {
  it('says how long is left in words', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(0.2)).toBe('about 1 s');
    expect(formatEta(42)).toBe('about 42 s');
    expect(formatEta(150)).toBe('about 3 min');
    expect(formatEta(3600)).toBe('about 1 h');
    expect(formatEta(4800)).toBe('about 1 h 20 min');
  });

  it('shows the rate with a decimal only when it is small', () => {
    expect(formatRate(0)).toBe('');
    expect(formatRate(4.24, EN)).toBe('4.2 photos/s');
    expect(formatRate(37.6, EN)).toBe('38 photos/s');
  });

  it('counts with the right plural', () => {
    expect(plural(1, 'photo', undefined, EN)).toBe('1 photo');
    expect(plural(12_345, 'photo', undefined, EN)).toBe('12,345 photos');
  });
});

describe('photo metadata', () => {
  it('takes the file name from either kind of path', () => {
    expect(fileName('/home/ann/Pictures/red-1.jpg')).toBe('red-1.jpg');
    expect(fileName('C:\\Users\\Ann\\IMG_0001.HEIC')).toBe('IMG_0001.HEIC');
  });

  it('writes places, sizes, cameras and matches', () => {
    expect(formatCoordinates(48.85837, 2.294481)).toBe('48.85837° N, 2.29448° E');
    expect(formatCoordinates(-33.8568, -151.2153)).toBe('33.85680° S, 151.21530° W');
    expect(formatDimensions(4032, 3024)).toBe('4032 × 3024 (12.2 MP)');
    expect(formatDimensions(96, 64)).toBe('96 × 64');
    expect(formatCamera('Canon', 'Canon EOS R5')).toBe('Canon EOS R5');
    expect(formatCamera('FUJIFILM', 'X-T4')).toBe('FUJIFILM X-T4');
    expect(formatCamera(null, null)).toBeNull();
    expect(formatScore(0.7444)).toBe('74% match');
    expect(formatScore(null)).toBe('');
  });
});

describe('filters', () => {
  it('sends only what the user set', () => {
    expect(toFilters({ folder: '', from: '', to: '', types: [] })).toBeUndefined();
    expect(toFilters({ folder: '/photos', from: '2024-01-01', to: '2024-01-31', types: ['jpg'] })).toEqual({
      folder: '/photos',
      from: new Date(2024, 0, 1).getTime(),
      to: new Date(2024, 1, 1).getTime(),
      types: ['jpg'],
    });
  });

  it('toggles a file type chip', () => {
    expect(toggleType(['jpg'], 'png')).toEqual(['jpg', 'png']);
    expect(toggleType(['jpg', 'png'], 'jpg')).toEqual(['png']);
  });
});

describe('whichEmptyState', () => {
  const base: EmptyStateInput = {
    loaded: true,
    model: 'ready',
    roots: 1,
    indexing: false,
    count: 0,
    pending: false,
    narrowed: false,
  };

  it('puts what blocks the user first', () => {
    expect(whichEmptyState({ ...base, loaded: false })).toBe('loading');
    expect(whichEmptyState({ ...base, model: 'missing', roots: 0 })).toBe('model-missing');
    expect(whichEmptyState({ ...base, model: 'error' })).toBe('model-error');
    expect(whichEmptyState({ ...base, roots: 0 })).toBe('no-folders');
  });

  it('tells an empty search from a library still indexing or an empty one', () => {
    expect(whichEmptyState({ ...base, count: 3 })).toBeNull();
    expect(whichEmptyState({ ...base, narrowed: true })).toBe('no-results');
    expect(whichEmptyState({ ...base, indexing: true })).toBe('indexing');
    expect(whichEmptyState(base)).toBe('no-photos');
    expect(whichEmptyState({ ...base, pending: true })).toBe('loading');
  });
});
