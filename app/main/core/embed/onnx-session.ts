import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ShoeboxError, errorMessage } from '../errors.ts';

/** Execution providers Shoebox knows how to ask for. */
export type ExecutionProvider = 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';

/**
 * `spin: false` stops onnxruntime's idle threads from spinning on the cores between runs: while
 * indexing on CPU, decoding needs those cores (measured: end-to-end 0.81 → 0.92–0.97 of the
 * pipeline bound on 2 cores, for 1–2% less bare throughput at batch 16).
 */
export async function createSession(
  path: string,
  provider: ExecutionProvider,
  threads: number,
  spin = true,
): Promise<ort.InferenceSession> {
  const missing = missingProvider(provider);
  if (missing) throw new Error(missing);
  return ort.InferenceSession.create(path, {
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // A failing accelerator is an expected fallback, recorded by the caller; onnxruntime would
    // also print it to stderr at error level on every start.
    ...(provider === 'cpu' ? {} : { logSeverityLevel: 4 as const }),
    ...(spin ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
  });
}

/**
 * A session on `provider`, or on the CPU when that provider cannot open the graph now although it
 * did before: a GPU unplugged, or its memory taken by a game while the image encoder was released.
 * Vectors from either match (WebGPU against CPU: cosine 0.99999999 on the H100), so indexing goes on slower
 * instead of recording every photo as failed; `fallback` says why, for the status display.
 */
export async function createSessionOrCpu(
  path: string,
  provider: ExecutionProvider,
  threads: { provider: number; cpu: number },
  spin = true,
): Promise<{ session: ort.InferenceSession; provider: ExecutionProvider; fallback: string | null }> {
  try {
    return { session: await createSession(path, provider, threads.provider, spin), provider, fallback: null };
  } catch (err) {
    if (provider === 'cpu') throw err;
    const session = await createSession(path, 'cpu', threads.cpu, spin);
    return { session, provider: 'cpu', fallback: `${provider}: ${errorMessage(err)}` };
  }
}

/**
 * Why a provider cannot load here, when that is knowable without trying: onnxruntime-node's
 * CUDA provider is a separate download (`npm run install:cuda`) next to its binding.
 */
function missingProvider(provider: ExecutionProvider): string | null {
  if (provider !== 'cuda') return null;
  const require = createRequire(import.meta.url);
  const binDir = join(
    dirname(require.resolve('onnxruntime-node/package.json')),
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return existsSync(join(binDir, lib))
    ? null
    : `onnxruntime-node's CUDA provider is not installed (add it with npm run install:cuda)`;
}

export interface TensorShape {
  name: string;
  dims: readonly (number | string)[];
}

export function inputShape(session: ort.InferenceSession, name: string): TensorShape {
  const meta = session.inputMetadata.find((m) => m.name === name);
  if (!meta?.isTensor)
    throw new ShoeboxError(
      'MODEL_INVALID',
      `graph has no tensor input "${name}" (inputs: ${session.inputNames.join(', ')})`,
    );
  return { name, dims: meta.shape };
}

export function outputShape(session: ort.InferenceSession, name: string): TensorShape {
  const meta = session.outputMetadata.find((m) => m.name === name);
  if (!meta?.isTensor)
    throw new ShoeboxError(
      'MODEL_INVALID',
      `graph has no tensor output "${name}" (outputs: ${session.outputNames.join(', ')})`,
    );
  return { name, dims: meta.shape };
}

export function staticDim(shape: TensorShape, axis: number): number | null {
  const d = shape.dims[axis];
  return typeof d === 'number' && d > 0 ? d : null;
}
