// Helpers for tests of the inference process: finding it, waiting on it, feeding it and killing it.
import { readFile, readdir } from 'node:fs/promises';
import { forkInference } from '../../app/main/core/embed/inference-channel.ts';
import type { SpawnInference } from '../../app/main/core/embed/inference-channel.ts';

/** This test process's children that run the inference module, read from /proc (Linux). */
export async function inferencePids(): Promise<number[]> {
  const tasks = await readdir(`/proc/${process.pid}/task`);
  const children = (await Promise.all(tasks.map((t) => readFile(`/proc/${process.pid}/task/${t}/children`, 'utf8').catch(() => '')))).join(' ');
  const pids = children.split(/\s+/).filter(Boolean).map(Number);
  const named = await Promise.all(pids.map(async (pid) => ((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).includes('inference-process') ? pid : null)));
  return named.filter((p): p is number => p !== null);
}

/** Polls `cond` every 20 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `count` square images of side `size` as interleaved 8-bit RGB, a pattern of `shade` and its inverse. */
export function patternRgb(count: number, shade: number, size: number): Uint8Array {
  return new Uint8Array(count * 3 * size * size).map((_, i) => (i % 5 === 0 ? shade : 255 - shade));
}

/** Images of `width` × `height`, one per colour, as interleaved 8-bit RGB back to back (what embedImages takes). */
export function solidRgb(colours: readonly (readonly [number, number, number])[], width: number, height = width): Uint8Array {
  const plane = width * height;
  const out = new Uint8Array(colours.length * plane * 3);
  colours.forEach((rgb, n) => {
    for (let i = 0; i < plane; i++) out.set(rgb, (n * plane + i) * 3);
  });
  return out;
}

/** Real inference processes, the first `kills.left` of which are killed as a batch of photos reaches them. */
export function killedOnImages(kills: { left: number }): SpawnInference {
  return () => {
    const channel = forkInference();
    return {
      ...channel,
      send: (message) => {
        channel.send(message);
        if (message.kind === 'images' && kills.left > 0) {
          kills.left--;
          channel.kill();
        }
      },
    };
  };
}
