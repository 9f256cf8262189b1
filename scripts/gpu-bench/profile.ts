// Profiles one index run on the lent machine: the main thread's CPU profile (--cpu-prof, into
// $OUT) and how busy each process was. Usage: node --cpu-prof --cpu-prof-dir=$OUT scripts/gpu-bench/profile.ts <model> <photos dir> <n> <device>
import '../../app/main/core/index/thread-pool.ts';
import { link, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Engine } from '../../app/main/core/engine.ts';
import { isDevice } from '../../app/main/core/embed/providers.ts';

const [modelDir, photosDir, count, device = 'webgpu'] = process.argv.slice(2);
if (!modelDir || !photosDir || !isDevice(device)) throw new Error('usage: profile.ts <model> <photos dir> <n> <device>');
const tmp = await mkdtemp('/tmp/shoebox-prof-');
const root = path.join(tmp, 'photos');
await mkdir(root);
for (const f of (await readdir(photosDir)).sort().slice(0, Number(count))) await link(path.join(photosDir, f), path.join(root, f));
const engine = await Engine.open({ libraryDir: path.join(tmp, 'lib'), modelDir, device }, { write: true, command: 'profile' });
await engine.addRoot(root);
await engine.modelInfo();
const cpu0 = process.cpuUsage();
const t = performance.now();
const s = await engine.index({});
const sec = (performance.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ photos: s.indexed, seconds: sec, rate: s.indexed / sec, mainProcessCores: (cpu.user + cpu.system) / 1e6 / sec }));
await engine.close();
