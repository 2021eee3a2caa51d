;; typedFunctionReferences: a typed non-null function reference passed as a parameter and
;; called with call_ref; br_on_null telling a null reference from a function;
;; ref.as_non_null on a nullable one.
;; expect: typedFunctionReferences: 42 0 1 11
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
  (data (i32.const 64) "typedFunctionReferences:")
  (type $ii (func (param i32) (result i32)))
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (elem declare func $inc)
  (func $apply (param $f (ref $ii)) (param $x i32) (result i32)
    (call_ref $ii (local.get $x) (local.get $f)))
  (func $is_func (param $f (ref null $ii)) (result i32)
    (block $null
      (br_on_null $null (local.get $f))
      (drop)
      (return (i32.const 1)))
    (i32.const 0))
  (func (export "_start")
    (local $g (ref null $ii))
    (call $write (i32.const 64) (i32.const 24))
    (call $n32 (call $apply (ref.func $inc) (i32.const 41)))
    (call $n32 (call $is_func (ref.null $ii)))
    (call $n32 (call $is_func (ref.func $inc)))
    (local.set $g (ref.func $inc))
    (call $n32 (call_ref $ii (i32.const 10) (ref.as_non_null (local.get $g))))
    (call $nl))
)
