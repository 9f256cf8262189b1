// Several photos of each real person, made from the group photos (face-photos.ts): the photo as
// it is, mirrored, darker and cropped, and smaller and softer. Which person a face is comes from
// where it is in the original photo, so the grouping can be scored pair by pair.
import sharp from 'sharp';
import { GROUP_PHOTOS } from './face-photos.ts';

export interface FaceView {
  /** File name for the view: sample<N>-<view>.jpg. */
  name: string;
  photo: number;
  jpeg: Buffer;
  /** Maps a point of the view (fractions) back to the original photo (fractions). */
  back: (x: number, y: number) => [number, number];
}

export async function faceViews(): Promise<FaceView[]> {
  const views: FaceView[] = [];
  for (const [i, file] of GROUP_PHOTOS.entries()) {
    const { width, height } = await sharp(file).metadata();
    const n = i + 1;
    const crop = {
      left: Math.round(width * 0.04),
      top: Math.round(height * 0.02),
      width: Math.round(width * 0.92),
      height: Math.round(height * 0.9),
    };
    views.push(
      {
        name: `sample${n}-a.jpg`,
        photo: n,
        jpeg: await sharp(file).resize(1600).jpeg({ quality: 90 }).toBuffer(),
        back: (x, y) => [x, y],
      },
      {
        name: `sample${n}-b.jpg`,
        photo: n,
        jpeg: await sharp(file).flop().resize(1400).jpeg({ quality: 85 }).toBuffer(),
        back: (x, y) => [1 - x, y],
      },
      {
        name: `sample${n}-c.jpg`,
        photo: n,
        jpeg: await sharp(file).extract(crop).modulate({ brightness: 0.7 }).jpeg({ quality: 80 }).toBuffer(),
        back: (x, y) => [(crop.left + x * crop.width) / width, (crop.top + y * crop.height) / height],
      },
      {
        name: `sample${n}-d.jpg`,
        photo: n,
        jpeg: await sharp(file).resize(1100).blur(0.8).jpeg({ quality: 75 }).toBuffer(),
        back: (x, y) => [x, y],
      },
    );
  }
  return views;
}
