;; wideArithmetic: 128-bit add and subtract with carry across the halves, and the widening
;; 64x64->128 multiplications, unsigned and signed (low half printed first).
;; expect: wideArithmetic: 0 1 -1 0 -2 1 -12 -1
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
  (data (i32.const 64) "wideArithmetic:")
  (func $print2 (param i64 i64) (call $num (local.get 0)) (call $num (local.get 1)))
  (func (export "_start")
    (call $write (i32.const 64) (i32.const 15))
    (call $print2 (i64.add128 (i64.const -1) (i64.const 0) (i64.const 1) (i64.const 0)))
    (call $print2 (i64.sub128 (i64.const 0) (i64.const 1) (i64.const 1) (i64.const 0)))
    (call $print2 (i64.mul_wide_u (i64.const -1) (i64.const 2)))
    (call $print2 (i64.mul_wide_s (i64.const -3) (i64.const 4)))
    (call $nl))
)
