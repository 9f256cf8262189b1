// What a file holds, told from its first bytes rather than its name: a photo renamed .jpg is
// still decoded as what it is, and a file that is no raster image is never handed to a decoder
// that would render it (libvips reads SVG and would index a vector drawing as a photo).

/**
 * The containers Shoebox decodes, the ones it refuses because they are not photos, and the rest
 * (`unknown`: refuseUnsupported in decode-errors.ts names the raster formats it knows but cannot read).
 */
export type Sniffed =
  | { kind: 'raster'; format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif' }
  | { kind: 'heic' }
  | { kind: 'refused'; reason: string }
  | { kind: 'unknown' };

const HEVC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
// 'mif1'/'msf1' are the generic HEIF brands: which codec is inside shows in the compatible brands.
const GENERIC_HEIF = new Set(['mif1', 'msf1', 'miaf']);

/** Bytes `from`–`to` as Latin-1 text, or '' when the file is shorter. */
export const ascii = (buf: Buffer, from: number, to: number): string =>
  buf.length >= to ? buf.toString('latin1', from, to) : '';

/** The ISO-BMFF brands (major, then compatible) of an `ftyp` box at the start of the file. */
function ftypBrands(buf: Buffer): string[] {
  if (ascii(buf, 4, 8) !== 'ftyp' || buf.length < 16) return [];
  const size = Math.min(buf.readUInt32BE(0), buf.length, 256);
  const brands = [ascii(buf, 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(buf, at, at + 4));
  return brands;
}

function sniffHeif(buf: Buffer): Sniffed | null {
  const brands = ftypBrands(buf);
  const [major] = brands;
  if (major === undefined) return null;
  if (HEVC_BRANDS.has(major)) return { kind: 'heic' };
  if (AVIF_BRANDS.has(major)) return { kind: 'raster', format: 'avif' };
  if (GENERIC_HEIF.has(major)) {
    if (brands.some((b) => HEVC_BRANDS.has(b))) return { kind: 'heic' };
    if (brands.some((b) => AVIF_BRANDS.has(b))) return { kind: 'raster', format: 'avif' };
    return { kind: 'heic' };
  }
  return null;
}

/** Text markup: SVG, XML, HTML. Leading whitespace and a UTF-8 byte-order mark are skipped. */
function isMarkup(buf: Buffer): boolean {
  let head = ascii(buf, 0, Math.min(buf.length, 512));
  if (head.startsWith('\xef\xbb\xbf')) head = head.slice(3);
  head = head.trimStart().toLowerCase();
  return (
    head.startsWith('<?xml') ||
    head.startsWith('<svg') ||
    head.startsWith('<!doctype') ||
    head.startsWith('<html') ||
    head.startsWith('<!--')
  );
}

export function sniff(buf: Buffer): Sniffed {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff)
    return { kind: 'raster', format: 'jpeg' };
  if (ascii(buf, 0, 8) === '\x89PNG\r\n\x1a\n') return { kind: 'raster', format: 'png' };
  if (ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return { kind: 'raster', format: 'webp' };
  if (ascii(buf, 0, 6) === 'GIF87a' || ascii(buf, 0, 6) === 'GIF89a') return { kind: 'raster', format: 'gif' };
  const tiff = ascii(buf, 0, 4);
  if (tiff === 'II*\0' || tiff === 'MM\0*' || tiff === 'II+\0' || tiff === 'MM\0+')
    return { kind: 'raster', format: 'tiff' };
  const heif = sniffHeif(buf);
  if (heif) return heif;
  if (ascii(buf, 0, 5) === '%PDF-') return { kind: 'refused', reason: 'not a raster image (a PDF document)' };
  if (isMarkup(buf))
    return {
      kind: 'refused',
      reason: 'not a raster image (SVG or other markup): vector drawings are not indexed as photos',
    };
  return { kind: 'unknown' };
}

/** The video containers Shoebox indexes, by what their first bytes say. */
export type VideoContainer = 'mp4' | 'mov' | 'm4v' | '3gp' | 'mkv' | 'webm' | 'avi';

// QuickTime files from before `ftyp` existed start straight with one of these atoms.
const QUICKTIME_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/**
 * A video container, or null. ISO-BMFF files that are HEIF or AVIF images are not videos, and an
 * `M4A `/`M4B ` brand is audio; whether a container really holds a video stream is for ffprobe.
 */
export function sniffVideo(buf: Buffer): VideoContainer | null {
  const brands = ftypBrands(buf);
  const [major] = brands;
  if (major !== undefined) {
    if (sniffHeif(buf) || major.startsWith('M4A') || major.startsWith('M4B')) return null;
    if (major === 'qt  ') return 'mov';
    if (major.startsWith('M4V')) return 'm4v';
    if (major.startsWith('3g')) return '3gp';
    return 'mp4';
  }
  if (QUICKTIME_ATOMS.has(ascii(buf, 4, 8))) return 'mov';
  if (buf.length >= 4 && buf.readUInt32BE(0) === 0x1a45dfa3) {
    return ascii(buf, 0, Math.min(buf.length, 64)).includes('webm') ? 'webm' : 'mkv';
  }
  if (ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'AVI ') return 'avi';
  return null;
}
