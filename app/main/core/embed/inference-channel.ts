import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostMessage, ParentMessage } from './embed-protocol.ts';

/**
 * One running inference process as the embedder sees it. Under Node it is a child_process.fork;
 * the Electron app passes a utility process instead (app/main/electron/utility-inference.ts),
 * which Chromium starts and sandboxes like its own helpers.
 */
export interface InferenceChannel {
  send(message: ParentMessage): void;
  onMessage(listener: (message: HostMessage) => void): void;
  /** Called once when the process is gone, whatever the reason (code null: killed or never started). */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type SpawnInference = () => InferenceChannel;

// A sibling module; keep this file's extension so it runs from sources (Node strips the types)
// and from a build alike.
export const INFERENCE_PROCESS_URL = new URL(`./inference-process${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url);

/** The inference process as a Node child: structured-clone messages, so typed arrays cross whole. */
export const forkInference: SpawnInference = () => {
  const child = fork(fileURLToPath(INFERENCE_PROCESS_URL), [], {
    serialization: 'advanced',
    // Not the parent's flags: a test runner's or debugger's have no business here.
    execArgv: [],
    // Its stdout goes to our stderr: the CLI's stdout carries answers (--json) and nothing else.
    stdio: ['ignore', 2, 'inherit', 'ipc'],
  });
  let exited = false;
  const exitListeners: ((code: number | null) => void)[] = [];
  const exit = (code: number | null): void => {
    if (exited) return;
    exited = true;
    for (const fn of exitListeners) fn(code);
  };
  // 'error' comes for a failed start or a send on a closed channel; either way 'exit' follows or
  // the process never ran, so both end the same way.
  child.on('error', () => exit(null));
  child.on('exit', (code) => exit(code));
  return {
    send: (message) => {
      if (!exited && child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as HostMessage)),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => child.kill(),
  };
};
