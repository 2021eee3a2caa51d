#!/usr/bin/env python3
"""gen.py DIR - writes small hand-made components (tests/t_compinspect.sh reads them; the
committed copies next to this script seed the wasm fuzzer, scripts/fuzz.sh). Each is built
from the component binary format (component-model design/mvp/Binary.md) byte by byte, so
every section kind the reader follows is exercised: types (instance, component, function,
value, resource), imports, a nested core module and component, instances, aliases, exports."""
import os
import sys


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7f
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def vec(items):
    return leb(len(items)) + b"".join(items)


def name(s):
    s = s.encode()
    return leb(len(s)) + s


def xname(s):          # importname' / exportname': 0x00 len name
    return b"\x00" + name(s)


def section(sid, body):
    return bytes([sid]) + leb(len(body)) + body


HEAD = b"\0asm\x0d\x00\x01\x00"
CORE = b"\0asm\x01\x00\x00\x00"


def component(*sections):
    return HEAD + b"".join(sections)


def instance_type(exports):
    """0x42 decls: a func type, then each export (func or resource type)"""
    decls = [b"\x01\x40\x00\x01\x00"]  # type 0: func() -> ()
    for n, kind in exports:
        if kind == "func":
            decls.append(b"\x04" + xname(n) + b"\x01" + leb(0))
        else:
            decls.append(b"\x04" + xname(n) + b"\x03\x01")
    return b"\x42" + vec(decls)


def command(version, run_version=None, extra_types=b""):
    """imports wasi:cli/environment@V (get-arguments, a resource), exports wasi:cli/run@V
    from an instance of a nested component exporting 'run'"""
    run_version = run_version or version
    types = section(7, vec([instance_type([("get-arguments", "func"), ("thing", "type")])]))
    imp = section(10, vec([xname("wasi:cli/environment@" + version) + b"\x05" + leb(0)]))
    core = section(1, CORE)
    # nested: type 0 = func() -> (); import "f" (func (type 0)); export "run" (func 0)
    nested = component(section(7, vec([b"\x40\x00\x01\x00"])),
                       section(10, vec([xname("f") + b"\x01" + leb(0)])),
                       section(11, vec([xname("run") + b"\x01" + leb(0) + b"\x00"])))
    comp = section(4, nested)
    # alias the imported instance's func (not needed by the view, read anyway)
    alias = section(6, vec([b"\x01" + b"\x00" + leb(0) + name("get-arguments")]))
    inst = section(5, vec([b"\x00" + leb(0) + vec([name("f") + b"\x01" + leb(0)])]))
    exp = section(11, vec([xname("wasi:cli/run@" + run_version) + b"\x05" + leb(1) + b"\x00"]))
    return component(types, imp, core, comp, alias, inst, exp)


def service():
    """0.3: imports wasi:http/types@0.3.0, exports wasi:http/handler@0.3.0 as an instance of
    inline exports, with a type ascription (an instance type naming 'handle')"""
    types = section(7, vec([instance_type([("request", "type"), ("response", "type")]),
                            instance_type([("handle", "func")]),
                            b"\x43\x00\x01\x00",           # async func() -> ()
                            b"\x66\x00", b"\x65\x01\x73",  # stream, future<string>
                            b"\x3f\x7f\x00"]))             # resource (rep i32)
    imp = section(10, vec([xname("wasi:http/types@0.3.0") + b"\x05" + leb(0),
                           xname("handle-impl") + b"\x01" + leb(2)]))
    inst = section(5, vec([b"\x01" + vec([xname("handle") + b"\x01" + leb(0)])]))
    exp = section(11, vec([xname("wasi:http/handler@0.3.0") + b"\x05" + leb(1) + b"\x01\x05" + leb(1)]))
    return component(types, imp, inst, exp)


def nested_types(depth):
    """an instance type holding an instance type ... depth deep"""
    t = b"\x42\x00"
    for _ in range(depth):
        t = b"\x42" + vec([b"\x01" + t])
    return component(section(7, vec([t])))


def nested_components(depth):
    c = HEAD
    for _ in range(depth):
        c = component(section(4, c))
    return c


def shared_type(nimports, nmembers):
    """one instance type of nmembers functions, imported nimports times: the JSON view lists
    the members once, then names the import that lists them (no quadratic view)"""
    types = section(7, vec([instance_type([("f%d" % i, "func") for i in range(nmembers)])]))
    imp = section(10, vec([xname("wasi:x/y%d@0.2.0" % i) + b"\x05" + leb(0) for i in range(nimports)]))
    return component(types, imp)


CASES = {
    "p2-command.wasm": command("0.2.3"),
    "p3-command.wasm": command("0.3.0-rc-2025-09-16", run_version="0.2.0"),
    "p3-service.wasm": service(),
    "types-31-deep.wasm": nested_types(31),
    "types-40-deep.wasm": nested_types(40),
    "components-9-deep.wasm": nested_components(9),
    "core-in-component-section.wasm": component(section(4, CORE)),
    "component-in-core-section.wasm": component(section(1, HEAD)),
    "unknown-section.wasm": component(section(12, b"")),
    "type-index-out-of-range.wasm": component(section(10, vec([xname("wasi:io/poll@0.2.0") + b"\x05" + leb(99)]))),
    "bad-valuebound.wasm": component(section(10, vec([xname("v") + b"\x02\x07"]))),
    "huge-member-count.wasm": component(section(7, vec([b"\x42" + leb(0xffffffff)]))),
    "shared-type.wasm": shared_type(3, 20),
}

if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for n, data in CASES.items():
        with open(os.path.join(out, n), "wb") as f:
            f.write(data)
