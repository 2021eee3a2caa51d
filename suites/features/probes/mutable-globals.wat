;; mutableGlobals: a module exports a mutable global (the proposal's point: mutable globals
;; may cross the module boundary), changes it and prints it.
;; expect: mutableGlobals: 42
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
  (global $counter (export "counter") (mut i32) (i32.const 40))
  (data (i32.const 64) "mutableGlobals:")
  (func (export "_start")
    (global.set $counter (i32.add (global.get $counter) (i32.const 2)))
    (call $write (i32.const 64) (i32.const 15))
    (call $n32 (global.get $counter))
    (call $nl))
)
