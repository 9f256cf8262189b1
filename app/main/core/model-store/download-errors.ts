// What a failed download tells the user: what happened, and what to do about it.
import { ShoeboxError } from '../errors.ts';
import { formatBytes } from './progress-meter.ts';

export type DownloadFailure = 'unreachable' | 'http' | 'interrupted' | 'corrupt' | 'cancelled';

/** A download that did not complete; `failure` lets front ends offer the right next step. */
export class ModelDownloadError extends ShoeboxError {
  readonly failure: DownloadFailure;
  constructor(failure: DownloadFailure, message: string, options?: ErrorOptions) {
    super(failure === 'corrupt' ? 'MODEL_INVALID' : 'MODEL_MISSING', message, options);
    this.name = 'ModelDownloadError';
    this.failure = failure;
  }
}

/** What else the user can do when a download fails: for a CLIP model, fetch it another way. */
export const IMPORT_HINT = 'or download the files yourself and run `shoebox model import <folder>`';

/** The first error code along an error's cause chain (undici wraps the socket's). */
export function errorCodeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    if ('code' in e && typeof e.code === 'string') return e.code;
    if (e instanceof AggregateError && e.errors.length > 0) e = e.errors[0];
    else e = 'cause' in e ? e.cause : undefined;
  }
  return undefined;
}

/** The proxy a URL's request goes through per the environment, without credentials. */
export function proxyFor(url: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const https = url.startsWith('https:');
  const raw = https
    ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy)
    : (env.HTTP_PROXY ?? env.http_proxy);
  if (raw === undefined || raw === '') return undefined;
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}`;
  } catch {
    return raw;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function cancelledError(label: string, have: number): ModelDownloadError {
  const kept = have > 0 ? ` (${formatBytes(have)} of ${label} are kept)` : '';
  return new ModelDownloadError('cancelled', `download stopped${kept}: run the install again to resume`);
}

export function unreachableError(
  err: unknown,
  url: string,
  label: string,
  signal?: AbortSignal,
  hint = IMPORT_HINT,
): ModelDownloadError {
  if (signal?.aborted) return cancelledError(label, 0);
  const code = errorCodeOf(err) ?? (err instanceof Error ? err.message : String(err));
  const proxy = proxyFor(url);
  const via = proxy !== undefined ? ` through the proxy ${proxy}` : '';
  return new ModelDownloadError(
    'unreachable',
    `could not reach ${hostOf(url)}${via} (${code}) to fetch ${label}: check your connection or proxy (HTTPS_PROXY), ${hint}`,
    { cause: err },
  );
}

export function httpError(status: number, url: string, label: string, hint = IMPORT_HINT): ModelDownloadError {
  const host = hostOf(url);
  let why: string;
  if (status === 401 || status === 403)
    why = `${host} refused ${label} (HTTP ${status}): the model may now be gated or private; download it in a browser while signed in, then run \`shoebox model import <folder>\``;
  else if (status === 404 || status === 410)
    why = `${label} is not at ${url} (HTTP ${status}): the catalogue entry may be out of date; update Shoebox, ${hint}`;
  else if (status === 429)
    why = `${host} is limiting requests (HTTP 429): wait a few minutes and run the install again (it resumes)`;
  else if (status >= 500)
    why = `${host} had a server error (HTTP ${status}) sending ${label}: try again later (the install resumes where it stopped)`;
  else why = `${host} answered HTTP ${status} for ${label}; ${hint.replace(/^or /, '')}`;
  return new ModelDownloadError('http', why);
}

export function interruptedError(
  err: unknown,
  label: string,
  have: number,
  total: number | null,
  signal?: AbortSignal,
): ModelDownloadError {
  if (signal?.aborted) return cancelledError(label, have);
  const code = errorCodeOf(err) ?? (err instanceof Error ? err.message : 'the connection ended early');
  const of = total !== null ? ` of ${formatBytes(total)}` : '';
  return new ModelDownloadError(
    'interrupted',
    `the download of ${label} was interrupted after ${formatBytes(have)}${of} (${code}): run the same command again to resume where it stopped`,
    { cause: err },
  );
}

export function corruptError(label: string, check: string, expected: string, got: string): ModelDownloadError {
  return new ModelDownloadError(
    'corrupt',
    `${label} arrived corrupted (${check}: expected ${expected}, got ${got}) and was deleted; nothing was installed. Run the install again to fetch it afresh; if that fails the same way, the catalogue or the server is out of date`,
  );
}
