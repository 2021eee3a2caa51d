;; extendedConst: add, sub and mul in global initialisers and a data segment's offset
;; (constants only: a global.get of a module's own global there is the GC proposal's).
;; expect: extendedConst: 1042 -1000000000000 101
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
  (data (i32.const 64) "extendedConst:")
  (global $off i32 (i32.add (i32.const 1000) (i32.mul (i32.const 6) (i32.const 7))))
  (global $big i64 (i64.sub (i64.const 0) (i64.mul (i64.const 1000000) (i64.const 1000000))))
  (data (i32.add (i32.const 1000) (i32.const 24)) "ext")
  (func (export "_start")
    (call $write (i32.const 64) (i32.const 14))
    (call $n32 (global.get $off))
    (call $num (global.get $big))
    (call $n32 (i32.load8_u (i32.const 1024)))
    (call $nl))
)
