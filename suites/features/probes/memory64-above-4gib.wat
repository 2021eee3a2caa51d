;; memory64 above 4 GiB: the memory grows by 65536 pages (4 GiB) and a value is stored and
;; loaded at 4 GiB + 16, an address no 32-bit memory has. A runtime may refuse to grow
;; (memory.grow gives -1, printed, and nothing is stored): that is a limit it sets, shown
;; as a wrong result.
;; expect: memory64.above4GiB: 1 65537 4242
(module
  ;; ---- output (plain MVP but for 64-bit addresses: the only memory is memory64) ----
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; bytes 0-15: iovec and nwritten; 16-48: a number's digits; text from 64
  (func $write (param $p i64) (param $n i32)
    (i32.store (i64.const 0) (i32.wrap_i64 (local.get $p)))
    (i32.store (i64.const 4) (local.get $n))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then (call $proc_exit (i32.const 71)))))
  ;; writes " <v>", v signed decimal
  (func $num (param $v i64)
    (local $p i64) (local $neg i32) (local $u i64)
    (local.set $neg (i64.lt_s (local.get $v) (i64.const 0)))
    (local.set $u (select (i64.sub (i64.const 0) (local.get $v)) (local.get $v) (local.get $neg)))
    (local.set $p (i64.const 48))
    (loop $digit
      (local.set $p (i64.sub (local.get $p) (i64.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $u) (i64.const 10)))))
      (local.set $u (i64.div_u (local.get $u) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $u) (i64.const 0))))
    (if (local.get $neg)
      (then (local.set $p (i64.sub (local.get $p) (i64.const 1)))
            (i32.store8 (local.get $p) (i32.const 45))))
    (local.set $p (i64.sub (local.get $p) (i64.const 1)))
    (i32.store8 (local.get $p) (i32.const 32))
    (call $write (local.get $p) (i32.wrap_i64 (i64.sub (i64.const 48) (local.get $p)))))
  (func $nl (i32.store8 (i64.const 48) (i32.const 10)) (call $write (i64.const 48) (i32.const 1)))
  ;; ---- the probe ----
  (memory (export "memory") i64 1)
  (data (i64.const 64) "memory64.above4GiB:")
  (func (export "_start")
    (local $old i64)
    (call $write (i64.const 64) (i32.const 19))
    (local.set $old (memory.grow (i64.const 65536)))
    (call $num (local.get $old))
    (if (i64.ne (local.get $old) (i64.const -1))
      (then
        (call $num (memory.size))
        (i64.store (i64.const 0x100000010) (i64.const 4242))
        (call $num (i64.load (i64.const 0x100000010)))))
    (call $nl))
)
