import { readFile, readdir } from 'node:fs/promises';

/** This test process's children that run the inference module, read from /proc (Linux). */
export async function inferencePids(): Promise<number[]> {
  const tasks = await readdir(`/proc/${process.pid}/task`);
  const children = (await Promise.all(tasks.map((t) => readFile(`/proc/${process.pid}/task/${t}/children`, 'utf8').catch(() => '')))).join(' ');
  const pids = children.split(/\s+/).filter(Boolean).map(Number);
  const named = await Promise.all(pids.map(async (pid) => ((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).includes('inference-process') ? pid : null)));
  return named.filter((p): p is number => p !== null);
}
