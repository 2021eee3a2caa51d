#!/usr/bin/env node
// wasmatrix: runs `jco serve` for the wasi:http/service world and stops it on SIGINT or SIGTERM
// with status 0, as `wasmtime serve` does (runners/jco.yaml, docs/components.md).
//
// Usage: jco-serve.mjs JCO MODULE
// jco 1.35.0's `serve` is two node processes: the CLI, which transpiles the component and
// spawns a second node to run the server, then waits for it (dist/cmd/run.js). Neither handles
// SIGINT, so a signal sent to the CLI kills it by the default action and leaves the server
// running. This launcher starts the CLI in a process group of its own, forwards the signal to
// the whole group, and exits 0 once the group has gone (the stop the test asked for); any other
// end of jco is passed on as it is. The server listens on a port the kernel picks (--port 0),
// and runners/jco-serve-url.mjs, imported into it, prints where: the harness reads
// "Serving HTTP on http://127.0.0.1:PORT/" from stderr.
import process from 'node:process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [jco, module, ...rest] = process.argv.slice(2);
if (!jco || !module) {
  process.stderr.write('usage: jco-serve.mjs JCO MODULE\n');
  process.exit(125);
}
const urlModule = fileURLToPath(new URL('./jco-serve-url.mjs', import.meta.url));
const child = spawn(jco, ['serve', '--port', '0', '--host', '127.0.0.1', '--jco-import', urlModule, module, ...rest],
  { stdio: 'inherit', detached: true });
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopping = true;
    try { process.kill(-child.pid, sig); } catch { /* already gone */ }
  });
}
child.on('error', (e) => { process.stderr.write(`jco-serve: ${e.message}\n`); process.exit(125); });
child.on('exit', (code, signal) => {
  if (stopping) {
    // the server is the CLI's child, in the same group: make sure it is gone too
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    process.exit(0);
  }
  if (signal) process.kill(process.pid, signal);
  process.exit(code ?? 1);
});
