/**
 * The ONNX graph that scores photos against concepts, written byte by byte: onnx-proto is only a
 * development dependency and the graph needs five message types, so a protobuf writer of a few
 * lines is lighter than shipping a protobuf runtime.
 *
 *   scores = Concat(photos · conceptsᵀ, photos · genericᵀ)     [n, c + 1], the cosines
 *   probs  = Softmax(scale · (photos · conceptsᵀ))       [n, c], THE RULE's softmax
 *
 * The generic caption is a separate input so that the softmax needs no slice whose bounds depend
 * on the vocabulary's size: one session serves every vocabulary.
 */
const FLOAT = 1;
const ATTR_INT = 2;

/** Protobuf wire format: field keys, varints and length-delimited fields, concatenated. */
class Proto {
  readonly #parts: number[] = [];

  varint(field: number, value: number): this {
    this.#key(field, 0);
    this.#uvarint(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: Proto): this {
    return this.bytes(field, value.finish());
  }

  bytes(field: number, value: Uint8Array): this {
    this.#key(field, 2);
    this.#uvarint(value.length);
    for (const b of value) this.#parts.push(b);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#parts);
  }

  #key(field: number, wire: number): void {
    this.#uvarint(field * 8 + wire);
  }

  #uvarint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.#parts.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.#parts.push(v);
  }
}

/** ValueInfoProto of a float tensor; a string dimension is symbolic (the batch). */
function floatInfo(name: string, dims: (number | string)[]): Proto {
  const shape = new Proto();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new Proto().varint(1, d) : new Proto().string(2, d));
  const tensor = new Proto().varint(1, FLOAT).message(2, shape);
  return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
}

function node(op: string, inputs: string[], output: string, attrs: Proto[] = []): Proto {
  const p = new Proto();
  for (const i of inputs) p.string(1, i);
  p.string(2, output).string(3, output).string(4, op);
  for (const a of attrs) p.message(5, a);
  return p;
}

const intAttr = (name: string, value: number): Proto =>
  new Proto().string(1, name).varint(20, ATTR_INT).varint(3, value);

function scalar(name: string, value: number): Proto {
  // ONNX raw_data is little-endian, as is every platform Node ships for.
  const raw = new Uint8Array(Float32Array.of(value).buffer);
  return new Proto().varint(2, FLOAT).string(8, name).bytes(9, raw);
}

/**
 * The serialised model: inputs photos [n, d], concepts [c, d], generic [1, d], every size
 * symbolic, so one session serves every batch, vocabulary and model.
 */
export function scoreGraph(logitScale: number): Uint8Array {
  const transB = [intAttr('transB', 1)];
  const graph = new Proto()
    .message(1, node('Gemm', ['photos', 'concepts'], 'cos', transB))
    .message(1, node('Gemm', ['photos', 'generic'], 'cos_generic', transB))
    .message(1, node('Concat', ['cos', 'cos_generic'], 'scores', [intAttr('axis', 1)]))
    .message(1, node('Mul', ['cos', 'logit_scale'], 'logits'))
    .message(1, node('Softmax', ['logits'], 'probs', [intAttr('axis', 1)]))
    .string(2, 'shoebox-scores')
    .message(5, scalar('logit_scale', logitScale))
    .message(11, floatInfo('photos', ['n', 'd']))
    .message(11, floatInfo('concepts', ['c', 'd']))
    .message(11, floatInfo('generic', [1, 'd']))
    .message(12, floatInfo('scores', ['n', 'c1']))
    .message(12, floatInfo('probs', ['n', 'c']));
  const opset = new Proto().string(1, '').varint(2, 17);
  return new Proto().varint(1, 8).string(2, 'shoebox').message(7, graph).message(8, opset).finish();
}
