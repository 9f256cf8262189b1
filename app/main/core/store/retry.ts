import { errorMessage, ShoeboxError } from '../errors.ts';

/**
 * LanceDB commits optimistically; a commit that lost a race with another writer (a compaction,
 * an index build) fails with a conflict and is safe to retry. Anything else propagates.
 */
export async function withRetry<T>(what: string, op: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt >= 4 || !/conflict|retryable|temporarily/i.test(errorMessage(err))) {
        throw new ShoeboxError('INTERNAL', `could not ${what}: ${errorMessage(err)}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}
