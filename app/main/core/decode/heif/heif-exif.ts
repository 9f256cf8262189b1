// The EXIF block of a HEIF file, found by walking its boxes (meta → iinf for the 'Exif' item,
// iloc for where its bytes are). exifr's own HEIF walker refuses files libheif writes ("Malformed
// EXIF data"), so the block is cut out here and exifr reads the TIFF structure inside it.

interface Box {
  type: string;
  /** Where the box's content starts (after its header) and ends. */
  start: number;
  end: number;
}

function* boxes(buf: Buffer, from: number, to: number): Generator<Box> {
  let at = from;
  while (at + 8 <= to) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) return;
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) return;
    yield { type, start: at + header, end: at + size };
    at += size;
  }
}

const child = (buf: Buffer, parent: Box, type: string, skip = 0): Box | undefined => {
  for (const b of boxes(buf, parent.start + skip, parent.end)) if (b.type === type) return b;
  return undefined;
};

/** Reads an unsigned big-endian number of 0, 4 or 8 bytes. */
function uint(buf: Buffer, at: number, bytes: number): number {
  if (bytes === 0) return 0;
  if (bytes === 4) return buf.readUInt32BE(at);
  if (bytes === 8) return Number(buf.readBigUInt64BE(at));
  throw new RangeError(`field of ${bytes} bytes`);
}

/** The id of the item of type `Exif`, from `iinf`. */
function exifItemId(buf: Buffer, iinf: Box): number | null {
  const version = buf[iinf.start]!;
  const entries = version === 0 ? 2 : 4;
  for (const infe of boxes(buf, iinf.start + 4 + entries, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const v = buf[infe.start]!;
    if (v < 2) continue;
    const idBytes = v === 2 ? 2 : 4;
    const id = idBytes === 2 ? buf.readUInt16BE(infe.start + 4) : buf.readUInt32BE(infe.start + 4);
    const type = buf.toString('latin1', infe.start + 4 + idBytes + 2, infe.start + 4 + idBytes + 6);
    if (type === 'Exif') return id;
  }
  return null;
}

/** The bytes of item `id`, from `iloc` (in the file, or in `idat` for construction method 1). */
function itemBytes(buf: Buffer, iloc: Box, idat: Box | undefined, id: number): Buffer | null {
  const version = buf[iloc.start]!;
  let at = iloc.start + 4;
  const sizes = buf.readUInt16BE(at);
  at += 2;
  const offsetSize = sizes >> 12;
  const lengthSize = (sizes >> 8) & 0xf;
  const baseOffsetSize = (sizes >> 4) & 0xf;
  const indexSize = version >= 1 ? sizes & 0xf : 0;
  const count = version < 2 ? buf.readUInt16BE(at) : buf.readUInt32BE(at);
  at += version < 2 ? 2 : 4;
  for (let i = 0; i < count; i++) {
    const itemId = version < 2 ? buf.readUInt16BE(at) : buf.readUInt32BE(at);
    at += version < 2 ? 2 : 4;
    const method = version >= 1 ? buf.readUInt16BE(at) & 0xf : 0;
    if (version >= 1) at += 2;
    at += 2; // data_reference_index
    const base = uint(buf, at, baseOffsetSize);
    at += baseOffsetSize;
    const extents = buf.readUInt16BE(at);
    at += 2;
    const parts: Buffer[] = [];
    for (let e = 0; e < extents; e++) {
      at += indexSize;
      const offset = uint(buf, at, offsetSize);
      at += offsetSize;
      const length = uint(buf, at, lengthSize);
      at += lengthSize;
      const origin = method === 1 && idat ? idat.start : 0;
      const from = origin + base + offset;
      parts.push(buf.subarray(from, length === 0 ? buf.length : from + length));
    }
    if (itemId === id) return method > 1 ? null : Buffer.concat(parts);
  }
  return null;
}

/** The TIFF-structured EXIF block of a HEIF file, or undefined if it has none or it cannot be found. */
export function heifExif(buf: Buffer): Buffer | undefined {
  try {
    for (const top of boxes(buf, 0, buf.length)) {
      if (top.type !== 'meta') continue;
      // meta is a full box: version and flags come before its children.
      const inner = { ...top, start: top.start + 4 };
      const iinf = child(buf, inner, 'iinf');
      const iloc = child(buf, inner, 'iloc');
      if (!iinf || !iloc) return undefined;
      const id = exifItemId(buf, iinf);
      if (id === null) return undefined;
      const item = itemBytes(buf, iloc, child(buf, inner, 'idat'), id);
      // The item starts with the offset of the TIFF header within what follows ("Exif\0\0" usually).
      if (!item || item.length < 4) return undefined;
      const tiff = item.subarray(4 + item.readUInt32BE(0));
      return tiff.length >= 8 ? tiff : undefined;
    }
  } catch {
    // A damaged box table: the photo is still a photo, only without its metadata.
  }
  return undefined;
}
