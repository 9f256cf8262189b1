import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { InferenceMessage, ParentMessage } from './embed-protocol.ts';

/**
 * One running inference process as the embedder sees it. Under Node it is a child_process.fork;
 * the Electron app passes a utility process instead (app/main/electron/utility-inference.ts),
 * which Chromium starts and sandboxes like its own helpers.
 */
export interface InferenceChannel {
  send(message: ParentMessage): void;
  onMessage(listener: (message: InferenceMessage) => void): void;
  /** Called once when the process is gone, whatever the reason (code null: killed or never started). */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type SpawnInference = () => InferenceChannel;

// A sibling module; keep this file's extension so it runs from sources (Node strips the types)
// and from a build alike.
export const INFERENCE_PROCESS_URL = new URL(
  `./inference-process${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`,
  import.meta.url,
);

/**
 * A channel from a started process's parts: its exit is reported once, whichever event says so,
 * and messages sent after it are dropped rather than thrown.
 */
export function channelOf(
  parts: Pick<InferenceChannel, 'send' | 'onMessage' | 'kill'>,
  whenExited: (report: (code: number | null) => void) => void,
): InferenceChannel {
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
  };
}

/** The inference process as a Node child: structured-clone messages, so typed arrays cross whole. */
export const forkInference: SpawnInference = () => {
  const child = fork(fileURLToPath(INFERENCE_PROCESS_URL), [], {
    serialization: 'advanced',
    // Not the parent's flags: a test runner's or debugger's have no business here.
    execArgv: [],
    // Its stdout goes to our stderr: the CLI's stdout carries answers (--json) and nothing else.
    stdio: ['ignore', 2, 'inherit', 'ipc'],
  });
  return channelOf(
    {
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as InferenceMessage)),
      kill: () => child.kill(),
    },
    (report) => {
      let ending = false;
      child.on('error', () => {
        // A failed start: no 'exit' will come. Otherwise (a send or kill that failed) the process
        // may still be running, ~1 GB of it, and is of no further use: end it, and its 'exit' reports.
        if (child.pid === undefined) report(null);
        else if (!ending) {
          ending = true;
          child.kill('SIGKILL');
        }
      });
      child.on('exit', (code) => report(code));
    },
  );
};
