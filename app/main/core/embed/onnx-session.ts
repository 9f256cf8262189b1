import * as ort from 'onnxruntime-node';
import { ShoeboxError, errorMessage } from '../errors.ts';

/** Execution providers Shoebox knows how to ask for; the models issue adds automatic choice. */
export type ExecutionProvider = 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';

export interface SessionChoice {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  /** Why earlier providers in the list were passed over, for `status`. */
  fallbacks: string[];
}

export interface SessionOptions {
  providers: readonly ExecutionProvider[];
  threads: number;
}

/**
 * Opens a graph with the first provider in the list that loads, falling back down the list and
 * recording why; CPU is always tried last so a machine without an accelerator still works.
 */
export async function openSession(path: string, opts: SessionOptions): Promise<SessionChoice> {
  const fallbacks: string[] = [];
  const providers = opts.providers.includes('cpu') ? opts.providers : [...opts.providers, 'cpu' as const];
  for (const provider of providers) {
    try {
      const session = await ort.InferenceSession.create(path, {
        executionProviders: [provider],
        intraOpNumThreads: opts.threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
      return { session, provider, fallbacks };
    } catch (err) {
      fallbacks.push(`${provider}: ${errorMessage(err)}`);
    }
  }
  throw new ShoeboxError('MODEL_INVALID', `cannot open ${path}: ${fallbacks.join('; ')}`);
}

export interface TensorShape {
  name: string;
  dims: readonly (number | string)[];
}

export function inputShape(session: ort.InferenceSession, name: string): TensorShape {
  const meta = session.inputMetadata.find((m) => m.name === name);
  if (!meta?.isTensor) throw new ShoeboxError('MODEL_INVALID', `graph has no tensor input "${name}" (inputs: ${session.inputNames.join(', ')})`);
  return { name, dims: meta.shape };
}

export function outputShape(session: ort.InferenceSession, name: string): TensorShape {
  const meta = session.outputMetadata.find((m) => m.name === name);
  if (!meta?.isTensor) throw new ShoeboxError('MODEL_INVALID', `graph has no tensor output "${name}" (outputs: ${session.outputNames.join(', ')})`);
  return { name, dims: meta.shape };
}

export function staticDim(shape: TensorShape, axis: number): number | null {
  const d = shape.dims[axis];
  return typeof d === 'number' && d > 0 ? d : null;
}

/** L2-normalises each row in place; a zero row stays zero rather than turning into NaN. */
export function normaliseRows(data: Float32Array, dim: number): Float32Array {
  for (let off = 0; off < data.length; off += dim) {
    let sum = 0;
    for (let i = 0; i < dim; i++) sum += data[off + i]! * data[off + i]!;
    const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let i = 0; i < dim; i++) data[off + i]! *= inv;
  }
  return data;
}
