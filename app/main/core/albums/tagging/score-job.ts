/** One worker's share of a scoring batch, in shared memory (the message ScorePool sends to score-worker). */
export interface ScoreJob {
  photos: SharedArrayBuffer;
  concepts: SharedArrayBuffer;
  out: SharedArrayBuffer;
  conceptCount: number;
  dim: number;
  /** Photo rows [from, to) of the batch. */
  from: number;
  to: number;
}
