// The Live Photo link an iPhone writes into a still: Apple's maker note (EXIF 0x927c: "Apple iOS",
// a version, "MM", then a big-endian IFD whose offsets count from the note's first byte) holds, in
// tag 0x0011 (exiftool's MediaGroupUUID), the UUID its motion's QuickTime
// `com.apple.quicktime.content.identifier` repeats. It survives renaming, which names do not.
import exifr from 'exifr';

const HEADER = 'Apple iOS\0';
const CONTENT_ID_TAG = 0x0011;
const ASCII = 2;

/** The content identifier in an Apple maker note, or null (not Apple's, no such tag, malformed). */
export function contentIdOfMakerNote(note: Uint8Array): string | null {
  const b = Buffer.from(note.buffer, note.byteOffset, note.byteLength);
  if (b.length < 16 || b.toString('latin1', 0, HEADER.length) !== HEADER || b.toString('latin1', 12, 14) !== 'MM')
    return null;
  const count = b.readUInt16BE(14);
  for (let i = 0; i < count; i++) {
    const at = 16 + i * 12;
    if (at + 12 > b.length) return null;
    if (b.readUInt16BE(at) !== CONTENT_ID_TAG || b.readUInt16BE(at + 2) !== ASCII) continue;
    const length = b.readUInt32BE(at + 4);
    const start = length <= 4 ? at + 8 : b.readUInt32BE(at + 8);
    if (start + length > b.length) return null;
    const text = b
      .toString('latin1', start, start + length)
      .replace(/\0+$/, '')
      .trim();
    return /^[0-9A-Fa-f-]{16,64}$/.test(text) ? text.toUpperCase() : null;
  }
  return null;
}

/** A still's Live Photo content identifier (HEIC or JPEG), read from its header only; null when it has none. */
export async function stillContentId(path: string): Promise<string | null> {
  try {
    const out = (await exifr.parse(path, {
      makerNote: true,
      tiff: true,
      exif: true,
      gps: false,
      interop: false,
      ifd1: false,
      translateValues: false,
    })) as { makerNote?: Uint8Array } | undefined;
    return out?.makerNote ? contentIdOfMakerNote(out.makerNote) : null;
  } catch {
    // An unreadable header pairs nothing; the decoder reports what is wrong with the file.
    return null;
  }
}
