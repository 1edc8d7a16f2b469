;; Base64 (RFC 4648 §4, the alphabet PutRecords' Data uses) of whole 3-byte groups, 16 output
;; characters per 12 input bytes with 128-bit SIMD (the method of W. Muła and D. Lemire, "Faster
;; Base64 Encoding and Decoding Using AVX2 Instructions", 2018, with shifts for its multiplies).
;; Compiled to base64SimdModule.ts by `npm run build:wasm` (test/unit/node/sink/base64Simd.test.ts
;; checks the two agree). Memory is fixed at 2 pages; the caller copies input to IN and output
;; from OUT (base64Encoder.ts): [0, 64) the alphabet, IN = 64 (49,152 bytes), OUT = 49,216 (65,536).
(module
  (memory (export "memory") 2 2)
  (data (i32.const 0) "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

  ;; Base64 of bytes [src, src + len) (len a multiple of 3) at dst; returns where it ends.
  (func (export "encode") (param $src i32) (param $len i32) (param $dst i32) (result i32)
    (local $end i32) (local $n i32) (local $in v128) (local $w v128) (local $idx v128) (local $reduced v128)
    (local.set $end (i32.add (local.get $src) (local.get $len)))
    ;; 48 bytes per turn while 52 can be read (each 16-byte load uses 12).
    (block $simd_done
      (loop $simd
        (br_if $simd_done (i32.gt_u (i32.add (local.get $src) (i32.const 52)) (local.get $end)))
        ;; Each group, written out four times (V8 does not inline a wasm call; a call per group was
        ;; 40% slower). Each 32-bit lane k gets the bytes of group k as [s1, s0, s2, s1]
        ;; (little-endian), so that each 6-bit index is one shift and mask away: i0 = s0 >> 2,
        ;; i1 = (s0 & 3) << 4 | s1 >> 4, i2 = (s1 & 15) << 2 | s2 >> 6, i3 = s2 & 63, in bytes 0..3 of
        ;; the lane. Then index → character by adding an offset chosen by range (swizzle of a table):
        ;; 0–25 → 'A' (entry 13), 26–51 → 'a' − 26 (entry 0), 52–61 → '0' − 52 (entries 1–10),
        ;; 62 → '+' − 62 (11), 63 → '/' − 63 (12).
        ;; Group 1 of 4: bytes [0, 12) → characters [0, 16).
        (local.set $w (i8x16.shuffle 1 0 2 1 4 3 5 4 7 6 8 7 10 9 11 10 (local.tee $in (v128.load offset=0 (local.get $src))) (local.get $in)))
        (local.set $idx
          (v128.or
            (v128.or
              (v128.and (i32x4.shr_u (local.get $w) (i32.const 10)) (v128.const i32x4 0x3f 0x3f 0x3f 0x3f))
              (v128.and (i32x4.shl (local.get $w) (i32.const 4)) (v128.const i32x4 0x3f00 0x3f00 0x3f00 0x3f00)))
            (v128.or
              (v128.and (i32x4.shr_u (local.get $w) (i32.const 6)) (v128.const i32x4 0x3f0000 0x3f0000 0x3f0000 0x3f0000))
              (v128.and (i32x4.shl (local.get $w) (i32.const 8)) (v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000)))))
        (local.set $reduced
          (v128.or
            (i8x16.sub_sat_u (local.get $idx) (v128.const i8x16 51 51 51 51 51 51 51 51 51 51 51 51 51 51 51 51))
            (v128.and
              (i8x16.lt_u (local.get $idx) (v128.const i8x16 26 26 26 26 26 26 26 26 26 26 26 26 26 26 26 26))
              (v128.const i8x16 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13))))
        (v128.store offset=0 (local.get $dst)
          (i8x16.add (local.get $idx)
            (i8x16.swizzle (v128.const i8x16 71 -4 -4 -4 -4 -4 -4 -4 -4 -4 -4 -19 -16 65 0 0) (local.get $reduced))))
        ;; Group 2 of 4: bytes [12, 24) → characters [16, 32).
        (local.set $w (i8x16.shuffle 1 0 2 1 4 3 5 4 7 6 8 7 10 9 11 10 (local.tee $in (v128.load offset=12 (local.get $src))) (local.get $in)))
        (local.set $idx
          (v128.or
            (v128.or
              (v128.and (i32x4.shr_u (local.get $w) (i32.const 10)) (v128.const i32x4 0x3f 0x3f 0x3f 0x3f))
              (v128.and (i32x4.shl (local.get $w) (i32.const 4)) (v128.const i32x4 0x3f00 0x3f00 0x3f00 0x3f00)))
            (v128.or
              (v128.and (i32x4.shr_u (local.get $w) (i32.const 6)) (v128.const i32x4 0x3f0000 0x3f0000 0x3f0000 0x3f0000))
              (v128.and (i32x4.shl (local.get $w) (i32.const 8)) (v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000)))))
        (local.set $reduced
          (v128.or
            (i8x16.sub_sat_u (local.get $idx) (v128.const i8x16 51 51 51 51 51 51 51 51 51 51 51 51 51 51 51 51))
            (v128.and
              (i8x16.lt_u (local.get $idx) (v128.const i8x16 26 26 26 26 26 26 26 26 26 26 26 26 26 26 26 26))
              (v128.const i8x16 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13))))
        (v128.store offset=16 (local.get $dst)
          (i8x16.add (local.get $idx)
            (i8x16.swizzle (v128.const i8x16 71 -4 -4 -4 -4 -4 -4 -4 -4 -4 -4 -19 -16 65 0 0) (local.get $reduced))))
        ;; Group 3 of 4: bytes [24, 36) → characters [32, 48).
        (local.set $w (i8x16.shuffle 1 0 2 1 4 3 5 4 7 6 8 7 10 9 11 10 (local.tee $in (v128.load offset=24 (local.get $src))) (local.get $in)))
        (local.set $idx
          (v128.or
            (v128.or
              (v128.and (i32x4.shr_u (local.get $w) (i32.const 10)) (v128.const i32x4 0x3f 0x3f 0x3f 0x3f))
              (v128.and (i32x4.shl (local.get $w) (i32.const 4)) (v128.const i32x4 0x3f00 0x3f00 0x3f00 0x3f00)))
            (v128.or
              (v128.and (i32x4.shr_u (local.get $w) (i32.const 6)) (v128.const i32x4 0x3f0000 0x3f0000 0x3f0000 0x3f0000))
              (v128.and (i32x4.shl (local.get $w) (i32.const 8)) (v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000)))))
        (local.set $reduced
          (v128.or
            (i8x16.sub_sat_u (local.get $idx) (v128.const i8x16 51 51 51 51 51 51 51 51 51 51 51 51 51 51 51 51))
            (v128.and
              (i8x16.lt_u (local.get $idx) (v128.const i8x16 26 26 26 26 26 26 26 26 26 26 26 26 26 26 26 26))
              (v128.const i8x16 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13))))
        (v128.store offset=32 (local.get $dst)
          (i8x16.add (local.get $idx)
            (i8x16.swizzle (v128.const i8x16 71 -4 -4 -4 -4 -4 -4 -4 -4 -4 -4 -19 -16 65 0 0) (local.get $reduced))))
        ;; Group 4 of 4: bytes [36, 48) → characters [48, 64).
        (local.set $w (i8x16.shuffle 1 0 2 1 4 3 5 4 7 6 8 7 10 9 11 10 (local.tee $in (v128.load offset=36 (local.get $src))) (local.get $in)))
        (local.set $idx
          (v128.or
            (v128.or
              (v128.and (i32x4.shr_u (local.get $w) (i32.const 10)) (v128.const i32x4 0x3f 0x3f 0x3f 0x3f))
              (v128.and (i32x4.shl (local.get $w) (i32.const 4)) (v128.const i32x4 0x3f00 0x3f00 0x3f00 0x3f00)))
            (v128.or
              (v128.and (i32x4.shr_u (local.get $w) (i32.const 6)) (v128.const i32x4 0x3f0000 0x3f0000 0x3f0000 0x3f0000))
              (v128.and (i32x4.shl (local.get $w) (i32.const 8)) (v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000)))))
        (local.set $reduced
          (v128.or
            (i8x16.sub_sat_u (local.get $idx) (v128.const i8x16 51 51 51 51 51 51 51 51 51 51 51 51 51 51 51 51))
            (v128.and
              (i8x16.lt_u (local.get $idx) (v128.const i8x16 26 26 26 26 26 26 26 26 26 26 26 26 26 26 26 26))
              (v128.const i8x16 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13))))
        (v128.store offset=48 (local.get $dst)
          (i8x16.add (local.get $idx)
            (i8x16.swizzle (v128.const i8x16 71 -4 -4 -4 -4 -4 -4 -4 -4 -4 -4 -19 -16 65 0 0) (local.get $reduced))))
        (local.set $src (i32.add (local.get $src) (i32.const 48)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (br $simd)))
    ;; The last groups one at a time, through the alphabet at 0.
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.gt_u (i32.add (local.get $src) (i32.const 3)) (local.get $end)))
        (local.set $n (i32.or (i32.or
          (i32.shl (i32.load8_u (local.get $src)) (i32.const 16))
          (i32.shl (i32.load8_u offset=1 (local.get $src)) (i32.const 8)))
          (i32.load8_u offset=2 (local.get $src))))
        (i32.store8 offset=0 (local.get $dst) (i32.load8_u (i32.shr_u (local.get $n) (i32.const 18))))
        (i32.store8 offset=1 (local.get $dst) (i32.load8_u (i32.and (i32.shr_u (local.get $n) (i32.const 12)) (i32.const 63))))
        (i32.store8 offset=2 (local.get $dst) (i32.load8_u (i32.and (i32.shr_u (local.get $n) (i32.const 6)) (i32.const 63))))
        (i32.store8 offset=3 (local.get $dst) (i32.load8_u (i32.and (local.get $n) (i32.const 63))))
        (local.set $src (i32.add (local.get $src) (i32.const 3)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $tail)))
    (local.get $dst))
)
