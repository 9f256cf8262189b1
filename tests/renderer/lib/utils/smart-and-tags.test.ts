import { describe, expect, it } from 'vitest';
import { smartDraftOf } from '#renderer/lib/utils/smart-draft.ts';
import { describeSearch } from '#renderer/lib/utils/smart-search.ts';
import { matchingTags } from '#renderer/lib/utils/tag-list.ts';
import type { TagEntry } from '#shared/types.ts';

const tag = (id: string, name: string, group: string, builtin = true): TagEntry => ({
  id,
  name,
  group,
  builtin,
  hidden: false,
  sensitive: false,
});

describe('the search a smart album saves', () => {
  it('is the text searched, the photo looked like, or the filters alone, with the filters kept', () => {
    const filters = { types: ['jpg'] };
    expect(smartDraftOf({ kind: 'search', query: 'red car' }, filters)).toEqual({
      name: 'red car',
      text: 'red car',
      filters,
    });
    expect(smartDraftOf({ kind: 'similar', id: 'abcdef0123', name: 'beach.jpg' }, undefined)).toEqual({
      name: 'Like beach.jpg',
      likeIds: ['abcdef0123'],
    });
    expect(smartDraftOf({ kind: 'browse' }, filters)).toEqual({ name: 'Filtered photos', filters });
  });

  it('is nothing when every photo is shown', () => {
    expect(smartDraftOf({ kind: 'browse' }, undefined)).toBeNull();
  });

  it('reads back in words, showing the last day picked rather than the exclusive end', () => {
    const from = new Date(2024, 6, 1).getTime();
    const to = new Date(2024, 6, 31).getTime();
    const text = describeSearch({
      text: 'red',
      filters: { folder: '/home/ann/Pictures/Trips', from, to, types: ['jpg', 'png'] },
      examples: 2,
    });
    expect(text).toMatch(/^smart: “red” like 2 example photos in Trips from .*2024 until .*30.*2024 JPG\/PNG$/);
    expect(describeSearch({ text: null, filters: null, examples: 1 })).toBe('smart: like 1 example photo');
  });
});

describe('the tag list', () => {
  const list = [
    tag('red', 'red', 'colour'),
    tag('custom-kite', 'Kite', 'custom', false),
    tag('dog', 'dog', 'animals'),
    tag('cat', 'cat', 'animals'),
  ];

  it("puts the user's own tags first, then built-in ones by group and name", () => {
    expect(matchingTags(list, '').map((t) => t.id)).toEqual(['custom-kite', 'cat', 'dog', 'red']);
  });

  it('filters by name or group in any case', () => {
    expect(matchingTags(list, ' ANIMAL ').map((t) => t.id)).toEqual(['cat', 'dog']);
    expect(matchingTags(list, 'kit').map((t) => t.id)).toEqual(['custom-kite']);
    expect(matchingTags(list, 'zebra')).toEqual([]);
  });
});
