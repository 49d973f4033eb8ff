// The owner's desk and the shipments list at a busy shop's volume: a ledger of 100,000 shipments (a year of
// them, every state), and how long the proxy takes to answer the deliveries' first page and filtered pages,
// each asked 31 times after 3 warm-ups. The target is a median under 50 ms. Run by `cargo xtask bench`;
// `node desk.mjs 20000` for another volume.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProxy } from '../browser/support.mjs';

const COUNT = Number(process.argv[2] ?? 100_000);
const TARGET_MS = 50;
const RUNS = 31;
const PASSWORD = 'desk-bench-password';
const KEY = 'desk-bench-shop-key-0123456789';

const data = mkdtempSync(join(tmpdir(), 'pvz-desk-bench-'));
const filling = performance.now();
execFileSync(process.env.PVZ_LEDGER_FILL_BIN, [data, String(COUNT)], { stdio: 'inherit' });
console.log(`ledger filled in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
const hash = execFileSync(process.env.PVZ_PROXY_BIN, ['hash-password'], { input: `${PASSWORD}\n` }).toString().trim();
const proxy = await startProxy({ PVZ_DATA_DIR: data, PVZ_DESK_PASSWORD_HASH: hash, PVZ_SHOP_API_KEYS: KEY });

const signIn = await fetch(`${proxy.url}/desk/sign-in`, {
  method: 'POST',
  redirect: 'manual',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: `password=${PASSWORD}`,
});
assert.equal(signIn.status, 303);
const cookie = signIn.headers.get('set-cookie').split(';')[0];

/** Milliseconds to the whole answer of `path`, and the answer. */
async function timed(path, headers) {
  const started = performance.now();
  const response = await fetch(`${proxy.url}${path}`, { headers });
  const text = await response.text();
  const ms = performance.now() - started;
  assert.equal(response.status, 200, `${path}: ${text.slice(0, 200)}`);
  return { ms, text };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const month = (m) => `2026-${String(m).padStart(2, '0')}-01`;
const desk = { cookie };
const api = { authorization: `Bearer ${KEY}` };
const middle = `F-${String(Math.floor(COUNT / 2)).padStart(7, '0')}`;
const pages = [
  ['desk: first page', '/desk/', desk, 50],
  ['desk: in transit', '/desk/?state=in_transit', desk, 50],
  ['desk: Demo Post, rejected', '/desk/?carrier=demo-post&state=rejected', desk, 50],
  ['desk: one month', `/desk/?from=${month(6)}&to=${month(7)}`, desk, 50],
  ['desk: by order number', `/desk/?number=${middle}`, desk, 1],
  ['desk: by track number', `/desk/?number=DP${String(1_700_000_001).padStart(10, '0')}`, desk, 1],
  ['API: first page', '/api/v1/shipments', api, null],
  ['API: delivered, one month', `/api/v1/shipments?state=delivered&from=${month(3)}&to=${month(4)}`, api, null],
];

let over = 0;
console.log(`\n${COUNT.toLocaleString('en')} shipments; ${RUNS} requests each after 3 warm-ups (target: median < ${TARGET_MS} ms)`);
for (const [name, path, headers, rows] of pages) {
  for (let i = 0; i < 3; i += 1) await timed(path, headers);
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i += 1) {
    last = await timed(path, headers);
    times.push(last.ms);
  }
  if (rows !== null) {
    const found = (last.text.match(/<tr>/g) ?? []).length - 1;
    assert.equal(found, rows, `${name}: rows on the page`);
  }
  times.sort((a, b) => a - b);
  const median = quantile(times, 0.5);
  if (median >= TARGET_MS) over += 1;
  console.log(`${name.padEnd(28)} median ${median.toFixed(1).padStart(6)} ms  p90 ${quantile(times, 0.9).toFixed(1).padStart(6)} ms  range ${times[0].toFixed(1)}–${times.at(-1).toFixed(1)} ms  ${median < TARGET_MS ? 'ok' : 'OVER TARGET'}`);
}
proxy.stop();
rmSync(data, { recursive: true, force: true });
if (over) {
  console.error(`${over} of ${pages.length} pages over ${TARGET_MS} ms`);
  process.exit(1);
}
