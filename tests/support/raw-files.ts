// Camera RAW files for the format tests. A DNG is written here as cameras and Adobe's converter
// lay it out: IFD0 holds the full-size JPEG preview (NewSubFileType 1) with the camera's make,
// model, orientation and DNGVersion, a SubIFD holds the sensor data as 16-bit Bayer samples with
// their real CFA tags, and an EXIF IFD the capture date. LibRaw's dcraw_emu (libraw-bin) reads
// it, which the tests check, so it is a DNG by the reference decoder's judgement, not only ours.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

type Value = { type: 1 | 2 | 3 | 4; values: number[] | string };

interface Entry {
  tag: number;
  value: Value;
}

const SIZE: Record<Value['type'], number> = { 1: 1, 2: 1, 3: 2, 4: 4 };

const short = (...values: number[]): Value => ({ type: 3, values });
const long = (...values: number[]): Value => ({ type: 4, values });
const byte = (...values: number[]): Value => ({ type: 1, values });
const text = (s: string): Value => ({ type: 2, values: `${s}\0` });

/** Lays out IFDs and their data after an 8-byte little-endian TIFF header; offsets are patched in. */
class TiffWriter {
  readonly #chunks: Buffer[] = [];
  #length = 8;

  /** Appends raw bytes (word-aligned) and returns their offset. */
  data(bytes: Buffer): number {
    const at = this.#length;
    const padded = bytes.length % 2 === 1 ? Buffer.concat([bytes, Buffer.alloc(1)]) : bytes;
    this.#chunks.push(padded);
    this.#length += padded.length;
    return at;
  }

  /** Appends an IFD of `entries` (sorted by tag), pointing to the IFD at `next`; returns its offset. */
  ifd(entries: Entry[], next = 0): number {
    const sorted = [...entries].sort((a, b) => a.tag - b.tag);
    const inline = (v: Value): Buffer => {
      const count = typeof v.values === 'string' ? v.values.length : v.values.length;
      const b = Buffer.alloc(count * SIZE[v.type]);
      if (typeof v.values === 'string') b.write(v.values, 'latin1');
      else
        v.values.forEach((n, i) =>
          v.type === 3 ? b.writeUInt16LE(n, i * 2) : v.type === 4 ? b.writeUInt32LE(n, i * 4) : b.writeUInt8(n, i),
        );
      return b;
    };
    // Values over four bytes go before the IFD.
    const payloads = sorted.map((e) => {
      const bytes = inline(e.value);
      return bytes.length > 4 ? { bytes, offset: this.data(bytes) } : { bytes, offset: -1 };
    });
    const ifd = Buffer.alloc(2 + sorted.length * 12 + 4);
    ifd.writeUInt16LE(sorted.length, 0);
    sorted.forEach((e, i) => {
      const at = 2 + i * 12;
      const { bytes, offset } = payloads[i]!;
      ifd.writeUInt16LE(e.tag, at);
      ifd.writeUInt16LE(e.value.type, at + 2);
      ifd.writeUInt32LE(bytes.length / SIZE[e.value.type], at + 4);
      if (offset >= 0) ifd.writeUInt32LE(offset, at + 8);
      else bytes.copy(ifd, at + 8);
    });
    ifd.writeUInt32LE(next, 2 + sorted.length * 12);
    return this.data(ifd);
  }

