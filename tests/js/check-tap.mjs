// check-tap.mjs REPORT.tap - parses a TAP stream with tap-parser (the TAP 14 parser of
// node-tap) and checks: version 14, a plan that matches the test points, no parse
// errors; prints the counts as JSON.
import { Parser } from 'tap-parser';
import fs from 'node:fs';

const text = fs.readFileSync(process.argv[2], 'utf8');
const p = new Parser();
let version = null;
const bad = [];
p.on('version', (v) => { version = v; });
p.on('extra', (e) => { if (e.trim()) bad.push('extra: ' + e.trim().slice(0, 80)); });
p.on('complete', (r) => {
  if (version !== 14) bad.push(`version ${version}`);
  if (!r.plan || r.plan.end !== r.count) bad.push(`plan ${JSON.stringify(r.plan)} vs ${r.count} points`);
  for (const f of r.failures) if (f.tapError) bad.push('parse: ' + f.tapError);
  console.log(JSON.stringify({ count: r.count, pass: r.pass, fail: r.fail, skip: r.skip, todo: r.todo, ok: r.ok }));
  if (bad.length) { console.log(bad.slice(0, 10).join('\n')); process.exit(1); }
});
p.end(text);
