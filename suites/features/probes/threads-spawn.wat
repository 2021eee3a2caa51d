;; threads (wasi-threads): thread-spawn starts wasi_thread_start on a new thread sharing the
;; imported memory; the thread adds 42 to a counter and notifies; the main thread waits on
;; the counter with memory.atomic.wait32 until it changes.
;; Prints whether the thread id is positive, then the counter.
;; expect: threads.spawn: 1 42
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
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
  (export "memory" (memory 0))
  (data (i32.const 64) "threads.spawn:")
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (i32.atomic.rmw.add (local.get $arg) (i32.const 42)))
    (drop (memory.atomic.notify (local.get $arg) (i32.const 1))))
  (func (export "_start")
    (local $tid i32) (local $tries i32)
    (i32.atomic.store (i32.const 128) (i32.const 0))
    (local.set $tid (call $spawn (i32.const 128)))
    (call $write (i32.const 64) (i32.const 14))
    (call $n32 (i32.gt_s (local.get $tid) (i32.const 0)))
    (if (i32.gt_s (local.get $tid) (i32.const 0))
      (then
        (loop $wait   ;; at most 100 waits of 100 ms
          (if (i32.eqz (i32.atomic.load (i32.const 128)))
            (then
              (drop (memory.atomic.wait32 (i32.const 128) (i32.const 0) (i64.const 100000000)))
              (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
              (br_if $wait (i32.lt_u (local.get $tries) (i32.const 100))))))))
    (call $n32 (i32.atomic.load (i32.const 128)))
    (call $nl))
)
