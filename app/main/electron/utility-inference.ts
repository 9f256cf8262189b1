import { fileURLToPath } from 'node:url';
import { utilityProcess } from 'electron';
import type { InferenceMessage } from '../core/embed/embed-protocol.ts';
import { INFERENCE_PROCESS_URL, channelOf } from '../core/embed/inference-channel.ts';
import type { SpawnInference } from '../core/embed/inference-channel.ts';

/**
 * The app's inference process: an Electron utility process (Chromium starts it, names it in the
 * task manager, and ends it with the app) running the same module a Node fork runs; the module
 * finds `process.parentPort` there instead of Node's IPC channel.
 */
export const spawnUtilityInference: SpawnInference = () => {
  const child = utilityProcess.fork(fileURLToPath(INFERENCE_PROCESS_URL), [], {
    serviceName: 'Shoebox inference',
    stdio: 'inherit',
  });
  return channelOf(
    {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (m: unknown) => listener(m as InferenceMessage)),
      kill: () => {
        child.kill();
      },
    },
    (report) => child.once('exit', report),
  );
};
