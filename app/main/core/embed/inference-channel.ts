import { channelOf, forkChild } from '../child-process.ts';
import type { ChildChannel } from '../child-process.ts';
import type { InferenceMessage, ParentMessage } from './embed-protocol.ts';

export { channelOf };

/**
 * One running inference process as the embedder sees it. Under Node it is a child_process.fork;
 * the Electron app passes a utility process instead (app/main/electron/utility-inference.ts),
 * which Chromium starts and sandboxes like its own helpers.
 */
export type InferenceChannel = ChildChannel<ParentMessage, InferenceMessage>;

export type SpawnInference = () => InferenceChannel;

// A sibling module; keep this file's extension so it runs from sources (Node strips the types)
// and from a build alike.
export const INFERENCE_PROCESS_URL = new URL(
  `./inference-process${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`,
  import.meta.url,
);

/** The inference process as a Node child. */
export const forkInference: SpawnInference = () => forkChild(INFERENCE_PROCESS_URL);
