// The OpenAPI document of leadproc (`leadproc openapi`, served at GET /api/v1/openapi.json):
// - it is a valid OpenAPI 3.1 document (@apidevtools/swagger-parser);
// - a client generator accepts it (openapi-typescript writes the types of every path);
// - it is true: every answer the API test suite recorded (ctest `api_sqlite` with
//   LEADPROC_RECORD_RESPONSES, tests/api/harness.cpp) validates against the schema of its route
//   and status (Ajv, JSON Schema 2020-12), a success status the document does not list fails,
//   and every operation must have had a success validated, so that the check cannot pass empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import openapiTS, { astToString } from 'openapi-typescript';

const BINARY = process.env.LEADPROC_BINARY;
const RECORDED = process.env.LEADPROC_RECORDED_RESPONSES;
// Operations that the API suite need not answer with a success: the web UI's files (the
// browser tests fetch them), and runs of jobs that reach outside (the CMS sync).
const NOT_EXERCISED_OK = new Set(['ui.index', 'ui.asset']);
// Every other operation must have had a success validated.
const MIN_EXERCISED_SHARE = 1;

const documentText = execFileSync(BINARY, ['openapi', '--bench-endpoints'], { encoding: 'utf8' });
const doc = () => JSON.parse(documentText);

test('every route is described and every description names a route', () => {
  const out = execFileSync(BINARY, ['openapi', '--check'], { encoding: 'utf8' });
  assert.match(out, /every route is described/);
});

test('the document is valid OpenAPI 3.1', async () => {
  const d = doc();
  assert.equal(d.openapi, '3.1.0');
  await SwaggerParser.validate(structuredClone(d));
  const routes = JSON.parse(execFileSync(BINARY, ['routes', '--bench-endpoints'], { encoding: 'utf8' }));
  for (const r of routes) {
    const op = d.paths[r.pattern]?.[r.method.toLowerCase()];
    assert.ok(op, `${r.method} ${r.pattern} is in the document`);
    assert.equal(op.operationId, r.name);
    assert.equal(op['x-access'], r.access);
  }
});

test('a client generator accepts it', async () => {
  const ast = await openapiTS(doc());
  const ts = astToString(ast);
  for (const path of ['/api/v1/leads', '/api/v1/opportunities/{id}/transitions', '/api/v1/search'])
    assert.ok(ts.includes(`"${path}"`), `the generated client has ${path}`);
  assert.match(ts, /\bOpportunity: /);
});

// The route of a recorded path, by the router's rule: segments literal or {placeholder}, and at
// the first segment where two patterns differ, the literal wins.
function matchRoute(paths, method, path) {
  const segments = path.split('/');
  let best = null;
  for (const [pattern, ops] of Object.entries(paths)) {
    const parts = pattern.split('/');
    if (parts.length !== segments.length || !ops[method]) continue;
    if (!parts.every((p, i) => p.startsWith('{') || p === segments[i])) continue;
    if (!best) { best = { pattern, parts }; continue; }
    const i = parts.findIndex((p, k) => p !== best.parts[k]);
    if (i >= 0 && !parts[i].startsWith('{') && best.parts[i].startsWith('{')) best = { pattern, parts };
  }
  return best && { pattern: best.pattern, op: paths[best.pattern][method] };
}

test('every recorded answer of the API suite fits the document', (t) => {
  const d = doc();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'leadproc', components: d.components });
  const validators = new Map();
  const validatorFor = (schema) => {
    const key = JSON.stringify(schema);
    if (!validators.has(key)) {
      const rewritten = JSON.parse(key.replaceAll('"#/components/', '"leadproc#/components/'));
      validators.set(key, ajv.compile(rewritten));
    }
    return validators.get(key);
  };

  const lines = readFileSync(RECORDED, 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.length > 500, `the API suite recorded its answers (${lines.length} in ${RECORDED})`);
  const failures = [];
  const exercised = new Set();
  let checked = 0;
  for (const line of lines) {
    const r = JSON.parse(line);
    const path = r.path.split('?')[0];
    const found = matchRoute(d.paths, r.method.toLowerCase(), path);
    if (!found) continue;  // an unknown route or method (404/405): no operation to hold it to
    const where = `${r.method} ${r.path} → ${r.status}`;
    const success = r.status < 400;
    const response = found.op.responses[String(r.status)] ?? (success ? null : found.op.responses.default);
    if (!response) {
      failures.push(`${where}: the document lists no ${r.status} for ${found.op.operationId}`);
      continue;
    }
    if (!response.content) {
      if (r.body !== '') failures.push(`${where}: a body where the document says none`);
      else if (success) exercised.add(found.op.operationId);
      continue;
    }
    const [mediaType, media] = Object.entries(response.content)[0];
    const sent = r.contentType.split(';')[0].trim();
    if (sent !== mediaType && !(mediaType === 'application/octet-stream')) {
      failures.push(`${where}: Content-Type ${sent}, the document says ${mediaType}`);
      continue;
    }
    if (!mediaType.includes('json') || !media.schema) {
      if (success) exercised.add(found.op.operationId);
      continue;
    }
    const validate = validatorFor(media.schema);
    checked++;
    if (!validate(JSON.parse(r.body))) {
      failures.push(`${where}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
      continue;
    }
    if (success) exercised.add(found.op.operationId);
  }
  const operations = Object.values(d.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
  const expected = operations.filter((o) => !NOT_EXERCISED_OK.has(o));
  const missing = expected.filter((o) => !exercised.has(o));
  t.diagnostic(`${lines.length} answers recorded, ${checked} validated; operations with a success validated: ` +
               `${expected.length - missing.length} of ${expected.length}; not exercised: ${missing.join(', ') || 'none'}`);
  assert.deepEqual(failures.slice(0, 30), [], `${failures.length} answers do not fit the document`);
  assert.ok((expected.length - missing.length) / expected.length >= MIN_EXERCISED_SHARE,
            `too few operations exercised: missing ${missing.join(', ')}`);
});
