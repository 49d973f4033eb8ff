// The demo checkout page as a buyer's browser loads it: one script tag, then a map with points inside the
// widget's shadow root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy, launchBrowser, recordingPage, waitForEvent } from './support.mjs';

let proxy;
let browser;

before(async () => {
  proxy = await startProxy();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  proxy?.stop();
});

test('the snippet on the checkout page shows the city\'s points on a map inside a shadow root', async () => {
  const expected = await (await fetch(`${proxy.url}/api/v1/points?city=${encodeURIComponent('Москва')}`)).json();
  assert.ok(expected.points.length > 0, 'the demo carrier has points in Moscow');

  const { page, errors } = await recordingPage(browser);
  await page.goto(`${proxy.url}/`);
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.equal(ready.target, 'pvz', 'pvz:ready is dispatched on the target element');
  assert.equal(ready.detail.points, expected.points.length);

  const seen = await page.evaluate(() => {
    const shadow = document.querySelector('#pvz').shadowRoot;
    const map = shadow.querySelector('.leaflet-container');
    return {
      options: [...shadow.querySelectorAll('[role=listbox] [role=option]')].map((o) => o.dataset.pointId),
      markers: Number(map?.dataset.markers),
      canvases: shadow.querySelectorAll('.leaflet-container canvas').length,
      status: shadow.querySelector('[role=status]').textContent,
      leakedIntoPage: document.querySelectorAll('.leaflet-container, .pvz-point').length,
    };
  });
  assert.deepEqual(seen.options, expected.points.map((p) => p.id));
  assert.equal(seen.markers, expected.points.length);
  assert.ok(seen.canvases >= 1, 'markers are drawn on a canvas, not as one DOM node each');
  assert.match(seen.status, /пункт/);
  assert.equal(seen.leakedIntoPage, 0, 'nothing of the widget lives outside its shadow root');
  assert.deepEqual(errors, []);
  await page.close();
});

test('PvzWidget.mount and destroy work from the JS API and leave the element empty', async () => {
  const { page, errors } = await recordingPage(browser);
  await page.goto(`${proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const result = await page.evaluate(async () => {
    const element = document.createElement('div');
    element.id = 'second';
    document.body.append(element);
    const handle = window.PvzWidget.mount(element, { city: 'Казань', lang: 'en' });
    const ready = await new Promise((resolve) => element.addEventListener('pvz:ready', (e) => resolve(e.detail)));
    const status = element.shadowRoot.querySelector('[role=status]').textContent;
    handle.destroy();
    return { ready, status, left: element.shadowRoot.childNodes.length };
  });
  assert.ok(result.ready.points > 0);
  assert.match(result.status, /pickup points?$/);
  assert.equal(result.left, 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an API refusal gives pvz:error and a visible message instead of a blank widget', async () => {
  const { page } = await recordingPage(browser);
  await page.goto(`${proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const result = await page.evaluate(async () => {
    const element = document.createElement('div');
    document.body.append(element);
    const failed = new Promise((resolve) => element.addEventListener('pvz:error', (e) => resolve(e.detail)));
    window.PvzWidget.mount(element, { city: 'x'.repeat(150), lang: 'en' });
    const detail = await failed;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return { detail, status: element.shadowRoot.querySelector('[role=status]').textContent };
  });
  assert.equal(result.detail.code, 'bad_request');
  assert.match(result.detail.message, /^city/);
  assert.match(result.status, /^Could not load pickup points: city/);
  await page.close();
});
