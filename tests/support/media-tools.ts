// Files made by real encoders for the format tests: Debian's heif-enc (libheif with x265) for
// HEIC, Debian's ffmpeg (x264, x265, VP9) for videos, exiftool for what ffmpeg cannot write. .ci/run installs it (libheif-examples) with the other encoders;
// a missing tool fails the test that needs it with the package to install, never skips it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const PACKAGES: Record<string, string> = {
  'heif-enc': 'libheif-examples',
  ffmpeg: 'ffmpeg',
  exiftool: 'libimage-exiftool-perl',
};

async function tool(name: string, args: string[]): Promise<string> {
  try {
    return (await run(name, args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${name} is not installed: apt-get install ${PACKAGES[name] ?? name} (.ci/run does this)`, {
        cause: err,
      });
    }
    throw err;
  }
}

/** heif-enc run on `inputs` (written to a temporary folder) with `args`; the HEIF file it wrote. */
async function heifEnc(inputs: { bytes: Buffer; ext: string }[], args: string[]): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'shoebox-heic-'));
  try {
    const files = await Promise.all(
      inputs.map(async ({ bytes, ext }, i) => {
        const file = join(dir, `in${i}.${ext}`);
        await writeFile(file, bytes);
        return file;
      }),
    );
    await tool('heif-enc', [...args, '-o', join(dir, 'out.heic'), ...files]);
    return await readFile(join(dir, 'out.heic'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A HEIC file encoded by heif-enc (HEVC) from `source` (a PNG or JPEG). heif-enc 1.15 copies a
 * JPEG's EXIF block, orientation included, but writes no HEIF transform (see withIrot).
 */
export function heicFrom(
  source: Buffer,
  opts: { quality?: number; ext?: 'png' | 'jpg'; bitDepth?: number } = {},
): Promise<Buffer> {
  const depth = opts.bitDepth ? ['-b', String(opts.bitDepth)] : [];
  return heifEnc([{ bytes: source, ext: opts.ext ?? 'png' }], ['-q', String(opts.quality ?? 85), ...depth]);
}

/** One HEIF file holding several images, the first of them primary (heif-enc with several inputs). */
export function heicOf(pngs: Buffer[]): Promise<Buffer> {
  return heifEnc(
    pngs.map((bytes) => ({ bytes, ext: 'png' })),
    ['-q', '85'],
  );
}

interface RawBox {
  type: string;
  header: Buffer;
  body: Buffer;
}

function splitBoxes(buf: Buffer): RawBox[] {
  const out: RawBox[] = [];
  for (let at = 0; at + 8 <= buf.length;) {
    const size = buf.readUInt32BE(at);
    if (size < 8 || at + size > buf.length) throw new Error('withIrot handles only plain 32-bit box sizes');
    out.push({
      type: buf.toString('latin1', at + 4, at + 8),
      header: buf.subarray(at, at + 8),
      body: buf.subarray(at + 8, at + size),
    });
    at += size;
  }
  return out;
}

function joinBox(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/**
 * heif-enc's output with an `irot` property (quarter turns anticlockwise) on its primary image, as
 * phone cameras write for a photo held upright: heif-enc 1.15 keeps a JPEG's EXIF orientation but
 * writes no transform. The new property goes last in `ipco`, the primary item's `ipma` entry
 * gains it as essential, and `iloc`'s file offsets move by the bytes this adds before `mdat`.
 */
export function withIrot(heic: Buffer, quarterTurns: 1 | 2 | 3): Buffer {
  const top = splitBoxes(heic);
  const metaIndex = top.findIndex((b) => b.type === 'meta');
  const meta = top[metaIndex]!;
  const metaStart = top.slice(0, metaIndex).reduce((n, b) => n + b.header.length + b.body.length, 0);
  const metaEnd = metaStart + 8 + meta.body.length;
  const fullHeader = meta.body.subarray(0, 4);
  const children = splitBoxes(meta.body.subarray(4));
  const primary = children.find((b) => b.type === 'pitm')!.body.readUInt16BE(4);
  const iprp = children.find((b) => b.type === 'iprp')!;
  const [ipco, ipma] = [
    splitBoxes(iprp.body).find((b) => b.type === 'ipco')!,
    splitBoxes(iprp.body).find((b) => b.type === 'ipma')!,
  ];
  const propertyIndex = splitBoxes(ipco.body).length + 1;
  const newIpco = joinBox('ipco', ipco.body, joinBox('irot', Buffer.from([quarterTurns & 3])));
  // ipma: version/flags, entry count, then per item its id and associations.
  const version = ipma.body[0]!;
  const wide = (ipma.body[3]! & 1) === 1;
  const entries = ipma.body.readUInt32BE(4);
  const parts: Buffer[] = [ipma.body.subarray(0, 8)];
  let at = 8;
  for (let e = 0; e < entries; e++) {
    const idBytes = version < 1 ? 2 : 4;
    const id = idBytes === 2 ? ipma.body.readUInt16BE(at) : ipma.body.readUInt32BE(at);
    const count = ipma.body[at + idBytes]!;
    const assocBytes = count * (wide ? 2 : 1);
    const entry = ipma.body.subarray(at, at + idBytes + 1 + assocBytes);
    if (id === primary) {
      const added = wide
        ? Buffer.from([0x80 | (propertyIndex >> 8), propertyIndex & 0xff])
        : Buffer.from([0x80 | propertyIndex]);
      const head = Buffer.from(entry.subarray(0, idBytes + 1));
      head[idBytes] = count + 1;
      parts.push(head, entry.subarray(idBytes + 1), added);
    } else parts.push(entry);
    at += entry.length;
  }
  const newIpma = joinBox('ipma', ...parts);
  const newIprp = joinBox(
    'iprp',
    ...splitBoxes(iprp.body).map((b) =>
      b.type === 'ipco' ? newIpco : b.type === 'ipma' ? newIpma : Buffer.concat([b.header, b.body]),
    ),
  );
  const newChildren = children.map((b) => (b === iprp ? newIprp : Buffer.concat([b.header, b.body])));
  const newMeta = joinBox('meta', fullHeader, ...newChildren);
  const delta = newMeta.length - (metaEnd - metaStart);
  // iloc lies before iprp, so it sits where it was; its offsets past the meta box move by delta.
  const out = Buffer.concat([heic.subarray(0, metaStart), newMeta, heic.subarray(metaEnd)]);
  const ilocAt = out.indexOf('iloc', metaStart, 'latin1') + 4;
  const iv = out[ilocAt]!;
  let p = ilocAt + 4;
  const sizes = out.readUInt16BE(p);
  p += 2;
  const [offsetSize, lengthSize, baseSize, indexSize] = [
    sizes >> 12,
    (sizes >> 8) & 0xf,
    (sizes >> 4) & 0xf,
    iv >= 1 ? sizes & 0xf : 0,
  ];
  if (offsetSize !== 4 || (baseSize !== 0 && baseSize !== 4)) throw new Error('withIrot handles 4-byte iloc offsets');
  const items = iv < 2 ? out.readUInt16BE(p) : out.readUInt32BE(p);
  p += iv < 2 ? 2 : 4;
  for (let i = 0; i < items; i++) {
    p += iv < 2 ? 2 : 4;
    const method = iv >= 1 ? out.readUInt16BE(p) & 0xf : 0;
    p += (iv >= 1 ? 2 : 0) + 2;
    const base = baseSize === 4 ? out.readUInt32BE(p) : 0;
    p += baseSize;
    const extents = out.readUInt16BE(p);
    p += 2;
    for (let e = 0; e < extents; e++) {
      p += indexSize;
      const offset = out.readUInt32BE(p);
      if (method === 0 && base + offset >= metaEnd) out.writeUInt32BE(offset + delta, p);
      p += offsetSize + lengthSize;
    }
  }
  return out;
}

const H264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p'];

export interface VideoScene {
  /** An ffmpeg colour name or 0xRRGGBB. */
  colour: string;
  seconds: number;
}

export interface VideoSpec {
  scenes: VideoScene[];
  /** Default mp4 (H.264); `mov` is H.264 in QuickTime, `hevc` H.265 in QuickTime, `webm` VP9. */
  codec?: 'mp4' | 'mov' | 'hevc' | 'webm';
  width?: number;
  height?: number;
  fps?: number;
  /** Frames between keyframes; default one keyframe a second, as phones write. */
  gop?: number;
  /** Container metadata as phones write it: creation_time, location (ISO 6709), make, model. */
  metadata?: Record<string, string>;
  /** Instead of scenes: a silent audio track of this length and no video at all. */
  audioSeconds?: number;
  /** Degrees a player turns the frames (written into the track matrix by exiftool). */
  rotation?: number;
}

/**
 * ffmpeg input arguments that play lavfi sources (`color=…`, `testsrc2=…`) one after another,
 * each a hard cut, with `filterTail` appended to the concat filter (`,format=yuv420p`).
 */
export function lavfiConcat(sources: readonly string[], filterTail = ''): string[] {
  return [
    ...sources.flatMap((s) => ['-f', 'lavfi', '-i', s]),
    '-filter_complex',
    `${sources.map((_, i) => `[${i}]`).join('')}concat=n=${sources.length}:v=1:a=0${filterTail}`,
  ];
}

/**
 * A video of solid-colour scenes (each a hard cut), encoded by Debian's ffmpeg into `file`, with
 * the metadata given. Solid colours are what the test model tells apart.
 */
export async function videoOf(file: string, spec: VideoSpec): Promise<void> {
  const { width = 320, height = 240, fps = 10, codec = 'mp4' } = spec;
  if (spec.audioSeconds !== undefined) {
    const silence = `anullsrc=r=44100:cl=mono`;
    await tool('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      silence,
      '-t',
      String(spec.audioSeconds),
      '-c:a',
      'aac',
      file,
    ]);
    return;
  }
  const codecArgs = {
    mp4: H264,
    mov: [...H264, '-f', 'mov'],
    hevc: ['-c:v', 'libx265', '-pix_fmt', 'yuv420p', '-tag:v', 'hvc1', '-f', 'mov', '-x265-params', 'log-level=error'],
    webm: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8'],
  }[codec];
  const meta = Object.entries(spec.metadata ?? {}).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  await tool('ffmpeg', [
    '-v',
    'error',
    '-y',
    ...lavfiConcat(spec.scenes.map((s) => `color=c=${s.colour}:s=${width}x${height}:d=${s.seconds}:r=${fps}`)),
    '-g',
    String(spec.gop ?? fps),
    ...codecArgs,
    ...meta,
    ...(codec === 'webm' ? [] : ['-movflags', 'use_metadata_tags']),
    file,
  ]);
  if (spec.rotation !== undefined) {
    await tool('exiftool', ['-q', '-overwrite_original', `-Rotation=${spec.rotation}`, file]);
  }
}

/**
 * A video of still pictures shown one after another (each a hard cut), letterboxed into
 * `width`×`height`, encoded by Debian's ffmpeg (H.264, a keyframe a second).
 */
export async function slideshowOf(
  file: string,
  slides: readonly { image: string; seconds: number }[],
  { width = 960, height = 540, fps = 10 } = {},
): Promise<void> {
  const inputs = slides.flatMap((s) => [
    '-loop',
    '1',
    '-framerate',
    String(fps),
    '-t',
    String(s.seconds),
    '-i',
    s.image,
  ]);
  const fit = slides
    .map(
      (_, i) =>
        `[${i}]scale=${width}:${height}:force_original_aspect_ratio=decrease,` +
        `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${fps}[v${i}]`,
    )
    .join(';');
  const concat = `${slides.map((_, i) => `[v${i}]`).join('')}concat=n=${slides.length}:v=1:a=0,format=yuv420p`;
  await tool('ffmpeg', [
    '-v',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    `${fit};${concat}`,
    '-g',
    String(fps),
    ...H264,
    file,
  ]);
}

/** `source` from `fromSeconds` on, re-encoded by ffmpeg (H.264) as a phone's "trim" or an editor would. */
export async function trimmedCopy(source: string, file: string, fromSeconds: number): Promise<void> {
  const from = String(fromSeconds);
  await tool('ffmpeg', ['-v', 'error', '-y', '-ss', from, '-i', source, '-g', '10', ...H264, file]);
}
