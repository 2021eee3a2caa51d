;; threads: a shared memory (as a threaded C program has: WASI writes through it too) and
;; the atomic operators: store, rmw.add, rmw.cmpxchg, load, notify with no waiter, wait32
;; on a value that differs ("not-equal", 1) and on the value with a 1 ms timeout
;; ("timed-out", 2), and a fence.
;; expect: threads: 40 42 7 0 1 2
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
  (memory (export "memory") 1 1 shared)
  (data (i32.const 64) "threads:")
  (func (export "_start")
    (call $write (i32.const 64) (i32.const 8))
    (i32.atomic.store (i32.const 128) (i32.const 40))
    (call $n32 (i32.atomic.rmw.add (i32.const 128) (i32.const 2)))
    (call $n32 (i32.atomic.rmw.cmpxchg (i32.const 128) (i32.const 42) (i32.const 7)))
    (atomic.fence)
    (call $n32 (i32.atomic.load (i32.const 128)))
    (call $n32 (memory.atomic.notify (i32.const 128) (i32.const 1)))
    (call $n32 (memory.atomic.wait32 (i32.const 128) (i32.const 99) (i64.const -1)))
    (call $n32 (memory.atomic.wait32 (i32.const 128) (i32.const 7) (i64.const 1000000)))
    (call $nl))
)
