/**
 * Error codes the engine reports. Front ends map them to messages and exit codes; across IPC
 * they travel as `{code, message}` values, never as thrown exceptions.
 */
export type ErrorCode =
  | 'MODEL_MISSING'
  | 'MODEL_INVALID'
  | 'LIBRARY_LOCKED'
  | 'LIBRARY_UNREADABLE'
  | 'ROOT_MISSING'
  | 'ROOT_UNKNOWN'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'DECODE_FAILED'
  | 'INTERNAL';

export class ShoeboxError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ShoeboxError';
    this.code = code;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
