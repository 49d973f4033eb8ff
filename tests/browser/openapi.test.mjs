// The proxy's OpenAPI document: it validates as OpenAPI, and every API request the widget makes, in the
// checkout and on the order page, matches one of its paths with that method.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import { proxyAndBrowser, recordingPage, waitForEvent } from './support.mjs';

const env = proxyAndBrowser();

async function documentOf(proxy) {
  const response = await fetch(`${proxy.url}/api/v1/openapi.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^application\/json/);
  return response.json();
}

test('the OpenAPI document validates', async () => {
  const document = await documentOf(env.proxy);
  const api = await SwaggerParser.validate(structuredClone(document));
  assert.equal(api.info.title, 'pvz-widget proxy');
  const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
  const ids = operations.map((o) => o.operationId);
  assert.equal(new Set(ids).size, ids.length, `operation ids are unique: ${ids}`);
});

/** The path template of `document` that `path` matches, for `method`. */
function operationFor(document, method, path) {
  return Object.entries(document.paths).find(([template, item]) => {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return pattern.test(path) && item[method.toLowerCase()];
  });
}

test('every API request the widget makes is in the document', async () => {
  const document = await documentOf(env.proxy);
  const { page, errors } = await recordingPage(env.browser);
  const seen = new Set();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) seen.add(`${request.method()} ${url.pathname}`);
  });
  // The checkout: settings, the city, views, quotes, a search, a point's details.
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  await page.locator('#pvz .pvz-search-input').fill('каз');
  await page.locator('#pvz .pvz-suggestions [role=option]').first().waitFor();
  await page.keyboard.press('Escape');
  await page.locator('#pvz .pvz-list [role=option]').first().click();
  await page.locator('#pvz .pvz-details-week').waitFor();
  // The order page: a parcel and the point it waits at.
  await page.goto(`${env.proxy.url}/order.html`);
  await waitForEvent(page, 'pvz:ready');
  await page.locator('#tracking .pvz-track-point').waitFor();
  assert.deepEqual(errors, []);
  const requests = [...seen].map((r) => r.split(' '));
  const missing = requests.filter(([method, path]) => !operationFor(document, method, path));
  assert.deepEqual(missing, [], 'requests the document does not list');
  const used = new Set(requests.map(([method, path]) => operationFor(document, method, path)[0]));
  for (const path of ['/api/v1/points', '/api/v1/points/{id}', '/api/v1/quotes', '/api/v1/settings', '/api/v1/suggest',
    '/api/v1/tracking/{number}', '/api/v1/cities/{name}']) {
    assert.ok(used.has(path), `the widget used ${path}: ${[...used]}`);
  }
  await page.close();
});
