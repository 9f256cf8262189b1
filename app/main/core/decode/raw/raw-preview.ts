// Camera RAW files: the full-size JPEG the camera rendered and embedded beside its sensor data.
// It is what the camera showed, it decodes as fast as any JPEG, and every RAW format keeps one:
// TIFF-based files (DNG, CR2, NEF, ARW, ORF, RW2, PEF) in their IFDs, Fujifilm's RAF at a fixed
// header offset, Canon's CR3 in its ISO-BMFF boxes. Rather than parse each container, the file is
// searched for embedded JPEG streams and the largest one that decodes is taken; the sensor data
// itself (lossless JPEG or packed bits) never decodes as a JPEG and drops out.
import sharp from 'sharp';
import { ascii } from '../sniff.ts';
import { tiffTags } from './tiff-ifds.ts';

const TIFF_MAGIC = new Set(['II*\0', 'MM\0*']);
// Tags that only raw sensor data carries: DNGVersion, and PhotometricInterpretation CFA / LinearRaw.
const DNG_VERSION = 50706;
const PHOTOMETRIC = 262;
const RAW_PHOTOMETRIC = new Set([32803, 34892]);
// Compression schemes cameras use for their sensor data and no ordinary TIFF writer does
// (Nikon NEF 34713, Sony ARW 32767, Pentax 65535, Canon's old-style JPEG in CR2 is caught by its signature).
const RAW_COMPRESSION = new Set([34713, 32767, 65535, 32769, 32770]);
const COMPRESSION = 259;
const MAX_CANDIDATES = 64;

export type RawFormat = 'dng' | 'cr2' | 'cr3' | 'nef' | 'arw' | 'raf' | 'orf' | 'rw2' | 'pef' | 'raw';

/**
 * The camera RAW format of a file, told from its content, or null for anything else (a plain
 * TIFF included). `ext` (lower case, no dot) names the maker's format when the container is a
 * plain TIFF that only its sensor data sets apart (NEF, ARW, PEF).
 */
export function sniffRaw(buf: Buffer, ext: string): RawFormat | null {
  if (ascii(buf, 0, 15) === 'FUJIFILMCCD-RAW') return 'raf';
  if (ascii(buf, 4, 12) === 'ftypcrx ') return 'cr3';
  const magic = ascii(buf, 0, 4);
  if (magic === 'IIRO' || magic === 'IIRS' || magic === 'MMOR') return 'orf';
  if (magic === 'IIU\0') return 'rw2';
  if (!TIFF_MAGIC.has(magic)) return null;
  if (ascii(buf, 8, 10) === 'CR') return 'cr2';
  const ifds = tiffTags(buf);
  if (ifds.some((t) => t.has(DNG_VERSION))) return 'dng';
  const raw = ifds.some(
    (t) => RAW_PHOTOMETRIC.has(t.get(PHOTOMETRIC)?.[0] ?? 0) || RAW_COMPRESSION.has(t.get(COMPRESSION)?.[0] ?? 0),
  );
  if (!raw) return null;
  return (['nef', 'arw', 'pef'] as const).find((f) => f === ext) ?? 'raw';
}

/** The JPEG starting at `at`, if it decodes as one (baseline or progressive), with its size. */
async function jpegAt(buf: Buffer, at: number): Promise<{ jpeg: Buffer; pixels: number } | null> {
  const jpeg = buf.subarray(at);
  try {
    const meta = await sharp(jpeg, { failOn: 'error' }).metadata();
    if (meta.format !== 'jpeg' || !(meta.width > 0) || !(meta.height > 0)) return null;
    return { jpeg, pixels: meta.width * meta.height };
  } catch {
    return null;
  }
}

/** The largest embedded JPEG that decodes, or null when the camera embedded none. */
export async function rawPreview(buf: Buffer): Promise<Buffer | null> {
  const soi = Buffer.from([0xff, 0xd8, 0xff]);
  let best: { jpeg: Buffer; pixels: number } | null = null;
  let tried = 0;
  for (let at = buf.indexOf(soi, 1); at !== -1 && tried < MAX_CANDIDATES; at = buf.indexOf(soi, at + 3)) {
    tried++;
    const found = await jpegAt(buf, at);
    if (found && (!best || found.pixels > best.pixels)) best = found;
  }
  return best?.jpeg ?? null;
}
