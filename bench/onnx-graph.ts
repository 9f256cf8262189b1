// A small builder for ONNX graphs with seeded random weights, in the style of
// tests/support/test-model.ts: onnx-proto messages, weights as little-endian raw_data.
import { endianness } from 'node:os';
// onnx-proto is CommonJS assigning `module.exports = root`, which Node cannot split into named
// ESM exports, so the value comes through the default import and the types separately.
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import { uniform01 } from './random.ts';

const { onnx } = onnxProto;

export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT64 = onnx.TensorProto.DataType.INT64;

type Dim = number | string;
type Attr = Onnx.IAttributeProto;

export const intAttr = (name: string, i: number): Attr => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
export const intsAttr = (name: string, ints: number[]): Attr => ({
  name,
  type: onnx.AttributeProto.AttributeType.INTS,
  ints,
});
export const floatAttr = (name: string, f: number): Attr => ({
  name,
  type: onnx.AttributeProto.AttributeType.FLOAT,
  f,
});

/** FNV-1a, so each tensor's values depend only on the seed and its name, not on build order. */
function nameSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function rawBytes(values: Float32Array | BigInt64Array): Uint8Array {
  // On little-endian hosts (every platform Node ships for) the array's own bytes are the
  // ONNX layout; a big-endian host would need a swap that no supported target requires.
  if (endianness() !== 'LE') throw new Error('the benchmark model generator needs a little-endian host');
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function valueInfo(name: string, elemType: number, dims: Dim[]): Onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** Collects nodes and initializers; every op gets a unique output name from its prefix. */
export class GraphBuilder {
  readonly nodes: Onnx.INodeProto[] = [];
  readonly initializers: Onnx.ITensorProto[] = [];
  readonly #seed: number;
  #counter = 0;

  constructor(seed: number) {
    this.#seed = seed;
  }

  /** A float weight, uniform with standard deviation `std` around `mean`. */
  weight(name: string, dims: number[], std: number, mean = 0): string {
    const n = dims.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    if (std === 0) values.fill(mean);
    else {
      const rand = uniform01(nameSeed(this.#seed, name));
      const half = std * Math.sqrt(3);
      for (let i = 0; i < n; i++) values[i] = mean + (rand() * 2 - 1) * half;
    }
    return this.floats(name, dims, values);
  }

  floats(name: string, dims: number[], values: Float32Array): string {
    this.initializers.push({ name, dims, dataType: FLOAT, rawData: rawBytes(values) });
    return name;
  }

  ints(name: string, values: number[], dims: number[] = [values.length]): string {
    this.initializers.push({ name, dims, dataType: INT64, rawData: rawBytes(BigInt64Array.from(values.map(BigInt))) });
    return name;
  }

  scalar(name: string, value: number): string {
    return this.floats(name, [], Float32Array.of(value));
  }

  op(opType: string, inputs: string[], prefix: string, attribute: Attr[] = []): string {
    const out = `${prefix}/${opType}_${this.#counter++}`;
    this.nodes.push({ opType, input: inputs, output: [out], attribute, name: out });
    return out;
  }

  /** Renames the last node's output, so a graph output carries the name the app looks for. */
  nameLast(name: string): string {
    const last = this.nodes[this.nodes.length - 1]!;
    last.output = [name];
    return name;
  }

  encode(name: string, inputs: [string, number, Dim[]][], outputs: [string, number, Dim[]][]): Uint8Array {
    const graph: Onnx.IGraphProto = {
      name,
      node: this.nodes,
      initializer: this.initializers,
      input: inputs.map(([n, t, d]) => valueInfo(n, t, d)),
      output: outputs.map(([n, t, d]) => valueInfo(n, t, d)),
    };
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'shoebox-bench',
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
