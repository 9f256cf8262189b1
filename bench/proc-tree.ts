// Memory and CPU of this process together with its children, from /proc: the inference process
// runs apart from the caller, so a figure for "the app" must add it in. Off Linux, the process
// alone (and the report says so by the figures' size, not by guessing).
import { readFileSync, readdirSync } from 'node:fs';
import { childPids } from '../tests/support/processes.ts';

/** Clock ticks per second of /proc/<pid>/stat times; USER_HZ is 100 on every Linux port in use. */
const TICKS = 100;

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

/** Resident bytes of one process (VmRSS, in kB whatever the page size); 0 once it is gone. */
function rss(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) * 1024 : 0;
}

/** Resident bytes of `pid` and its descendants (`kids`, when the caller already knows them). */
export function treeRss(pid: number = process.pid, kids: readonly number[] = descendants(pid)): number {
  const mine = pid === process.pid ? process.memoryUsage().rss : rss(pid);
  return mine + kids.reduce((sum, c) => sum + rss(c), 0);
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
  const ticks = (f: string[] | null, from: number, to: number): number =>
    f ? f.slice(from, to + 1).reduce((a, x) => a + Number(x), 0) : 0;
  return (ticks(own, 11, 14) + descendants(pid).reduce((sum, c) => sum + ticks(statFields(c), 11, 12), 0)) / TICKS;
}

/** Per-thread and per-process CPU ticks of a process tree at one moment (see threadCores). */
export interface TreeTicks {
  /** By "pid/tid": the thread's group ("app main", "child libvips worker", …) and its ticks. */
  threads: Map<string, { group: string; ticks: number }>;
  /** By pid: the whole process's ticks, threads that have ended included. */
  processes: Map<number, { role: string; ticks: number }>;
}

const ticksOf = (fields: string[] | null): number => (fields ? Number(fields[11] ?? 0) + Number(fields[12] ?? 0) : 0);

/**
 * CPU ticks of every thread in `pid`'s tree: "app" is `pid`, "child" its descendants; each
 * process's main thread apart from its other threads, which are grouped by name. Which threads a
 * pipeline keeps busy (libvips workers, libuv's pool, the main thread, the inference process)
 * says where the cores go that the decode bound counts on.
 */
export function threadTicks(pid: number = process.pid): TreeTicks {
  const out: TreeTicks = { threads: new Map(), processes: new Map() };
  for (const p of [pid, ...descendants(pid)]) {
    const role = p === pid ? 'app' : 'child';
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      const f = read(`/proc/${p}/task/${t}/stat`);
      if (f === null) continue;
      const name = Number(t) === p ? 'main' : (read(`/proc/${p}/task/${t}/comm`) ?? '?').trim();
      out.threads.set(`${p}/${t}`, {
        group: `${role} ${name}`,
        ticks: ticksOf(f.slice(f.lastIndexOf(') ') + 2).split(' ')),
      });
    }
    // Read after its threads, so the whole is never behind the sum of its parts.
    out.processes.set(p, { role, ticks: ticksOf(statFields(p)) });
  }
  return out;
}

/**
 * Cores each thread group kept busy between two readings `ms` apart, taken thread by thread (a
 * thread that started meanwhile counts from zero). Threads that ended meanwhile are what the
 * processes' own figures grew by beyond their live threads: "<role> ended threads". `total` is
 * the whole tree; groups under 0.05 cores are left out of `groups` only.
 */
export function threadCores(
  before: TreeTicks,
  after: TreeTicks,
  ms: number,
): { total: number; groups: Record<string, number> } {
  const seconds = ms / 1000;
  const groups = new Map<string, number>();
  const add = (group: string, ticks: number): void => void groups.set(group, (groups.get(group) ?? 0) + ticks);
  const liveByPid = new Map<number, number>();
  for (const [key, t] of after.threads) {
    const delta = t.ticks - (before.threads.get(key)?.ticks ?? 0);
    add(t.group, delta);
    const owner = Number(key.split('/')[0]);
    liveByPid.set(owner, (liveByPid.get(owner) ?? 0) + delta);
  }
  let total = 0;
  for (const [p, proc] of after.processes) {
    const delta = proc.ticks - (before.processes.get(p)?.ticks ?? 0);
    total += delta;
    add(`${proc.role} ended threads`, Math.max(0, delta - (liveByPid.get(p) ?? 0)));
  }
  const cores = (ticks: number): number => Math.round((ticks / TICKS / seconds) * 100) / 100;
  const shown = [...groups]
    .map(([g, t]): [string, number] => [g, cores(t)])
    .filter(([, c]) => c >= 0.05)
    .sort((x, y) => y[1] - x[1]);
  return { total: cores(total), groups: Object.fromEntries(shown) };
}
