// Runs in a worker thread of ScorePool: scores its rows of a batch straight into shared memory.
import { parentPort } from 'node:worker_threads';
import type { ScoreJob } from './score-job.ts';
import { scoreMatrix } from './tag-rule.ts';

parentPort!.on('message', (job: ScoreJob) => {
  const rows = job.to - job.from;
  const photos = new Float32Array(job.photos, job.from * job.dim * 4, rows * job.dim);
  const out = new Float32Array(job.out, job.from * job.conceptCount * 4, rows * job.conceptCount);
  scoreMatrix(photos, rows, new Float32Array(job.concepts), job.conceptCount, job.dim, out);
  parentPort!.postMessage(null);
});
