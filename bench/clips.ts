// Test-pattern videos for the benchmarks, made by Debian's ffmpeg and cached: a new pattern every
// 5 s (so scene detection has cuts to find) and a keyframe every second; moving patterns, so
// nothing is trivially compressible. Written under a temporary name, so a killed run leaves none.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { promisify } from 'node:util';
import { lavfiConcat } from '../tests/support/media-tools.ts';

export interface ClipSpec {
  /** ffmpeg's frame size, e.g. 1920x1080. */
  size: string;
  seconds: number;
  /** Encoder arguments, e.g. ['-c:v', 'libx264', '-preset', 'veryfast']. */
  codec: string[];
  patterns?: readonly string[];
  /** Starts the patterns this far along, so clips of one spec differ in content. */
  variant?: number;
}

export async function makeClip(file: string, spec: ClipSpec): Promise<string> {
  if (existsSync(file)) return file;
  const patterns = spec.patterns ?? ['testsrc2', 'testsrc', 'smptehdbars'];
  const scenes = Math.ceil(spec.seconds / 5);
  const sources = Array.from(
    { length: scenes },
    (_, i) => `${patterns[(i + (spec.variant ?? 0)) % patterns.length]!}=s=${spec.size}:r=30:d=5`,
  );
  const tmp = `${file}.tmp${file.slice(file.lastIndexOf('.'))}`;
  await promisify(execFile)('ffmpeg', [
    '-v',
    'error',
    '-y',
    ...lavfiConcat(sources, ',format=yuv420p'),
    '-g',
    '30',
    ...spec.codec,
    tmp,
  ]);
  await rename(tmp, file);
  return file;
}
