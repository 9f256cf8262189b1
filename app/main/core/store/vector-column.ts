/** A LanceDB vector cell (an Arrow vector, a typed array or a plain array) as a Float32Array. */
export function toVector(value: unknown): Float32Array {
  const v = value as { toArray?: () => Float32Array } | Float32Array | number[];
  if (v instanceof Float32Array) return v;
  if (Array.isArray(v)) return Float32Array.from(v);
  return Float32Array.from(v.toArray!());
}
