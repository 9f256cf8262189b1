// What the numbers were measured on, and how busy the machine was with other work meanwhile:
// on a shared box a compile in the next terminal can halve a CPU-bound figure.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { descendants, treeCpuSeconds, treeRss } from './proc-tree.ts';

export interface MachineInfo {
  cpu: string;
  cores: number;
  /** Distinct physical cores behind those (SMT gives two logical CPUs per core); null if unknown. */
  physicalCores: number | null;
  ramGiB: number;
  node: string;
  onnxruntime: string;
  sharp: string;
  libvips: string;
  lancedb: string;
  platform: string;
  loadAvg1m: number;
}

/** A dependency's version, found beside its entry point (some export maps hide package.json). */
function packageVersion(name: string): string {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve(name));
    while (dir !== path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name && pkg.version) return pkg.version;
      }
      dir = path.dirname(dir);
    }
  } catch {
    // Reported as unknown below: a missing version must not stop the benchmark.
  }
  return 'unknown';
}

/** Physical cores, from each logical CPU's package and core id in sysfs (Linux only). */
function physicalCores(): number | null {
  const ids = new Set<string>();
  for (let i = 0; i < cpus().length; i++) {
    try {
      const dir = `/sys/devices/system/cpu/cpu${i}/topology`;
      ids.add(
        `${readFileSync(`${dir}/physical_package_id`, 'utf8').trim()}:${readFileSync(`${dir}/core_id`, 'utf8').trim()}`,
      );
    } catch {
      return null;
    }
  }
  return ids.size || null;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    physicalCores: physicalCores(),
    ramGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    onnxruntime: packageVersion('onnxruntime-node'),
    sharp: sharp.versions.sharp ?? 'unknown',
    libvips: sharp.versions.vips,
    lancedb: packageVersion('@lancedb/lancedb'),
    platform: `${process.platform}-${process.arch}`,
    loadAvg1m: loadavg()[0] ?? 0,
  };
}

/** Busy and total jiffies over all CPUs, from /proc/stat; null off Linux. */
function systemJiffies(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * CPU used by other processes while a measurement ran, in cores: the system's busy time
 * minus this process's own and its children's (the inference process). Near zero means the
 * figure is clean; near a core means it is not.
 */
export class ForeignCpu {
  readonly #sys = systemJiffies();
  readonly #own = treeCpuSeconds();
  readonly #start = performance.now();

  /** Average cores used by others since construction, or null where /proc/stat is missing. */
  cores(): number | null {
    const sys = systemJiffies();
    if (!sys || !this.#sys) return null;
    const seconds = (performance.now() - this.#start) / 1000;
    const cores = availableParallelism();
    const busyFraction = (sys.busy - this.#sys.busy) / Math.max(1, sys.total - this.#sys.total);
    const ownCores = (treeCpuSeconds() - this.#own) / Math.max(seconds, 1e-3);
    return Math.max(0, busyFraction * cores - ownCores);
  }
}

/**
 * Waits (up to `maxMs`) for a second in which other processes use under `threshold` cores, so
 * a measurement does not start in the middle of someone's compile. Returns the load it saw last.
 */
export async function waitForQuiet(maxMs: number, threshold = 0.25): Promise<number | null> {
  const deadline = performance.now() + maxMs;
  for (;;) {
    const probe = new ForeignCpu();
    await new Promise((r) => setTimeout(r, 1000));
    const busy = probe.cores();
    if (busy === null || busy < threshold || performance.now() >= deadline) return busy;
  }
}

/** Samples the RSS of this process and its children (the inference process) until stopped. */
export class RssSampler {
  #peak = treeRss();
  readonly #timer: NodeJS.Timeout;
  // Finding the children walks every thread's /proc entry: on the thread being measured, so done
  // once a second rather than at every sample.
  #kids = descendants(process.pid);
  #kidsAt = Date.now();

  constructor(intervalMs = 50) {
    this.#timer = setInterval(() => {
      if (Date.now() - this.#kidsAt >= 1000) {
        this.#kids = descendants(process.pid);
        this.#kidsAt = Date.now();
      }
      this.#peak = Math.max(this.#peak, treeRss(process.pid, this.#kids));
    }, intervalMs);
  }

  stop(): number {
    clearInterval(this.#timer);
    return Math.max(this.#peak, treeRss());
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
