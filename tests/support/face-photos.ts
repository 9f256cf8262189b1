// Real photos of real faces for the face tests: the six group photos the npm package
// @vladmandic/face-api carries as its demo (a dev dependency; nothing is copied into this repo):
// 21 people, one of them in two of the photos (SAME_WOMAN), the others in one each.
import { createRequire } from 'node:module';
import path from 'node:path';

const demo = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')),
  'demo',
);

/** The six photos: 1920 pixels wide, 3, 3, 3, 4, 5 and 4 people. */
export const GROUP_PHOTOS: readonly string[] = [1, 2, 3, 4, 5, 6].map((i) => path.join(demo, `sample${i}.jpg`));
export const PEOPLE_IN_PHOTO: readonly number[] = [3, 3, 3, 4, 5, 4];

/**
 * The woman on the right of sample1 is the woman in the middle of sample3: where her face's centre
 * is in each (fractions of the photo). Seen by eye, once the recogniser put the two together on
 * 480-pixel thumbnails: her faces there score 0.54 against each other (median; 0.60 before the
 * WebP compression), the next closest two people 0.44.
 */
export const SAME_WOMAN: readonly { photo: number; x: number; y: number }[] = [
  { photo: 1, x: 0.82, y: 0.27 },
  { photo: 3, x: 0.62, y: 0.28 },
];