  finish(firstIfd: number): Buffer {
    const header = Buffer.from([0x49, 0x49, 0x2a, 0, 0, 0, 0, 0]);
    header.writeUInt32LE(firstIfd, 4);
    return Buffer.concat([header, ...this.#chunks]);
  }
}

export interface DngOptions {
  /** The camera's rendering, a JPEG; none makes a DNG of sensor data only. */
  preview?: { jpeg: Buffer; width: number; height: number };
  /** EXIF orientation of the RAW (IFD0), 1–8. */
  orientation?: number;
  make?: string;
  model?: string;
  /** EXIF DateTimeOriginal, "YYYY:MM:DD HH:MM:SS". */
  takenAt?: string;
  /** Size of the Bayer mosaic (RGGB), even numbers. */
  sensor?: { width: number; height: number };
  /** The light on the sensor, 0–1 per channel (each photosite reads its own colour); default a gradient. */
  scene?: readonly [number, number, number];
}

/** A DNG 1.4 file: preview in IFD0, RGGB Bayer data in a SubIFD, EXIF date in its own IFD. */
export function makeDng(opts: DngOptions = {}): Buffer {
  const w = new TiffWriter();
  const { width, height } = opts.sensor ?? { width: 64, height: 48 };
  // A smooth gradient through the mosaic, so the sensor data is plausible rather than noise; or a
  // scene of one colour, each RGGB photosite reading its own channel of it.
  const samples = Buffer.alloc(width * height * 2);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const channel = y % 2 === 0 ? (x % 2 === 0 ? 0 : 1) : x % 2 === 0 ? 1 : 2;
      const value = opts.scene ? Math.round(opts.scene[channel] * 4095) : ((x + y) * 40) % 4096;
      samples.writeUInt16LE(value, (y * width + x) * 2);
    }
  const sensorAt = w.data(samples);
  const sub = w.ifd([
    { tag: 254, value: long(0) },
    { tag: 256, value: long(width) },
    { tag: 257, value: long(height) },
    { tag: 258, value: short(16) },
    { tag: 259, value: short(1) },
    { tag: 262, value: short(32803) },
    { tag: 273, value: long(sensorAt) },
    { tag: 277, value: short(1) },
    { tag: 278, value: long(height) },
    { tag: 279, value: long(samples.length) },
    { tag: 284, value: short(1) },
    { tag: 33421, value: short(2, 2) },
    { tag: 33422, value: byte(0, 1, 1, 2) },
    { tag: 50717, value: long(4095) },
  ]);
  const exif = w.ifd([{ tag: 36867, value: text(opts.takenAt ?? '2021:05:04 09:08:07') }]);
  const ifd0: Entry[] = [
    { tag: 254, value: long(1) },
    { tag: 271, value: text(opts.make ?? 'Shoebox Camera Works') },
    { tag: 272, value: text(opts.model ?? 'Test DNG 1') },
    { tag: 274, value: short(opts.orientation ?? 1) },
    { tag: 305, value: text('shoebox tests') },
    { tag: 330, value: long(sub) },
    { tag: 34665, value: long(exif) },
    { tag: 50706, value: byte(1, 4, 0, 0) },
    { tag: 50707, value: byte(1, 1, 0, 0) },
    { tag: 50708, value: text(`${opts.make ?? 'Shoebox Camera Works'} ${opts.model ?? 'Test DNG 1'}`) },
  ];
  if (opts.preview) {
    const at = w.data(opts.preview.jpeg);
    ifd0.push(
      { tag: 256, value: long(opts.preview.width) },
      { tag: 257, value: long(opts.preview.height) },
      { tag: 258, value: short(8, 8, 8) },
      { tag: 259, value: short(7) },
      { tag: 262, value: short(6) },
      { tag: 273, value: long(at) },
      { tag: 277, value: short(3) },
      { tag: 278, value: long(opts.preview.height) },
      { tag: 279, value: long(opts.preview.jpeg.length) },
    );
  } else {
    ifd0.push({ tag: 256, value: long(1) }, { tag: 257, value: long(1) });
  }
  return w.finish(w.ifd(ifd0));
}

/** What LibRaw's reference tool says of a RAW file (`raw-identify -v`). */
export async function librawIdentify(file: string): Promise<string> {
  try {
    const { stdout, stderr } = await run('raw-identify', ['-v', file]);
    return stdout + stderr;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('raw-identify is not installed: apt-get install libraw-bin (.ci/run does this)', { cause: err });
    throw err;
  }
}
