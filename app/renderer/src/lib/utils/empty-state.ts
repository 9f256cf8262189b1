// Which empty state the photos screen shows, if any. Each one tells the user what to do next.
import type { ModelState } from '../../../../shared/types.ts';

export type EmptyState =
  'loading' | 'model-missing' | 'model-error' | 'no-folders' | 'indexing' | 'no-photos' | 'no-results' | null;

export interface EmptyStateInput {
  loaded: boolean;
  model: ModelState['state'];
  roots: number;
  indexing: boolean;
  /** Photos in the grid right now. */
  count: number;
  /** The grid's first answer for the current view has not arrived yet. */
  pending: boolean;
  /** A search, similar-photos view or filter is narrowing the grid. */
  narrowed: boolean;
}

export function whichEmptyState(s: EmptyStateInput): EmptyState {
  if (!s.loaded) return 'loading';
  if (s.model === 'missing') return 'model-missing';
  if (s.model === 'error') return 'model-error';
  if (s.roots === 0) return 'no-folders';
  if (s.count > 0) return null;
  if (s.pending) return 'loading';
  if (s.narrowed) return 'no-results';
  return s.indexing || s.model === 'loading' ? 'indexing' : 'no-photos';
}
