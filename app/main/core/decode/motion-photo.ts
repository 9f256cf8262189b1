// Android motion photos: a JPEG with the short movie appended after it (Google's Motion Photo
// format, and Samsung's older one with its own marker). The still is the item; the movie plays.

const SAMSUNG_MARKER = 'MotionPhoto_Data';

/**
 * Where the appended MP4 starts, or null for a JPEG that is no motion photo. Only files that say
 * they are one are looked at (Google's XMP names `MotionPhoto` or `MicroVideo`; Samsung writes its
 * marker right before the movie), and the movie must begin as an MP4 does, with an `ftyp` box,
 * right after the end of a JPEG (a still may carry a gain map before the movie) or the marker.
 */
export function embeddedVideoOffset(buf: Buffer): number | null {
  const head = buf.toString('latin1', 0, Math.min(buf.length, 256 * 1024));
  const marker = buf.lastIndexOf(SAMSUNG_MARKER);
  if (!/MotionPhoto|MicroVideo/.test(head) && marker < 0) return null;
  for (let at = buf.indexOf('ftyp', 8); at >= 0; at = buf.indexOf('ftyp', at + 4)) {
    const start = at - 4;
    const size = buf.readUInt32BE(start);
    const afterJpeg = buf[start - 2] === 0xff && buf[start - 1] === 0xd9;
    const afterMarker = marker >= 0 && start === marker + SAMSUNG_MARKER.length;
    if (size >= 8 && size <= 512 && (afterJpeg || afterMarker)) return start;
  }
  return null;
}
