// What a buyer's browser fetches: the bundle's files named by their content's hash and kept a year, the
// loader five minutes, brotli where the browser takes it; a buyer who comes back to the checkout fetches
// no byte of the bundle again, and the API calls of the first view stay few.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bundleFiles, proxyAndBrowser, waitForEvent } from './support.mjs';

const env = proxyAndBrowser();

/** Opens the checkout in `context` and returns, per URL fetched, the bytes that came over the network. */
async function visit(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map();
  const bytes = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => bytes.set(urls.get(e.requestId), (bytes.get(urls.get(e.requestId)) ?? 0) + e.encodedDataLength));
  await page.addInitScript(() => {
    window.pvzEvents = [];
    document.addEventListener('pvz:ready', (event) => window.pvzEvents.push({ type: 'pvz:ready', target: event.target.id, detail: event.detail }));
  });
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  await page.close();
  return bytes;
}

test('the bundle is fetched once: hashed names kept a year, brotli on the wire, nothing again for a returning buyer', async () => {
  const files = await bundleFiles(env.proxy);
  for (const [name, file] of Object.entries(files)) {
    assert.match(file, /\.[0-9a-f]{10}\.(js|css|wasm)$/, `${name} is named by its content`);
    const response = await fetch(`${env.proxy.url}/widget/${file}`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(response.status, 200, file);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable', file);
    assert.equal(response.headers.get('content-encoding'), 'br', file);
  }
  const loader = await fetch(`${env.proxy.url}/widget.js`);
  assert.equal(loader.headers.get('cache-control'), 'public, max-age=300');
  assert.equal((await fetch(`${env.proxy.url}/widget/no-such.0123456789.js`)).headers.get('cache-control'), 'no-cache',
    'a miss is never kept');

  const context = await env.browser.newContext();
  const first = await visit(context);
  const bundle = (fetched) => [...fetched].filter(([url]) => url && new URL(url).pathname.startsWith('/widget'));
  const firstBytes = bundle(first).reduce((sum, [, n]) => sum + n, 0);
  assert.ok(firstBytes > 100_000, `the first visit fetches the bundle (${firstBytes} bytes)`);
  const again = await visit(context);
  const fetchedAgain = bundle(again).filter(([, n]) => n > 0);
  assert.deepEqual(fetchedAgain, [], 'a returning buyer fetches no byte of the bundle');
  console.log(`bundle bytes: first visit ${firstBytes}, returning ${bundle(again).reduce((s, [, n]) => s + n, 0)}`);
  await context.close();
});
