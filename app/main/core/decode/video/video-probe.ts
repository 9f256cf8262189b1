// What a video file says about itself, read by ffprobe: size, length, and the capture metadata
// phones write (QuickTime creation date, ISO 6709 location, make and model).
import * as z from 'zod';
import { ShoeboxError } from '../../errors.ts';
import { ffmpegPaths, runTool } from './ffmpeg-tools.ts';

export interface VideoInfo {
  /** Display size: the stored frame turned as the rotation metadata says. */
  width: number;
  height: number;
  durationMs: number;
  codec: string;
  /** Degrees clockwise the player turns the stored frames (0, 90, 180, 270). */
  rotation: number;
  takenAt: number | null;
  cameraMake: string | null;
  cameraModel: string | null;
  gpsLat: number | null;
  gpsLon: number | null;
  /** A Live Photo motion's link to its still (Apple's content identifier, upper case), else null. */
  contentId: string | null;
}

const tags = z.record(z.string(), z.string()).optional();
const probeOutput = z.object({
  streams: z
    .array(
      z.object({
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        duration: z.string().optional(),
        disposition: z.object({ attached_pic: z.number().optional() }).optional(),
        side_data_list: z.array(z.object({ rotation: z.number().optional() })).optional(),
        tags,
      }),
    )
    .default([]),
  format: z.object({ duration: z.string().optional(), tags }).optional(),
});

/** Tag names are case-insensitive in practice (Android writes `location`, some tools `LOCATION`). */
function tagReader(...sources: (Record<string, string> | undefined)[]): (name: string) => string | null {
  const all = new Map<string, string>();
  for (const source of sources.reverse())
    for (const [k, v] of Object.entries(source ?? {})) all.set(k.toLowerCase(), v.trim());
  return (name) => {
    const v = all.get(name.toLowerCase());
    return v === undefined || v === '' ? null : v;
  };
}

// QuickTime counts from 1904 and writes 0 when no clock was set: such dates are no dates.
const EARLIEST_REAL_DATE = Date.UTC(1990, 0, 1);

/** `2021-07-04T12:00:00+0200` (Apple) or `2021-07-04T10:00:00.000000Z` (ffmpeg, Android). */
export function parseVideoDate(text: string | null): number | null {
  if (text === null) return null;
  const normal = text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2').replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(normal);
  return Number.isFinite(ms) && ms >= EARLIEST_REAL_DATE && ms <= Date.now() + 86_400_000 ? ms : null;
}

/** ISO 6709 as phones write it: `+48.8584+002.2945+035.000/`, degrees with a sign each. */
export function parseIso6709(text: string | null): { lat: number; lon: number } | null {
  const m = text === null ? null : /^([+-]\d{1,2}(?:\.\d+)?)([+-]\d{1,3}(?:\.\d+)?)/.exec(text);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180) || (lat === 0 && lon === 0)) return null;
  return { lat, lon };
}

function rotationOf(stream: z.infer<typeof probeOutput>['streams'][number]): number {
  const fromSideData = stream.side_data_list?.find((d) => d.rotation !== undefined)?.rotation;
  // Side data says how to turn counter-clockwise; the old `rotate` tag says clockwise.
  const degrees = fromSideData !== undefined ? -fromSideData : Number(stream.tags?.rotate ?? 0);
  return Number.isFinite(degrees) ? (((Math.round(degrees / 90) * 90) % 360) + 360) % 360 : 0;
}

export async function probeVideo(path: string): Promise<VideoInfo> {
  const { stdout } = await runTool(
    (await ffmpegPaths()).ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', path],
    { timeoutMs: 30_000, maxStdoutBytes: 4 * 1024 * 1024 },
  ).catch((err: unknown) => {
    // ffprobe names the file in front of its reason; the failure is recorded against it anyway.
    throw err instanceof ShoeboxError ? new ShoeboxError(err.code, err.message.replaceAll(`${path}: `, '')) : err;
  });
  const parsed = probeOutput.safeParse(JSON.parse(stdout.toString('utf8') || '{}'));
  if (!parsed.success) throw new ShoeboxError('DECODE_FAILED', 'ffprobe described the file in an unexpected way');
  const { streams, format } = parsed.data;
  const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!video?.width || !video.height) throw new ShoeboxError('DECODE_FAILED', 'no video stream in this file');
  const rotation = rotationOf(video);
  const turned = rotation % 180 === 90;
  const tag = tagReader(format?.tags, video.tags);
  const place = parseIso6709(tag('com.apple.quicktime.location.ISO6709') ?? tag('location'));
  const seconds = Number(format?.duration ?? video.duration ?? 0);
  return {
    width: turned ? video.height : video.width,
    height: turned ? video.width : video.height,
    durationMs: Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0,
    codec: video.codec_name ?? 'unknown',
    rotation,
    takenAt: parseVideoDate(tag('com.apple.quicktime.creationdate') ?? tag('creation_time')),
    cameraMake: tag('com.apple.quicktime.make') ?? tag('make') ?? tag('com.android.manufacturer'),
    cameraModel: tag('com.apple.quicktime.model') ?? tag('model') ?? tag('com.android.model'),
    gpsLat: place?.lat ?? null,
    gpsLon: place?.lon ?? null,
    contentId: tag('com.apple.quicktime.content.identifier')?.trim().toUpperCase() ?? null,
  };
}
