// The ffmpeg and ffprobe executables that npm installed for this platform (@ffmpeg-installer,
// @ffprobe-installer: static builds inside the package, nothing fetched at run time), and one way
// to run them that never waits forever and always says what went wrong.
import { spawn } from 'node:child_process';
import { unpackedPath } from '../../asar-path.ts';
import { errorMessage, ShoeboxError } from '../../errors.ts';

/** Executables cannot run from inside an asar archive: each is found where electron-builder unpacks it. */
async function locate(load: () => Promise<{ default: { path: string } }>, pkg: string, name: string): Promise<string> {
  try {
    return unpackedPath((await load()).default.path);
  } catch (err) {
    throw new ShoeboxError(
      'DECODE_FAILED',
      `video needs ${name}, which ${pkg} did not provide for ${process.platform}-${process.arch}: ${errorMessage(err)}`,
    );
  }
}

let paths: Promise<{ ffmpeg: string; ffprobe: string }> | null = null;

/** Loaded on first use: a library without videos never loads either package. */
export function ffmpegPaths(): Promise<{ ffmpeg: string; ffprobe: string }> {
  paths ??= (async () => ({
    ffmpeg: await locate(() => import('@ffmpeg-installer/ffmpeg'), '@ffmpeg-installer/ffmpeg', 'ffmpeg'),
    ffprobe: await locate(() => import('@ffprobe-installer/ffprobe'), '@ffprobe-installer/ffprobe', 'ffprobe'),
  }))();
  // A failed lookup is tried again next time (a package installed since, say).
  paths.catch(() => (paths = null));
  return paths;
}

export interface RunOptions {
  /** The process is killed after this long; a broken file must not hold an indexing slot forever. */
  timeoutMs: number;
  /** Called with each chunk of standard output (else it is collected and returned). */
  onStdout?: (chunk: Buffer) => void;
  /** Standard output beyond this is an error: a bound on what a hostile file can make us hold. */
  maxStdoutBytes?: number;
}

/** Runs a tool to its end: its standard output (unless streamed) and error text, or a DECODE_FAILED. */
export function runTool(
  file: string,
  args: readonly string[],
  opts: RunOptions,
): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let failure: string | null = null;
    const stop = (why: string): void => {
      failure ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(`gave up after ${Math.round(opts.timeoutMs / 1000)} s`), opts.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (opts.maxStdoutBytes !== undefined && outBytes > opts.maxStdoutBytes)
        stop('produced more output than expected');
      else if (opts.onStdout) opts.onStdout(chunk);
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // The tail is what explains a failure; the head of a long log never does.
      stderr = (stderr + chunk.toString('utf8')).slice(-64 * 1024);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new ShoeboxError('DECODE_FAILED', `could not run ${file}: ${errorMessage(err)}`, { cause: err }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure === null && code === 0) {
        resolve({ stdout: Buffer.concat(out), stderr });
        return;
      }
      const lastLine = stderr.trim().split('\n').pop() ?? '';
      reject(new ShoeboxError('DECODE_FAILED', failure ?? (lastLine || `exited with code ${String(code)}`)));
    });
  });
}
