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
//
// Warm mode (docs/adapters.md "Warm launchers"; node.yaml and deno.yaml `launcher`):
//
//   <js-runtime> node-wasi.mjs --serve
//
// runs many modules, one after the other, each exactly as above: a fresh WASI instance and a
// freshly compiled module, its own arguments, environment and preopens, the given working
// directory, and its own stdin/stdout/stderr: named pipes (FIFOs) the harness made for that run
// (stdin '' is /dev/null, as in the cold path). Requests come on fd 0, answers go on fd 1:
//   request: "<n>\n" then n NUL-terminated words: CWD STDIN STDOUT STDERR, then the cold
//            path's launcher arguments ([--env=K=V]... [--dir=HOST::GUEST]... -- MODULE ARG...)
//   answers: "ready\n" once the three streams are open, then "exit <code>\n" after they are
//            closed (<code> as the cold path's exit status, and its "node-wasi: ..." line on the
//            run's stderr); "exit <code> recycle\n" when this run may have left host descriptors
//            open (it had preopens: node:wasi never closes their descriptors nor the files the
//            guest left open beneath them; or the lowest free descriptor moved): the launcher
//            then ends and the harness starts a new one for the next run.
// Bun has no warm mode: its node:wasi writes to the process's own fds 1 and 2 whatever the
// stdout/stderr options say, and its proc_exit ends the process.
// Sources: https://nodejs.org/api/wasi.html (WASI options, getImportObject, returnOnExit);
// Bun's node:wasi has no getImportObject() and ends the process itself on proc_exit
// (https://bun.sh/reference/node/wasi: "partially implemented"; seen on Bun 1.4.5); Deno's node:wasi
// (denoland/deno ext/node/polyfills/wasi.ts) returns the exit code like Node's.
import { readFileSync, writeSync, readSync, openSync, closeSync, constants as fsc } from 'node:fs';
import { Buffer } from 'node:buffer';
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

// One run of a module. argv is the cold path's launcher arguments, io the guest's fds 0/1/2.
// Returns the exit status the cold path exits with; its "node-wasi: ..." line goes to io.err.
async function runModule(argv, io) {
  const die = (code, what, msg) => {
    writeSync(io.err, `node-wasi: ${what}: ${msg}\n`);
    return code;
  };
  // ---- arguments: launcher options, then the module, then the guest's arguments ----
  const env = {};
  const preopens = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (a.startsWith('--env=')) {
      const kv = a.slice(6), eq = kv.indexOf('=');
      if (eq <= 0) return die(2, 'usage', `--env needs K=V, got '${kv}'`);
      env[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (a.startsWith('--dir=')) {
      const spec = a.slice(6), sep = spec.indexOf('::');
      if (sep <= 0) return die(2, 'usage', `--dir needs HOST::GUEST, got '${spec}'`);
      preopens[spec.slice(sep + 2)] = spec.slice(0, sep);  // node:wasi maps guest -> host
    } else if (a.startsWith('--')) {
      return die(2, 'usage', `unknown option '${a}'`);
    } else break;
  }
  if (i >= argv.length) return die(2, 'usage', 'node-wasi.mjs [--env=K=V]... [--dir=HOST::GUEST]... [--] MODULE [ARG...]');
  const modulePath = argv[i];
  const args = [basename(modulePath), ...argv.slice(i + 1)];

  let bytes;
  try { bytes = readFileSync(modulePath); } catch (e) { return die(2, 'usage', `cannot read ${modulePath}: ${e.message}`); }

  // ---- instantiate: errors here mean the runtime refused the module ----
  let wasi;
  try {
    wasi = new WASI({
      version: 'preview1', args, env, preopens, returnOnExit: true, stdin: io.in, stdout: io.out, stderr: io.err,
    });
  } catch (e) {  // e.g. Deno without --allow-write for a preopen
    return die(70, 'internal error', `cannot set up WASI: ${e && e.name}: ${e && e.message}`);
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
      return die(126, 'module refused', `${e.name}: ${e.message}`);
    return die(70, 'internal error', `${e && e.name}: ${e && e.message}`);
  }

  // ---- run: a RuntimeError (or a call-stack RangeError) is a wasm trap ----
  let code;
  try {
    code = wasi.start(instance);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError ||
        (e instanceof RangeError && /call stack/i.test(e.message)))
      return die(134, 'wasm trap', `${e.name}: ${e.message}`);
    return die(70, 'internal error', `${e && e.name}: ${e && e.message}`);
  }
  // the status process.exit(code) gives: ToInt32, then its low 8 bits
  return typeof code === 'number' ? (code | 0) & 255 : 0;
}

// ---- warm mode: requests on fd 0, answers on fd 1 (see the header) ----
async function serve() {
  const chunk = Buffer.alloc(65536);
  let pending = Buffer.alloc(0);
  const more = () => {  // false at the end of the requests
    let n;
    for (;;) {
      try { n = readSync(0, chunk, 0, chunk.length, null); break; } catch (e) { if (e.code !== 'EAGAIN' && e.code !== 'EINTR') throw e; }
    }
    if (n > 0) pending = Buffer.concat([pending, chunk.subarray(0, n)]);
    return n > 0;
  };
  // the lowest free descriptor: a run that leaves one open usually moves it (Deno's
  // permissions forbid reading /proc/self/fd without --allow-all, so it is not listed)
  const lowestFree = () => { const fd = openSync('/dev/null', fsc.O_RDONLY); closeSync(fd); return fd; };
  const baseline = lowestFree();
  for (;;) {
    let nl;
    while ((nl = pending.indexOf(10)) < 0) if (!more()) return;
    const count = Number(pending.subarray(0, nl).toString());
    pending = pending.subarray(nl + 1);
    const words = [];
    while (words.length < count) {
      const z = pending.indexOf(0);
      if (z < 0) { if (!more()) return; continue; }
      words.push(pending.subarray(0, z).toString());
      pending = pending.subarray(z + 1);
    }
    const [cwd, stdinPath, stdoutPath, stderrPath, ...argv] = words;
    process.chdir(cwd);
    const io = {
      in: openSync(stdinPath === '' ? '/dev/null' : stdinPath, fsc.O_RDONLY),
      out: openSync(stdoutPath, fsc.O_WRONLY),
      err: openSync(stderrPath, fsc.O_WRONLY),
    };
    writeSync(1, 'ready\n');
    let code;
    try {
      code = await runModule(argv, io);
    } catch (e) {
      code = 70;
      try { writeSync(io.err, `node-wasi: internal error: ${e && e.name}: ${e && e.message}\n`); } catch (e2) { /* gone */ }
    }
    for (const fd of [io.in, io.out, io.err]) try { closeSync(fd); } catch (e) { /* the guest closed it */ }
    // node:wasi never closes its preopens' descriptors, nor files the guest left open
    // beneath them (a guest reaches no other host file): a run with preopens always ends
    // this launcher, so descriptors never pile up
    const leaked = argv.some((a) => a.startsWith('--dir=')) || lowestFree() !== baseline;
    writeSync(1, `exit ${code}${leaked ? ' recycle' : ''}\n`);
    if (leaked) return;
  }
}

if (process.argv[2] === '--serve' && process.argv.length === 3) {
  await serve();
  process.exit(0);
}
process.exit(await runModule(process.argv.slice(2), { in: 0, out: 1, err: 2 }));
