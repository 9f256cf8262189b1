// An iPhone still's Live Photo link, written as an iPhone writes it: the Apple maker note (EXIF
// tag 0x927c, "Apple iOS" then a big-endian IFD) holds ContentIdentifier (tag 0x0011), the UUID
// that the motion's QuickTime `com.apple.quicktime.content.identifier` repeats. exiftool reads it
// back, which the tests check, so the layout is Apple's by the reference reader's judgement.

/** An EXIF APP1 segment with only an Exif IFD whose MakerNote is Apple's, holding `contentId`. */
function appleExifSegment(contentId: string): Buffer {
  const text = Buffer.from(`${contentId}\0`, 'ascii');
  // Maker note: header (14 bytes), IFD of one entry (2 + 12 + 4), then the string.
  const note = Buffer.alloc(14 + 18 + text.length);
  note.write('Apple iOS\0', 0, 'ascii');
  note.writeUInt16BE(1, 10);
  note.write('MM', 12, 'ascii');
  note.writeUInt16BE(1, 14);
  note.writeUInt16BE(0x0011, 16);
  note.writeUInt16BE(2, 18);
  note.writeUInt32BE(text.length, 20);
  note.writeUInt32BE(32, 24); // offsets in Apple's maker note count from its first byte
  note.writeUInt32BE(0, 28);
  text.copy(note, 32);
  // TIFF (big-endian): IFD0 → Exif IFD → MakerNote.
  const ifd0At = 8;
  const exifAt = ifd0At + 2 + 12 + 4;
  const noteAt = exifAt + 2 + 12 + 4;
  const tiff = Buffer.alloc(noteAt + note.length);
  tiff.write('MM', 0, 'ascii');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(ifd0At, 4);
  tiff.writeUInt16BE(1, ifd0At);
  tiff.writeUInt16BE(0x8769, ifd0At + 2);
  tiff.writeUInt16BE(4, ifd0At + 4);
  tiff.writeUInt32BE(1, ifd0At + 6);
  tiff.writeUInt32BE(exifAt, ifd0At + 10);
  tiff.writeUInt16BE(1, exifAt);
  tiff.writeUInt16BE(0x927c, exifAt + 2);
  tiff.writeUInt16BE(7, exifAt + 4);
  tiff.writeUInt32BE(note.length, exifAt + 6);
  tiff.writeUInt32BE(noteAt, exifAt + 10);
  note.copy(tiff, noteAt);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'ascii'), tiff]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([header, body]);
}

/** `jpeg` (with no EXIF of its own) with an Apple maker note naming its Live Photo `contentId`. */
export function withContentId(jpeg: Buffer, contentId: string): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  return Buffer.concat([jpeg.subarray(0, 2), appleExifSegment(contentId), jpeg.subarray(2)]);
}
