// How `shoebox faces` prints a photo's or a video's faces (the commands themselves run through
// the real CLI in people-cli.test.ts).
import { describe, expect, it } from 'vitest';
import { formatFaces } from '#main/cli/people-commands.ts';

const face = { face: 0, x: 0.25, y: 0.1, w: 0.1, h: 0.15, score: 0.91, atMs: null, person: { id: 'p1', name: 'Ann' } };

describe('formatFaces', () => {
  it('says where in a video a face from a later moment than the poster was seen, and who each is', () => {
    const text = formatFaces([
      face,
      { ...face, face: 1, atMs: 4000, person: { id: 'g-1', name: '' } },
      { ...face, face: 2, atMs: 12_500, person: null },
    ]);
    expect(text.split('\n')).toEqual([
      '0  at 25%,10% size 10%×15%  score 0.91  Ann [p1]',
      '1  at 25%,10% (in the frame at 4.0 s) size 10%×15%  score 0.91  (unnamed) [g-1]',
      '2  at 25%,10% (in the frame at 12.5 s) size 10%×15%  score 0.91  -',
      '',
    ]);
    expect(formatFaces([])).toBe('no faces found in this photo\n');
  });
});
