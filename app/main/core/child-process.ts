// The two ends of a helper process Shoebox starts (inference, decoding): under Node a
// child_process.fork, in the Electron app a utility process (app/main/electron starts those, as
// core never imports electron). Both carry structured-clone messages, so typed arrays cross whole.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A running helper process as its parent sees it. */
export interface ChildChannel<Send, Receive> {
  send(message: Send): void;
  onMessage(listener: (message: Receive) => void): void;
  /** Called once when the process is gone, whatever the reason (code null: killed or never started). */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
  /** The OS process id, once started (undefined when it never started). */
  readonly pid?: number | undefined;
}

/**
 * A channel from a started process's parts: its exit is reported once, whichever event says so,
 * and messages sent after it are dropped rather than thrown.
 */
export function channelOf<Send, Receive>(
  parts: Pick<ChildChannel<Send, Receive>, 'send' | 'onMessage' | 'kill' | 'pid'>,
  whenExited: (report: (code: number | null) => void) => void,
): ChildChannel<Send, Receive> {
  let exited = false;
  const listeners: ((code: number | null) => void)[] = [];
  whenExited((code) => {
    if (exited) return;
    exited = true;
    for (const fn of listeners) fn(code);
  });
  return {
    send: (message) => {
      if (!exited) parts.send(message);
    },
    onMessage: (listener) => parts.onMessage(listener),
    onExit: (listener) => listeners.push(listener),
    kill: () => parts.kill(),
    get pid() {
      return parts.pid;
    },
  };
}

/** A helper process as a Node child. */
export function forkChild<Send, Receive>(url: URL): ChildChannel<Send, Receive> {
  const child = fork(fileURLToPath(url), [], {
    serialization: 'advanced',
    // Not the parent's flags: a test runner's or debugger's have no business here.
    execArgv: [],
    // Its stdout goes to our stderr: the CLI's stdout carries answers (--json) and nothing else.
    stdio: ['ignore', 2, 'inherit', 'ipc'],
  });
  return channelOf<Send, Receive>(
    {
      send: (message) => {
        if (child.connected) child.send(message as object);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as Receive)),
      kill: () => child.kill(),
      get pid() {
        return child.pid;
      },
    },
    (report) => {
      let ending = false;
      child.on('error', () => {
        // A failed start: no 'exit' will come. Otherwise (a send or kill that failed) the process
        // may still be running and is of no further use: end it, and its 'exit' reports.
        if (child.pid === undefined) report(null);
        else if (!ending) {
          ending = true;
          child.kill('SIGKILL');
        }
      });
      child.on('exit', (code) => report(code));
    },
  );
}

/** The child's way back to its parent: Electron's utility-process port, or Node's IPC channel. */
export interface ParentLink<Send, Receive> {
  post(message: Send): void;
  onMessage(listener: (message: Receive) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function parentLink<Send, Receive>(what: string): ParentLink<Send, Receive> {
  // Electron sets process.parentPort in a utility process; typed here so core never imports electron.
  const port = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (port)
    return {
      post: (m) => port.postMessage(m),
      onMessage: (fn) => port.on('message', (e) => fn(e.data as Receive)),
    };
  const send = process.send?.bind(process);
  if (!send) throw new Error(`the ${what} process must be started by Shoebox (it has no channel to its parent)`);
  // The parent is gone (crashed or killed): nothing is left to answer.
  process.on('disconnect', () => process.exit(0));
  return { post: (m) => send(m), onMessage: (fn) => process.on('message', (m) => fn(m as Receive)) };
}
