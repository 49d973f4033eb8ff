// The widget's weight on the wire, measured as a buyer's browser fetches it: a checkout loads the loader, the
// picker's module and the CSS; an order page the tracking view's module instead. Each must stay within its
// budget; DESIGN's target for both is 120 KB. The checkout's budget is where the picker stands now, above
// that target, and only ever comes down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLE_TARGET_KB, bundleOnTheWire, proxyAndBrowser } from './support.mjs';

const env = proxyAndBrowser();
const KB = 1024;

/** Budgets in KB of brotli, what Chromium and every current browser take. */
const BUDGETS = { checkout: 200, 'order page': BUNDLE_TARGET_KB };

function report(what, wire) {
  const kb = (bytes) => (bytes / KB).toFixed(1).padStart(7);
  const lines = wire.files.map((f) => `  ${f.path.padEnd(40)} ${kb(f.br)} KB br ${kb(f.gzip)} KB gzip`);
  console.log(`${what}:\n${lines.join('\n')}\n  ${'on the wire'.padEnd(40)} ${kb(wire.br)} KB br ${kb(wire.gzip)} KB gzip` +
    ` (target ${BUNDLE_TARGET_KB} KB, budget ${BUDGETS[what]} KB)`);
}

test('a checkout fetches the picker alone, within its budget on the wire', async () => {
  const wire = await bundleOnTheWire(env.browser, env.proxy.url, '/');
  report('checkout', wire);
  const names = wire.files.map((f) => f.path);
  assert.ok(names.some((n) => /^\/widget\/pvz_widget_bg\.[0-9a-f]{10}\.wasm$/.test(n)), `the picker's module: ${names}`);
  assert.ok(!names.some((n) => n.includes('pvz_tracking')), `no tracking view on a checkout: ${names}`);
  assert.ok(wire.br <= BUDGETS.checkout * KB, `${(wire.br / KB).toFixed(1)} KB brotli, budget ${BUDGETS.checkout} KB`);
  assert.ok(wire.br < wire.gzip, 'brotli is the smaller');
});

test('an order page fetches the tracking view alone, within the 120 KB target', async () => {
  const wire = await bundleOnTheWire(env.browser, env.proxy.url, '/order.html');
  report('order page', wire);
  const names = wire.files.map((f) => f.path);
  assert.ok(names.some((n) => /^\/widget\/pvz_tracking_bg\.[0-9a-f]{10}\.wasm$/.test(n)), `the tracking module: ${names}`);
  assert.ok(!names.some((n) => n.includes('pvz_widget')), `no picker on an order page: ${names}`);
  assert.ok(wire.br <= BUDGETS['order page'] * KB, `${(wire.br / KB).toFixed(1)} KB brotli, target ${BUNDLE_TARGET_KB} KB`);
});
