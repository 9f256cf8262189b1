import type { CallError, CallName, ErrorCode } from '../../../../shared/contract.ts';

/** A failed call, as the renderer handles it: which call, the contract's code and its message. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly channel: CallName;

  constructor(channel: CallName, error: CallError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.channel = channel;
  }
}

export type Outcome<T> = { ok: true; data: T } | { ok: false; error: ApiError };
