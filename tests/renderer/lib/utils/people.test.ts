import { describe, expect, it } from 'vitest';
import {
  coverThumbId,
  faceCrop,
  mergeTargets,
  moveTargets,
  peopleSections,
  personLabel,
  reassignFaces,
} from '#renderer/lib/utils/people.ts';
import type { PersonEntry, PhotoFace } from '#shared/types.ts';

const person = (id: string, name: string, count = 4): PersonEntry => ({
  id,
  name,
  hidden: false,
  count,
  cover: { photoId: 'abcdef01', x: 0.1, y: 0.1, w: 0.1, h: 0.1, atMs: null },
});

const face = (n: number, who: { id: string; name: string } | null): PhotoFace => ({
  face: n,
  x: 0.2,
  y: 0.2,
  w: 0.1,
  h: 0.15,
  atMs: null,
  person: who,
});

describe('the crop around a face', () => {
  it('is a square of the image around the face, with room around it', () => {
    // A 400×200 image, a 40×40-pixel face at (180, 80): a 64-pixel square at (168, 68).
    const crop = faceCrop({ x: 0.45, y: 0.4, w: 0.1, h: 0.2 }, 400, 200);
    expect(crop.width).toBeCloseTo((400 / 64) * 100);
    expect(crop.height).toBeCloseTo((200 / 64) * 100);
    expect(crop.left).toBeCloseTo((-168 / 64) * 100);
    expect(crop.top).toBeCloseTo((-68 / 64) * 100);
  });

  it('moves in from the edges rather than showing past them, and never outgrows the image', () => {
    const corner = faceCrop({ x: 0, y: 0, w: 0.1, h: 0.1 }, 300, 300);
    expect(corner.left).toBeCloseTo(0);
    expect(corner.top).toBeCloseTo(0);
    const far = faceCrop({ x: 0.9, y: 0.9, w: 0.1, h: 0.1 }, 300, 300);
    // The square's right and bottom edges are the image's.
    expect(far.left + far.width).toBeCloseTo(100);
    expect(far.top + far.height).toBeCloseTo(100);
    const whole = faceCrop({ x: 0, y: 0, w: 1, h: 1 }, 300, 200);
    expect(whole.height).toBeCloseTo(100);
  });
});

describe('people as the screens show them', () => {
  const list = [person('p1', 'Ann'), person('g-aaaaaa-0', '', 9), person('p2', 'Bob', 3), person('g-bbbbbb-1', '')];

  it('puts the named first, then the groups to name, each in the order given', () => {
    expect(peopleSections(list).map((s) => [s.id, s.people.map((p) => p.id)])).toEqual([
      ['named', ['p1', 'p2']],
      ['unnamed', ['g-aaaaaa-0', 'g-bbbbbb-1']],
    ]);
    expect(peopleSections([list[1]!]).map((s) => s.id)).toEqual(['unnamed']);
    expect(peopleSections([])).toEqual([]);
  });

  it('calls the unnamed by what the place needs', () => {
    expect(personLabel(list[0])).toBe('Ann');
    expect(personLabel(list[1])).toBe('Unnamed');
    expect(personLabel(null, 'Nobody')).toBe('Nobody');
  });

  it('merges into anyone else, named first, found by name', () => {
    expect(mergeTargets(list, 'p1', '').map((p) => p.id)).toEqual(['p2', 'g-aaaaaa-0', 'g-bbbbbb-1']);
    expect(mergeTargets(list, 'p1', ' BO ').map((p) => p.id)).toEqual(['p2']);
  });

  it('moves a face only to a named person it is not with', () => {
    expect(moveTargets(list, face(0, { id: 'p1', name: 'Ann' })).map((p) => p.id)).toEqual(['p2']);
    expect(moveTargets(list, face(0, null)).map((p) => p.id)).toEqual(['p1', 'p2']);
  });

  it('moves the faces of people named or merged to the person they became', () => {
    const faces = [face(0, { id: 'g-aaaaaa-0', name: '' }), face(1, { id: 'p2', name: 'Bob' }), face(2, null)];
    const after = reassignFaces(faces, ['g-aaaaaa-0'], person('p3', 'Cy'));
    expect(after.map((f) => f.person)).toEqual([{ id: 'p3', name: 'Cy' }, { id: 'p2', name: 'Bob' }, null]);
    expect(faces[0]!.person).toEqual({ id: 'g-aaaaaa-0', name: '' });
  });
});

describe('a person’s face picture', () => {
  it('is the photo’s thumbnail, or a video’s moment named by its time', () => {
    const cover = { photoId: 'abcdef01', x: 0.1, y: 0.1, w: 0.1, h: 0.1, atMs: null };
    expect(coverThumbId(cover)).toBe('abcdef01');
    expect(coverThumbId({ ...cover, atMs: 4000.4 })).toBe('abcdef01-4000');
  });
});
