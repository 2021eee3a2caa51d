// wasmatrix launcher: runs one WASI preview1 command module with the `node:wasi` module of
// the JS runtime executing this file (Node.js, Bun or Deno; see node.yaml, bun.yaml, deno.yaml).
//
//   <js-runtime> node-wasi.mjs [--env=K=V]... [--dir=HOST::GUEST]... [--] MODULE [ARG...]
//
// The guest gets exactly the given arguments (argv[0] = MODULE's file name), exactly the given
// environment (nothing of the host's), the given preopens and fds 0/1/2 of this process.
// Exit status:
//   guest's proc_exit code, or 0 when _start returns;
//   134 + stderr "node-wasi: wasm trap: ..."          the guest trapped (RuntimeError, stack overflow);
//   126 + stderr "node-wasi: module refused: ..."     compile or link error (invalid module, missing import);
//   2   + stderr "node-wasi: usage: ..."              bad launcher arguments or unreadable module;
//   70  + stderr "node-wasi: internal error: ..."     anything else thrown by the host.
// Sources: https://nodejs.org/api/wasi.html (WASI options, getImportObject, returnOnExit);
// Bun's node:wasi has no getImportObject() and ends the process itself on proc_exit
// (https://bun.sh/reference/node/wasi: "partially implemented"; seen on Bun 1.4.5); Deno's node:wasi
// (denoland/deno ext/node/polyfills/wasi.ts) returns the exit code like Node's.
import { readFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
// Use the global `process`, never `import ... from 'node:process'` nor process.stdin/stdout/
// stderr: Node's ESM wrapper of node:process reads those getters, which turns pipes on fds
// 0/1/2 non-blocking, and the guest then fails with EAGAIN on a large stdin or stdout.

// node:wasi announces itself with an ExperimentalWarning on stderr when it is loaded (Node.js,
// and Deno even with NODE_NO_WARNINGS=1); drop that one warning so the guest's stderr is its own.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0] && rest[0].type;
  if (type === 'ExperimentalWarning' && /WASI/.test(String(warning))) return;
  return emitWarning.call(this, warning, ...rest);
};
const { WASI } = await import('node:wasi');

function die(code, what, msg) {
  writeSync(2, `node-wasi: ${what}: ${msg}\n`);
  process.exit(code);
}

// ---- arguments: launcher options, then the module, then the guest's arguments ----
const argv = process.argv.slice(2);
const env = {};
const preopens = {};
let i = 0;
for (; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--') { i++; break; }
  if (a.startsWith('--env=')) {
    const kv = a.slice(6), eq = kv.indexOf('=');
    if (eq <= 0) die(2, 'usage', `--env needs K=V, got '${kv}'`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  } else if (a.startsWith('--dir=')) {
    const spec = a.slice(6), sep = spec.indexOf('::');
    if (sep <= 0) die(2, 'usage', `--dir needs HOST::GUEST, got '${spec}'`);
    preopens[spec.slice(sep + 2)] = spec.slice(0, sep);  // node:wasi maps guest -> host
  } else if (a.startsWith('--')) {
    die(2, 'usage', `unknown option '${a}'`);
  } else break;
}
if (i >= argv.length) die(2, 'usage', 'node-wasi.mjs [--env=K=V]... [--dir=HOST::GUEST]... [--] MODULE [ARG...]');
const modulePath = argv[i];
const args = [basename(modulePath), ...argv.slice(i + 1)];

let bytes;
try { bytes = readFileSync(modulePath); } catch (e) { die(2, 'usage', `cannot read ${modulePath}: ${e.message}`); }

// ---- instantiate: errors here mean the runtime refused the module ----
let wasi;
try {
  wasi = new WASI({
    version: 'preview1', args, env, preopens, returnOnExit: true, stdin: 0, stdout: 1, stderr: 2,
  });
} catch (e) {  // e.g. Deno without --allow-write for a preopen
  die(70, 'internal error', `cannot set up WASI: ${e && e.name}: ${e && e.message}`);
}
const imports = typeof wasi.getImportObject === 'function'
  ? wasi.getImportObject()
  : { wasi_snapshot_preview1: wasi.wasiImport };  // Bun
let instance;
try {
  instance = (await WebAssembly.instantiate(bytes, imports)).instance;
} catch (e) {
  if (e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError ||
      e instanceof TypeError)  // TypeError: an import module is not an object (e.g. "env")
    die(126, 'module refused', `${e.name}: ${e.message}`);
  die(70, 'internal error', `${e && e.name}: ${e && e.message}`);
}

// ---- run: a RuntimeError (or a call-stack RangeError) is a wasm trap ----
let code;
try {
  code = wasi.start(instance);
} catch (e) {
  if (e instanceof WebAssembly.RuntimeError ||
      (e instanceof RangeError && /call stack/i.test(e.message)))
    die(134, 'wasm trap', `${e.name}: ${e.message}`);
  die(70, 'internal error', `${e && e.name}: ${e && e.message}`);
}
process.exit(typeof code === 'number' ? code : 0);
