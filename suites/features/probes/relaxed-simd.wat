;; relaxedSimd: the relaxed operators on inputs where every allowed implementation agrees
;; (in-range truncation and swizzle indices, exact fused multiply-add, all-ones/all-zeros
;; lane-select masks, min without NaN or signed zeros), so the result is deterministic.
;; expect: relaxedSimd: 1 -2 100 0 21 31 41 51 15 0 1 6 3 8 1 2 -3 2
(module
  ;; ---- output (plain MVP: nothing here uses a post-MVP feature) ----
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; bytes 0-15: iovec and nwritten; 16-48: a number's digits; text from 64
  (func $write (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $n))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then (call $proc_exit (i32.const 71)))))
  ;; writes " <v>", v signed decimal
  (func $num (param $v i64)
    (local $p i32) (local $neg i32) (local $u i64)
    (local.set $neg (i64.lt_s (local.get $v) (i64.const 0)))
    (local.set $u (select (i64.sub (i64.const 0) (local.get $v)) (local.get $v) (local.get $neg)))
    (local.set $p (i32.const 48))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $u) (i64.const 10)))))
      (local.set $u (i64.div_u (local.get $u) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $u) (i64.const 0))))
    (if (local.get $neg)
      (then (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (i32.store8 (local.get $p) (i32.const 45))))
    (local.set $p (i32.sub (local.get $p) (i32.const 1)))
    (i32.store8 (local.get $p) (i32.const 32))
    (call $write (local.get $p) (i32.sub (i32.const 48) (local.get $p))))
  (func $n32 (param $v i32) (call $num (i64.extend_i32_s (local.get $v))))
  (func $nl (i32.store8 (i32.const 48) (i32.const 10)) (call $write (i32.const 48) (i32.const 1)))
  ;; ---- the probe ----
  (memory (export "memory") 1)
  (data (i32.const 64) "relaxedSimd:")
  (func $lanes (param $v v128)
    (call $n32 (i32x4.extract_lane 0 (local.get $v)))
    (call $n32 (i32x4.extract_lane 1 (local.get $v)))
    (call $n32 (i32x4.extract_lane 2 (local.get $v)))
    (call $n32 (i32x4.extract_lane 3 (local.get $v))))
  (func (export "_start")
    (local $bytes v128)
    (call $write (i32.const 64) (i32.const 12))
    (call $lanes (i32x4.relaxed_trunc_f32x4_s (v128.const f32x4 1.5 -2.5 100.9 -0.5)))
    (call $lanes (i32x4.trunc_sat_f32x4_s
                   (f32x4.relaxed_madd (v128.const f32x4 2 3 4 5) (v128.const f32x4 10 10 10 10)
                                       (v128.const f32x4 1 1 1 1))))
    (local.set $bytes (i8x16.relaxed_swizzle
                        (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
                        (v128.const i8x16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0)))
    (call $n32 (i8x16.extract_lane_u 0 (local.get $bytes)))
    (call $n32 (i8x16.extract_lane_u 15 (local.get $bytes)))
    (call $lanes (i32x4.relaxed_laneselect (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8)
                                           (v128.const i32x4 -1 0 -1 0)))
    (call $lanes (i32x4.trunc_sat_f32x4_s
                   (f32x4.relaxed_min (v128.const f32x4 1 5 -3 2) (v128.const f32x4 4 2 -1 2))))
    (call $nl))
)
