// The proxy as one file to install: started from an empty directory with no bundle or site directory
// configured, it serves the widget and the pages built into it, compressed and revalidated like files on
// disk, and the checkout works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFiles, launchBrowser, recordingPage, startProxy, waitForEvent } from './support.mjs';

const env = {};

before(async () => {
  env.dir = mkdtempSync(join(tmpdir(), 'pvz-dist-'));
  env.proxy = await startProxy({ PVZ_BUNDLE_DIR: '', PVZ_SITE_DIR: '', PVZ_DATA_DIR: join(env.dir, 'data') }, env.dir);
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  env.proxy?.stop();
  if (env.dir) rmSync(env.dir, { recursive: true, force: true });
});

test('the built-in bundle is served compressed, typed and revalidated', async () => {
  const files = await bundleFiles(env.proxy);
  const wasm = await fetch(`${env.proxy.url}/widget/${files['pvz_widget_bg.wasm']}`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal(wasm.headers.get('content-encoding'), 'gzip');
  assert.equal(wasm.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  // Bytes on the wire (fetch hands over the body decompressed).
  const gzipped = Number(wasm.headers.get('content-length'));
  assert.ok(gzipped > 100_000, `${gzipped} bytes gzipped`);
  assert.ok((await wasm.arrayBuffer()).byteLength > gzipped);
  const brotli = await fetch(`${env.proxy.url}/widget/${files['pvz_widget_bg.wasm']}`, { headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(brotli.headers.get('content-encoding'), 'br');
  assert.ok(Number(brotli.headers.get('content-length')) < gzipped, 'brotli is smaller than gzip');
  const types = await fetch(`${env.proxy.url}/widget.d.ts`);
  assert.equal(types.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.match(await types.text(), /interface PvzWidgetOptions/);
  const loader = await fetch(`${env.proxy.url}/widget.js`);
  const again = await fetch(`${env.proxy.url}/widget.js`, { headers: { 'if-none-match': loader.headers.get('etag') } });
  assert.equal(again.status, 304);
  assert.equal(loader.headers.get('cache-control'), 'public, max-age=300');
  assert.equal((await fetch(`${env.proxy.url}/configurator.html`)).status, 200);
  assert.equal((await fetch(`${env.proxy.url}/no-such-page.html`)).status, 404);
});

test('the checkout works from the built-in files alone', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.ok(ready.detail.points > 100, `Moscow's demo points, saw ${ready.detail.points}`);
  assert.deepEqual(errors, []);
  await page.close();
});
