;; Prints the bits of 0.0/0.0 (f32 and f64), computed at run time from memory so no
;; compiler folds them: "f32 ffc00000\nf64 fff8000000000000\n" on x86-64, whose default NaN
;; is negative, "f32 7fc00000\nf64 7ff8000000000000\n" on aarch64 (positive). The spec lets a
;; NaN produced by arithmetic have either sign (nondeterministic); tests/t_arch.sh uses it as
;; a real cross-architecture difference.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0..7: f64 zero, 8..11: f32 zero, 16..: "0123456789abcdef", 64..: the line
  (data (i32.const 16) "0123456789abcdef")
  (func $hex (param $v i64) (param $digits i32) (param $at i32)
    (local $k i32)
    (loop $l
      (local.set $k (i32.sub (local.get $digits) (i32.const 1)))
      (i32.store8 (i32.add (local.get $at) (local.get $k))
        (i32.load8_u (i32.add (i32.const 16) (i32.wrap_i64 (i64.and (local.get $v) (i64.const 15))))))
      (local.set $v (i64.shr_u (local.get $v) (i64.const 4)))
      (local.set $digits (local.get $k))
      (br_if $l (local.get $digits))))
  (func $line (param $len i32)
    (i32.store (i32.const 32) (i32.const 64))
    (i32.store (i32.const 36) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40))))
  (func (export "_start")
    ;; "f32 xxxxxxxx\n"
    (i32.store (i32.const 64) (i32.const 0x20323366))
    (call $hex (i64.extend_i32_u (i32.reinterpret_f32
      (f32.div (f32.load (i32.const 8)) (f32.load (i32.const 8))))) (i32.const 8) (i32.const 68))
    (i32.store8 (i32.const 76) (i32.const 10))
    (call $line (i32.const 13))
    ;; "f64 xxxxxxxxxxxxxxxx\n"
    (i32.store (i32.const 64) (i32.const 0x20343666))
    (call $hex (i64.reinterpret_f64
      (f64.div (f64.load (i32.const 0)) (f64.load (i32.const 0)))) (i32.const 16) (i32.const 68))
    (i32.store8 (i32.const 84) (i32.const 10))
    (call $line (i32.const 21))))
