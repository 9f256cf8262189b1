;; The dot products behind every held-vector search (int16-dots.ts holds this module assembled; its
;; test assembles this text with wabt and checks the two agree). WebAssembly SIMD multiplies eight
;; 16-bit pairs and adds them pairwise in one instruction (i32x4.dot_i16x8_s); V8's scalar loop
;; over an Int16Array took 1.2 us a 512-component row, about ten times as long.
(module
  (memory (export "memory") 1)

  ;; For each of `n` rows of `dim` 16-bit components laid one after another from `rows`, its dot
  ;; product with the `dim` components at `query`, as a float at `out` + 4 * row. `dim` is a
  ;; multiple of 8. Each pairwise sum fits 32 bits (2 * 32767^2 < 2^31); the sums are added as
  ;; floats, so no row, however long, overflows.
  (func (export "dots") (param $query i32) (param $rows i32) (param $n i32) (param $dim i32) (param $out i32)
    (local $bytes i32)
    (local $end i32)
    (local $k i32)
    (local $acc v128)
    (local.set $bytes (i32.shl (local.get $dim) (i32.const 1)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (block $row_done
          (loop $step
            (br_if $row_done (i32.ge_u (local.get $k) (local.get $bytes)))
            (local.set $acc
              (f32x4.add
                (local.get $acc)
                (f32x4.convert_i32x4_s
                  (i32x4.dot_i16x8_s
                    (v128.load (i32.add (local.get $rows) (local.get $k)))
                    (v128.load (i32.add (local.get $query) (local.get $k)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $step)))
        (f32.store
          (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $rows (i32.add (local.get $rows) (local.get $bytes)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $row)))))
