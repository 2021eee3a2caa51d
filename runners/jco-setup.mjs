// wasmatrix: the guest's environment, preopens and arguments for `jco run` (runners/jco.yaml).
//
// `jco run --jco-import FILE` imports FILE in the process that runs the transpiled component,
// before the component is instantiated ("Custom module to import before the run executes to
// support custom environment setup", `jco run --help`). jco 1.35.0's CLI has no option for
// environment variables or preopens: the preview2 shim (@bytecodealliance/preview2-shim,
// dist/nodejs/cli.js and filesystem.js) gives the guest all of node's own environment and no
// preopen unless told otherwise by its _setEnv / _setArgs / _setPreopens / _addPreopen.
//
// The adapter runs: jco run --jco-import THIS -- MODULE --argv0 MODULE [--env K=V]... [--dir HOST::GUEST]... -- ARGS...
// (the first `--` ends jco's options, so everything after MODULE reaches this process as
// argv[2..]). The words up to the second `--` are read here; the guest gets exactly
// [basename(MODULE), ARGS...], the listed variables and nothing else, and the listed preopens.
import process from 'node:process';
import { basename } from 'node:path';
import { _setEnv, _setArgs, _setCwd } from '@bytecodealliance/preview2-shim/cli';
import { _setPreopens, _addPreopen } from '@bytecodealliance/preview2-shim/filesystem';

const words = process.argv.slice(2);
const env = {};
const dirs = [];
let argv0 = 'component.wasm';
let i = 0;
for (; i < words.length && words[i] !== '--'; i += 2) {
  const [flag, val] = [words[i], words[i + 1]];
  if (val === undefined) break;
  if (flag === '--env') {
    const eq = val.indexOf('=');
    if (eq > 0) { env[val.slice(0, eq)] = val.slice(eq + 1); continue; }
  } else if (flag === '--argv0') {
    argv0 = basename(val); continue;
  } else if (flag === '--dir') {
    const sep = val.indexOf('::'); // the host is wasmatrix's own copy, never holding '::'
    if (sep > 0) { dirs.push([val.slice(sep + 2), val.slice(0, sep)]); continue; }
  }
  break;
}
if (words[i] !== '--') {
  process.stderr.write(`jco-setup: bad launcher words near '${words[i] ?? ''}'\n`);
  process.exit(125);
}
// argv[0] is the module's file name, as wasmtime gives it (jco itself passes the name of its
// transpiled output, the module's name without .wasm)
_setArgs([argv0, ...words.slice(i + 1)]);
_setEnv(env);
_setCwd(undefined);
_setPreopens({});
for (const [guest, host] of dirs) _addPreopen(guest, host);
