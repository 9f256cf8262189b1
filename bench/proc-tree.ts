// Memory and CPU of this process together with its children, from /proc: the inference process
// runs apart from the caller, so a figure for "the app" must add it in. Off Linux, the process
// alone (and the report says so by the figures' size, not by guessing).
import { readFileSync, readdirSync } from 'node:fs';
import { childPids } from '../tests/support/processes.ts';

/** Clock ticks per second of /proc/<pid>/stat times; USER_HZ is 100 on every Linux port in use. */
const TICKS = 100;
const PAGE = 4096;

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces). */
function statFields(pid: number): string[] | null {
  const stat = read(`/proc/${pid}/stat`);
  return stat === null ? null : stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
}

/** Every live descendant of `pid`, children first. */
export function descendants(pid: number): number[] {
  return childPids(pid).flatMap((c) => [c, ...descendants(c)]);
}

/** Resident bytes of `pid` and all its descendants. */
export function treeRss(pid: number = process.pid): number {
  const mine = pid === process.pid ? process.memoryUsage().rss : Number(statFields(pid)?.[21] ?? 0) * PAGE;
  return mine + descendants(pid).reduce((sum, c) => sum + Number(statFields(c)?.[21] ?? 0) * PAGE, 0);
}

/**
 * CPU seconds used by `pid`, its children that have ended (cutime/cstime) and those still running;
 * monotonic as children come and go. Off Linux: this process alone.
 */
export function treeCpuSeconds(pid: number = process.pid): number {
  const own = statFields(pid);
  if (own === null) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
  // Fields from state (index 0): utime 11, stime 12, cutime 13, cstime 14.
  const ticks = (f: string[] | null, from: number, to: number): number => (f ? f.slice(from, to + 1).reduce((a, x) => a + Number(x), 0) : 0);
  return (ticks(own, 11, 14) + descendants(pid).reduce((sum, c) => sum + ticks(statFields(c), 11, 12), 0)) / TICKS;
}

/**
 * CPU ticks of every thread in `pid`'s tree, summed by process and thread name: "app" for `pid`,
 * "child" for its descendants; each process's main thread apart from its other "node" threads.
 * Which threads a pipeline keeps busy (libvips workers, libuv's pool, the main thread, the
 * inference process) says where the cores go that the decode bound counts on.
 */
export function threadTicks(pid: number = process.pid): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, ticks: number): void => void out.set(key, (out.get(key) ?? 0) + ticks);
  for (const p of [pid, ...descendants(pid)]) {
    const role = p === pid ? 'app' : 'child';
    const whole = statFields(p);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    let live = 0;
    for (const t of tasks) {
      const f = read(`/proc/${p}/task/${t}/stat`);
      if (f === null) continue;
      const fields = f.slice(f.lastIndexOf(') ') + 2).split(' ');
      const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
      live += ticks;
      add(`${role} ${Number(t) === p ? 'main' : (read(`/proc/${p}/task/${t}/comm`) ?? '?').trim()}`, ticks);
    }
    // The process's own figure includes threads that have ended (libvips retires idle workers).
    if (whole) add(`${role} ended threads`, Math.max(0, Number(whole[11] ?? 0) + Number(whole[12] ?? 0) - live));
  }
  return out;
}

/** Cores each thread group kept busy between two `threadTicks` snapshots `ms` apart (≥ 0.05 only). */
export function threadCores(before: Map<string, number>, after: Map<string, number>, ms: number): Record<string, number> {
  const cores: [string, number][] = [...after].map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / TICKS / (ms / 1000)]);
  return Object.fromEntries(cores.filter(([, c]) => c >= 0.05).sort((x, y) => y[1] - x[1]).map(([k, c]) => [k, Math.round(c * 100) / 100]));
}
