import sharp from 'sharp';

/**
 * A 64-bit difference hash: the image as 9×8 grey cells, one bit per horizontally adjacent pair
 * (is the left cell brighter?). Re-encoding, resizing and mild compression barely move it, while
 * a different picture flips about half of the bits. Computed from the stored thumbnail, which
 * every indexed photo has, so no original is read again.
 */
export async function dhashOfFile(file: string): Promise<string> {
  const { data } = await sharp(file, { failOn: 'none' })
    .greyscale()
    .resize(9, 8, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return dhashOfGrey(data);
}

/** From 72 grey bytes, row-major 9×8. */
export function dhashOfGrey(grey: Uint8Array): string {
  let hi = 0;
  let lo = 0;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const bit = grey[y * 9 + x]! > grey[y * 9 + x + 1]! ? 1 : 0;
      const n = y * 8 + x;
      if (n < 32) hi = ((hi << 1) | bit) >>> 0;
      else lo = ((lo << 1) | bit) >>> 0;
    }
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
