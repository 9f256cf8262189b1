// The contract over HTTP + WebSocket, for the renderer served by `shoebox serve`. The renderer
// cannot tell this from the Electron preload: both implement ShoeboxBridge.
import type {
  CallArgs,
  CallName,
  CallResult,
  EventName,
  Events,
  Result,
  ShoeboxBridge,
} from '../../../../shared/contract.ts';
import { backoffDelay } from '../utils/timing.ts';

/**
 * The access token from the address `shoebox serve` printed (`#token=…`), taken out of the
 * address before anything else runs, so it is not left in history or shown over someone's
 * shoulder. A fragment is never sent to a server, so no request or log has carried it.
 */
export function takeToken(loc: Location = location, hist: History = history): string | null {
  const fromHash = new URLSearchParams(loc.hash.replace(/^#/, '')).get('token');
  if (fromHash) hist.replaceState(hist.state, '', loc.pathname + loc.search);
  return fromHash;
}

/**
 * Trades the token for the server's session cookie (HttpOnly: no script, this one included, can
 * read it), which every request, image and the event socket then carry without a token in any
 * URL. Without a token (a reload) the cookie from before is used.
 */
export async function openSession(token: string | null): Promise<void> {
  if (token === null) return;
  await fetch('/api/session', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
}

type Listener = (payload: unknown) => void;

function failure<T>(message: string): Result<T> {
  return { ok: false, error: { code: 'INTERNAL', message } };
}

export class WebBridge implements ShoeboxBridge {
  readonly transport = 'web' as const;
  readonly #session: Promise<void>;
  readonly #listeners = new Map<EventName, Set<Listener>>();
  readonly #reconnectListeners = new Set<() => void>();
  #socket: WebSocket | null = null;
  #attempt = 0;
  #everOpened = false;
  #waiting = false;

  /** `session`: settles once the token has been traded for the session cookie. */
  constructor(session: Promise<void>) {
    this.#session = session;
  }

  async call<C extends CallName>(channel: C, args: CallArgs<C>): Promise<Result<CallResult<C>>> {
    await this.#session;
    let res: Response;
    try {
      res = await fetch(`/api/call/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
    } catch (err) {
      return failure(`Shoebox is not reachable (is "shoebox serve" still running?): ${String(err)}`);
    }
    if (res.status === 401) return failure('This page has no valid session: open the address "shoebox serve" printed.');
    if (!(res.headers.get('content-type') ?? '').includes('application/json')) {
      return failure(`The server answered ${res.status}: ${(await res.text().catch(() => '')).slice(0, 200)}`);
    }
    try {
      return (await res.json()) as Result<CallResult<C>>;
    } catch (err) {
      return failure(`The server's answer was not JSON: ${String(err)}`);
    }
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const l = listener as Listener;
    set.add(l);
    this.#connect();
    return () => set.delete(l);
  }

  /** Called after the event socket comes back from a drop: events may have been missed. */
  onReconnect(listener: () => void): () => void {
    this.#reconnectListeners.add(listener);
    return () => this.#reconnectListeners.delete(listener);
  }

  thumbUrl(id: string): string {
    return `/media/thumb/${encodeURIComponent(id)}`;
  }

  photoUrl(id: string): string {
    return `/media/photo/${encodeURIComponent(id)}`;
  }

  motionUrl(id: string): string {
    return `/media/motion/${encodeURIComponent(id)}`;
  }

  #connect(): void {
    if (this.#socket || this.#waiting) return;
    // The socket is opened once the session cookie is there: the upgrade request carries it.
    this.#waiting = true;
    void this.#session.then(() => {
      this.#waiting = false;
      this.#open();
    });
  }

  #open(): void {
    if (this.#socket) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/api/events`);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      const wasDropped = this.#everOpened;
      this.#everOpened = true;
      this.#attempt = 0;
      if (wasDropped) for (const l of this.#reconnectListeners) l();
    });
    socket.addEventListener('message', (e: MessageEvent) => this.#dispatch(e.data));
    socket.addEventListener('close', () => {
      this.#socket = null;
      // The server restarting or the laptop sleeping: try again, backing off.
      setTimeout(() => this.#connect(), backoffDelay(this.#attempt++));
    });
  }

  #dispatch(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: { event?: unknown; payload?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    const set = this.#listeners.get(message.event as EventName);
    if (set) for (const l of set) l(message.payload);
  }
}
