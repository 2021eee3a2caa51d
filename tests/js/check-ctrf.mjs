// check-ctrf.mjs REPORT.json SCHEMA.json - validates a CTRF report against the CTRF
// JSON Schema (draft-07) with ajv; prints the errors and exits 1 when invalid.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';

const [file, schemaFile] = process.argv.slice(2);
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
if (!validate(doc)) {
  for (const e of validate.errors.slice(0, 20)) console.log(`${e.instancePath || '/'} ${e.message}`);
  process.exit(1);
}
console.log(`valid: ${doc.results.tests.length} tests`);
