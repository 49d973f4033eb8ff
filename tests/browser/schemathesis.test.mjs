// The API against its own OpenAPI document, checked by a property-based tester nobody here wrote:
// schemathesis reads /api/v1/openapi.json from a started proxy and sends the requests the document allows
// and the ones it forbids, in every phase (the examples, boundary values, random fuzzing and chains of
// calls). Every check must hold: no 5xx, no request the document allows refused, none it forbids accepted,
// every status, content type, header and body as the document says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startProxy } from './support.mjs';

const CONFIG = fileURLToPath(new URL('../api/schemathesis.toml', import.meta.url));

const env = {};
/** The shop's key: schemathesis calls the shipments API as the shop's backend does. */
const SHOP_KEY = 'schemathesis-shop-key-0123456789';

before(async () => {
  env.proxy = await startProxy({ PVZ_SHOP_API_KEYS: SHOP_KEY });
});

after(() => env.proxy?.stop());

/** Runs schemathesis with `args`; resolves with its exit code and everything it printed. */
function schemathesis(args) {
  const bin = process.env.PVZ_SCHEMATHESIS;
  if (!bin) throw new Error('PVZ_SCHEMATHESIS is not set: run these tests through `cargo xtask test`');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

test('schemathesis, driven by the OpenAPI document, finds no request the proxy answers otherwise than documented', async () => {
  const { code, output } = await schemathesis([
    '--config-file', CONFIG,
    'run', `${env.proxy.url}/api/v1/openapi.json`,
    '--url', env.proxy.url,
    '--header', `Authorization: Bearer ${SHOP_KEY}`,
    '--checks', 'all',
    // Cancelling a shipment (the API's one DELETE) keeps it in the ledger, readable as `cancelled`: the shop's
    // records need it, so the check that a deleted resource is gone cannot hold for it.
    '--exclude-checks', 'use_after_free',
    '--max-examples', '80',
    // One worker: Hypothesis describes its filters with `ast.parse`, whose converter keeps its recursion count
    // per interpreter on CPython 3.11, so two threads parsing at once can trip "recursion depth mismatch".
    '--workers', '1',
    // The same requests every run, so that a failure here is a failure on any machine.
    '--seed', '20261130',
    '--request-timeout', '10',
  ]);
  const summary = /^\s*(\d+) generated.*$/m.exec(output);
  console.log(`schemathesis: ${summary ? summary[0].trim() : 'no summary'}; exit ${code}`);
  assert.equal(code, 0, output);
  assert.ok(summary && Number(summary[1]) > 500, `too few requests generated:\n${output}`);
});
