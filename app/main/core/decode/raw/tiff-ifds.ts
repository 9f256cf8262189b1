// The tags of a TIFF container's IFDs, read without a library: camera RAWs are TIFFs whose
// interesting parts (sensor data markers, orientation, SubIFDs) need only a few SHORT and LONG values.

import { ascii } from '../sniff.ts';

const SUB_IFDS = 330;
const EXIF_IFD = 34665;
const MAX_IFDS = 32;

interface TiffReader {
  u16(at: number): number;
  u32(at: number): number;
}

function reader(buf: Buffer): TiffReader | null {
  const order = ascii(buf, 0, 2);
  if (order === 'II') return { u16: (at) => buf.readUInt16LE(at), u32: (at) => buf.readUInt32LE(at) };
  if (order === 'MM') return { u16: (at) => buf.readUInt16BE(at), u32: (at) => buf.readUInt32BE(at) };
  return null;
}

/** The tags of every IFD reachable from the header (the IFD chain, SubIFDs, the EXIF IFD), bounded. */
export function tiffTags(buf: Buffer): Map<number, number[]>[] {
  const r = reader(buf);
  if (!r || buf.length < 8) return [];
  const seen = new Set<number>();
  const queue = [r.u32(4)];
  const ifds: Map<number, number[]>[] = [];
  while (queue.length > 0 && ifds.length < MAX_IFDS) {
    const at = queue.shift()!;
    if (at < 8 || at + 2 > buf.length || seen.has(at)) continue;
    seen.add(at);
    const count = r.u16(at);
    if (at + 2 + count * 12 + 4 > buf.length) continue;
    const tags = new Map<number, number[]>();
    for (let i = 0; i < count; i++) {
      const entry = at + 2 + i * 12;
      const tag = r.u16(entry);
      const type = r.u16(entry + 2);
      const n = r.u32(entry + 4);
      // Only BYTE, SHORT and LONG values are read: the tags used here are counts, offsets, enums and versions.
      const size = type === 1 || type === 7 ? 1 : type === 3 ? 2 : type === 4 || type === 13 ? 4 : 0;
      if (size === 0 || n === 0 || n > 64) continue;
      const base = n * size <= 4 ? entry + 8 : r.u32(entry + 8);
      if (base + n * size > buf.length) continue;
      tags.set(
        tag,
        Array.from({ length: n }, (_, k) =>
          size === 1 ? buf[base + k]! : size === 2 ? r.u16(base + k * 2) : r.u32(base + k * 4),
        ),
      );
    }
    ifds.push(tags);
    queue.push(...(tags.get(SUB_IFDS) ?? []), ...(tags.get(EXIF_IFD) ?? []), r.u32(at + 2 + count * 12));
  }
  return ifds;
}

/** True for a TIFF container (little- or big-endian), the base of most RAW formats. */
export function isTiffBased(buf: Buffer): boolean {
  const magic = buf.length >= 4 ? buf.toString('latin1', 0, 4) : '';
  return magic === 'II*\0' || magic === 'MM\0*';
}
