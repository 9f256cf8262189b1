// One of several processes generating the benchmark's photos in parallel (run.ts starts one per
// core when many are missing): the pixel synthesis is plain JavaScript, one core per process.
import { ensurePhotos } from './photos.ts';

const [count = '0', index = '0', of = '1'] = process.argv.slice(2);
await ensurePhotos(Number(count), undefined, { index: Number(index), of: Number(of) });
