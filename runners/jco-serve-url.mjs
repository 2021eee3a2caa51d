// wasmatrix: makes `jco serve` say where it listens, for the wasi:http/service world
// (runners/jco.yaml, launched by runners/jco-serve.mjs; docs/components.md).
//
// jco 1.35.0's `serve` prints "Server listening @ HOST:PORT..." with the port it was given, not
// the one it got: with `--port 0` (the kernel picks a free port, so parallel tests never
// collide) that is ":0", and without --port it tries 8000, 8001, ... (dist/cmd/run.js). The
// harness finds a service by the first line of its stderr naming `http://`. This module,
// imported by `--jco-import` in the process that runs the server, wraps the preview2 shim's
// HTTPServer.listen: once the server is listening, it prints the address the shim reports
// (HTTPServer.address(), dist/nodejs/http.js), in wasmtime serve's words:
//   Serving HTTP on http://127.0.0.1:PORT/
import process from 'node:process';
import { HTTPServer } from '@bytecodealliance/preview2-shim/http';

const listen = HTTPServer.prototype.listen;
HTTPServer.prototype.listen = function (port, host) {
  const r = listen.call(this, port, host);
  const a = this.address();
  const h = a && a.address ? a.address : host;
  process.stderr.write(`Serving HTTP on http://${h.includes(':') ? `[${h}]` : h}:${a.port}/\n`);
  return r;
};
