// The widget embedded the way shops do: on a page of another origin than the proxy, under a strict
// Content-Security-Policy, on a page whose own CSS is hostile, beside RequireJS and a global `L` of the
// page's own, and on an origin the proxy does not allow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startProxy, launchBrowser, recordingPage, waitForEvent } from './support.mjs';

let proxy;
let browser;
let shop;
let shopUrl;
/** Pages of the shop's own server, by path: [headers, body]. */
const pages = new Map();

before(async () => {
  proxy = await startProxy();
  browser = await launchBrowser();
  shop = createServer((request, response) => {
    if (request.url === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const page = pages.get(request.url);
    if (!page) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page[0] }).end(page[1]);
  });
  await new Promise((resolve) => shop.listen(0, '127.0.0.1', resolve));
  // "localhost" and "127.0.0.1" are different origins: the shop's pages are not the proxy's.
  shopUrl = `http://localhost:${shop.address().port}`;
});

after(async () => {
  await browser?.close();
  proxy?.stop();
  shop?.close();
});

function checkout(extraHead = '', proxyUrl = proxy.url) {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Shop</title>${extraHead}</head><body>
    <form method="post" action="/order"><div id="pvz"></div>
    <script src="${proxyUrl}/widget.js" defer data-target="#pvz" data-city="Казань" data-weight="1200"></script>
    </form></body></html>`;
}

test('under a strict CSP on another origin the widget loads, needs nothing inline and can be used', async () => {
  const csp = `script-src ${proxy.url} 'wasm-unsafe-eval'; style-src ${proxy.url}; connect-src ${proxy.url}; img-src ${proxy.url} data:`;
  pages.set('/strict', [{ 'content-security-policy': csp }, checkout()]);
  const { page, errors } = await recordingPage(browser);
  const violations = [];
  page.on('console', (message) => { if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text()); });
  await page.goto(`${shopUrl}/strict`);
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.ok(ready.detail.points > 100, `Kazan's points, saw ${ready.detail.points}`);
  await page.locator('#pvz .pvz-chip', { hasText: 'Постаматы' }).click();
  await page.waitForFunction(() => document.querySelector('#pvz').shadowRoot.querySelector('.pvz-chip[aria-pressed=true]'));
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a hostile host stylesheet does not break the widget, and the widget\'s CSS stays inside it', async () => {
  const hostile = `<style>* { all: unset !important; } div { display: none; } li, button { color: red; font-size: 40px; }</style>
    <p class="pvz-chip" id="lookalike">not the widget's</p>`;
  pages.set('/hostile', [{}, checkout(hostile)]);
  const { page, errors } = await recordingPage(browser);
  await page.goto(`${shopUrl}/hostile`);
  await waitForEvent(page, 'pvz:ready');
  const seen = await page.evaluate(() => {
    const host = document.querySelector('#pvz');
    const map = host.shadowRoot.querySelector('.leaflet-container');
    const chip = host.shadowRoot.querySelector('.pvz-chip');
    return {
      hostHeight: host.getBoundingClientRect().height,
      mapHeight: map.getBoundingClientRect().height,
      chipRadius: getComputedStyle(chip).borderTopLeftRadius,
      chipFont: getComputedStyle(chip).fontSize,
      lookalikeRadius: getComputedStyle(document.querySelector('#lookalike')).borderTopLeftRadius,
    };
  });
  assert.ok(seen.hostHeight > 400, `the widget is visible, ${seen.hostHeight} px high`);
  assert.ok(seen.mapHeight >= 400, `the map keeps its size, ${seen.mapHeight} px`);
  assert.equal(seen.chipRadius, '999px');
  assert.equal(seen.chipFont, '13px', 'the page\'s button rule does not reach inside');
  assert.equal(seen.lookalikeRadius, '0px', 'the widget\'s rules do not reach the page');
  assert.ok(await page.locator('#pvz .pvz-cluster').first().isVisible());
  assert.deepEqual(errors, []);
  await page.close();
});

test('beside RequireJS and a global L of the page\'s own, the widget loads its own Leaflet and leaves both alone', async () => {
  // As Magento and many Bitrix templates have it: an AMD loader that throws on an anonymous define().
  const amd = `<script>
    window.L = { mine: true };
    window.anonymousDefines = 0;
    window.define = function (name) {
      if (typeof name !== 'string') { window.anonymousDefines += 1; throw new Error('Mismatched anonymous define() module'); }
    };
    window.define.amd = { jQuery: true };
  </script>`;
  pages.set('/amd', [{}, checkout(amd)]);
  const { page, errors } = await recordingPage(browser);
  await page.goto(`${shopUrl}/amd`);
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.ok(ready.detail.points > 100, `Kazan's points, saw ${ready.detail.points}`);
  await page.locator('#pvz .pvz-cluster').first().waitFor();
  const seen = await page.evaluate(() => ({ L: window.L, anonymousDefines: window.anonymousDefines }));
  assert.deepEqual(seen, { L: { mine: true }, anonymousDefines: 0 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('on an origin the proxy does not allow, the page reads why and the owner is told which origin to add', async () => {
  const strict = await startProxy({ PVZ_ALLOWED_ORIGINS: 'https://shop.example' });
  try {
    pages.set('/elsewhere', [{}, checkout('', strict.url)]);
    const { page, errors } = await recordingPage(browser);
    await page.goto(`${shopUrl}/elsewhere`);
    const failure = await page.waitForFunction(() => window.pvzEvents.find((e) => e.type === 'pvz:error'));
    const event = await failure.jsonValue();
    assert.equal(event.detail.code, 'forbidden_origin', 'the refusal reached the page, not "Failed to fetch"');
    const status = await page.locator('#pvz .pvz-status-error').textContent();
    assert.equal(status, `Виджет не подключён к этому сайту: владельцу магазина нужно добавить ${shopUrl} в allowed_origins прокси (PVZ_ALLOWED_ORIGINS).`);
    assert.ok(errors.some((e) => e.includes('PVZ_ALLOWED_ORIGINS')), `the console carries the detail: ${errors}`);
    // A second visit: the proxy logs the refused origin once a minute, not once a request.
    await page.reload();
    await page.waitForFunction(() => window.pvzEvents.find((e) => e.type === 'pvz:error'));
    const logged = strict.log().split('\n').filter((line) => line.includes('whose origin is not allowed') && line.includes(shopUrl));
    assert.equal(logged.length, 1, strict.log());
    await page.close();
  } finally {
    strict.stop();
  }
});
