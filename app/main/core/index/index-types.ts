// What the indexer's parts share: counts and progress for its callers, and one prepared file
// between the decoding side and the row writer.
import type { DecodedPhoto } from '../decode/decode-photo.ts';
import type { WorkItem } from './photo-rows.ts';

export interface IndexCounts {
  indexed: number;
  reused: number;
  unchanged: number;
  failed: number;
  removed: number;
}

export interface IndexProgress extends IndexCounts {
  phase: 'scanning' | 'indexing' | 'done';
  total: number;
  done: number;
  /** Files per second over this run's indexing phase. */
  rate: number;
  etaSeconds: number | null;
}

export interface IndexSummary extends IndexCounts {
  offline: string[];
  interrupted: boolean;
}

export type Prepared =
  | { kind: 'decoded'; item: WorkItem; hash: string; decoded: DecodedPhoto }
  | { kind: 'copy'; item: WorkItem; hash: string }
  | { kind: 'failed'; item: WorkItem; reason: string };
