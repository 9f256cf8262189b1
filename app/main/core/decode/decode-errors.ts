import type { Metadata } from 'sharp';
import { errorMessage, ShoeboxError } from '../errors.ts';

/**
 * Formats people do keep in photo folders that sharp's prebuilt libvips cannot read. Naming
 * them beats "unrecognised format", which reads as "your file is broken".
 */
function knownUnsupported(buf: Buffer): string | null {
  if (buf.length >= 2 && buf.toString('latin1', 0, 2) === 'BM') return 'BMP';
  if (buf.length >= 4 && buf.toString('latin1', 0, 4) === '8BPS') return 'Photoshop (PSD)';
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0x0a) return 'JPEG XL';
  if (buf.length >= 12) {
    const box = buf.toString('latin1', 4, 8);
    if (box === 'JXL ') return 'JPEG XL';
    if (box === 'jP  ') return 'JPEG 2000';
  }
  if (buf.length >= 4 && buf.readUInt32BE(0) === 0xff4fff51) return 'JPEG 2000';
  return null;
}

/** libvips repeats its retry noise ("source: bad seek to …") before the message that matters. */
function cleanSharpMessage(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('source: bad seek'));
  return lines.join('; ') || message.trim();
}

/** The format's name for a photo whose decode failed, so the reason names what was tried. */
export function refuseUnsupported(buf: Buffer): ShoeboxError {
  const known = knownUnsupported(buf);
  if (known !== null)
    return new ShoeboxError(
      'DECODE_FAILED',
      `${known} images are not supported by this build of sharp (no ${known} loader); convert to JPEG or PNG`,
    );
  return new ShoeboxError('DECODE_FAILED', 'not a supported image (unrecognised format)');
}

export function tooLarge(width: number, height: number, maxPixels: number): ShoeboxError {
  const mp = (px: number): string => String(Math.ceil(px / 100_000) / 10);
  return new ShoeboxError(
    'DECODE_FAILED',
    `image too large: ${width}×${height} (${mp(width * height)} MP) exceeds the ${mp(maxPixels)} MP limit`,
  );
}

/** Turns whatever sharp threw into a DECODE_FAILED a person can act on. */
export function decodeError(err: unknown, buf: Buffer, meta: Metadata | null, maxPixels: number): ShoeboxError {
  if (err instanceof ShoeboxError) return err;
  const message = errorMessage(err);
  if (/unsupported image format/i.test(message)) return refuseUnsupported(buf);
  if (/exceeds pixel limit/i.test(message) && meta) return tooLarge(meta.width, meta.height, maxPixels);
  return new ShoeboxError('DECODE_FAILED', `corrupt or truncated image: ${cleanSharpMessage(message)}`, { cause: err });
}
