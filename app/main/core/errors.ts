import type { ErrorCode } from '../../shared/contract.ts';

export type { ErrorCode };

/**
 * An error the engine reports with one of the contract's codes. Front ends map them to messages
 * and exit codes; across IPC they travel as `{code, message}` values, never as thrown exceptions.
 */
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
