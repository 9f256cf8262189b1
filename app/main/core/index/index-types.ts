// What the indexer's parts share: counts and progress for its callers, and one prepared file
// between the decoding side and the row writer.
import type { DecodedPhoto } from '../decode/decode-photo.ts';
import type { MemberRow } from '../store/photo-schema.ts';
import type { WorkItem } from './photo-rows.ts';

export interface IndexCounts {
  indexed: number;
  /** Files that took an embedding already made: copies of known content, and members of an item. */
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

/** `members`: the files a still claims (its Live Photo motion, its RAW), stored beside its row. */
export type Prepared =
  | { kind: 'decoded'; item: WorkItem; hash: string; decoded: DecodedPhoto; members: MemberRow[] }
  | { kind: 'copy'; item: WorkItem; hash: string; members: MemberRow[] }
  | { kind: 'member'; item: WorkItem; member: MemberRow }
  | { kind: 'failed'; item: WorkItem; reason: string };
