// Helpers for tests of the inference process: finding it, waiting on it, feeding it and killing it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { forkInference } from '#core/embed/inference-channel.ts';
import type { SpawnInference } from '#core/embed/inference-channel.ts';
import type { InferenceInit, InferenceMessage } from '#core/embed/embed-protocol.ts';
import { eventually } from './cli.ts';

/**
 * Children of `pid` (of any of its threads), from /proc; none once the process is gone or off
 * Linux. A Linux kernel without the `children` files would make every "no process left behind"
 * check pass unseen, so that throws.
 */
export function childPids(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  if (process.platform === 'linux' && tasks.length > 0 && !existsSync(`/proc/${pid}/task/${tasks[0]}/children`)) {
    throw new Error(
      'this kernel has no /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN): child processes cannot be found',
    );
  }
  return tasks.flatMap((t) => {
    try {
      return readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

/** This test process's children that run the inference module. */
export async function inferencePids(): Promise<number[]> {
  const named = await Promise.all(
    childPids(process.pid).map(async (pid) =>
      (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).includes('inference-process') ? pid : null,
    ),
  );
  return named.filter((p): p is number => p !== null);
}

/** Polls `cond` every 20 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  await eventually(async () => ((await cond()) ? true : undefined), timeoutMs, what, 20);
}

/** `count` square images of side `size` as interleaved 8-bit RGB, a pattern of `shade` and its inverse. */
export function patternRgb(count: number, shade: number, size: number): Uint8Array {
  return new Uint8Array(count * 3 * size * size).map((_, i) => (i % 5 === 0 ? shade : 255 - shade));
}

/** Images of `width` × `height`, one per colour, as interleaved 8-bit RGB back to back (what embedImages takes). */
export function solidRgb(
  colours: readonly (readonly [number, number, number])[],
  width: number,
  height = width,
): Uint8Array {
  const plane = width * height;
  const out = new Uint8Array(colours.length * plane * 3);
  colours.forEach((rgb, n) => {
    for (let i = 0; i < plane; i++) out.set(rgb, (n * plane + i) * 3);
  });
  return out;
}

/**
 * Real inference processes, the first `kills.left` of which die holding a batch of photos: the
 * batch is kept from the process and the process killed, so it can never answer first (sent,
 * then killed, a loaded machine let it answer before the signal landed).
 */
export function killedOnImages(kills: { left: number }): SpawnInference {
  return () => {
    const channel = forkInference();
    return {
      ...channel,
      send: (message) => {
        if (message.type === 'images' && kills.left > 0) {
          kills.left--;
          channel.kill();
          return;
        }
        channel.send(message);
      },
    };
  };
}

export interface GpuStandIn {
  spawn: SpawnInference;
  /** Every model the processes were handed, in order (a restart's carries what the last one found). */
  inits: InferenceInit[];
  /** Sends the message a real process sends when its GPU failed and the image encoder moved to the CPU. */
  failGpu(reason: string): void;
}

/**
 * Real inference processes on the CPU, presented as if their model had been proved on a WebGPU
 * device, and a way to make that GPU fail. A GPU that fails after start-up cannot happen here,
 * so its two traces are put into a real process's messages: the hello names WebGPU, and
 * `failGpu` injects the fall-back message (whose cause, createSessionOrCpu, is tested for real).
 */
export function gpuStandIn(): GpuStandIn {
  const inits: InferenceInit[] = [];
  let deliver: ((message: InferenceMessage) => void) | null = null;
  const spawn: SpawnInference = () => {
    const channel = forkInference();
    // Only a first start proves a provider; a restart's hello repeats what it was handed.
    let proving = false;
    return {
      ...channel,
      send: (message) => {
        if (message.type === 'init') {
          inits.push(message.init);
          proving = message.init.known === undefined;
        }
        channel.send(message);
      },
      onMessage: (listener) => {
        deliver = listener;
        channel.onMessage((m) => {
          listener(
            proving && m.type === 'hello'
              ? { ...m, opened: { ...m.opened, info: { ...m.opened.info, provider: 'webgpu' } } }
              : m,
          );
        });
      },
    };
  };
  return {
    spawn,
    inits,
    failGpu: (reason) => {
      if (!deliver) throw new Error('no inference process has started');
      deliver({ type: 'fell-back', provider: 'cpu', reason });
    },
  };
}
