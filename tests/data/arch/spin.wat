;; Never ends: tests/t_arch.sh times it out to see the emulated timeout scaled.
(module
  (memory (export "memory") 1)
  (func (export "_start") (loop $l (br $l))))
