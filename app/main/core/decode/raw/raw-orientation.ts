import type { Sharp } from 'sharp';
import { isTiffBased, tiffTags } from './tiff-ifds.ts';

export { isTiffBased };

const ORIENTATION = 274;

/** The EXIF orientation (1–8) in a TIFF-based RAW's first IFD, or null when it has none. */
export function rawOrientation(buf: Buffer): number | null {
  if (!isTiffBased(buf)) return null;
  const value = tiffTags(buf)[0]?.get(ORIENTATION)?.[0];
  return value !== undefined && value >= 1 && value <= 8 ? value : null;
}

/**
 * Turns a pipeline upright by an EXIF orientation taken from elsewhere than its own pixels'
 * metadata. sharp mirrors before it rotates, whatever the order of the calls, hence the pairs.
 */
export function oriented(pipeline: Sharp, orientation: number): Sharp {
  switch (orientation) {
    case 2:
      return pipeline.flop();
    case 3:
      return pipeline.rotate(180);
    case 4:
      return pipeline.flip();
    case 5:
      return pipeline.flop().rotate(270);
    case 6:
      return pipeline.rotate(90);
    case 7:
      return pipeline.flop().rotate(90);
    case 8:
      return pipeline.rotate(270);
    default:
      return pipeline;
  }
}
