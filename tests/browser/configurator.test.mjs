// The site owner's configurator: options changed in the form show in the live preview, the copied snippet
// pasted into a blank page of another origin (the one the configurator's origin line names, and the only one
// the proxy allows) brings the widget up there with those options, and the shop's theme reaches it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { launchBrowser, recordingPage, startProxy, waitForEvent } from './support.mjs';

const env = { pasted: '' };

before(async () => {
  // The shop's own server: a blank page with whatever was pasted into it.
  env.shop = createServer((request, response) => {
    if (request.url !== '/') {
      response.writeHead(request.url === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Blank</title></head><body>
        <form>${env.pasted}</form></body></html>`);
  });
  await new Promise((resolve) => env.shop.listen(0, '127.0.0.1', resolve));
  env.shopOrigin = `http://localhost:${env.shop.address().port}`;
  env.proxy = await startProxy({ PVZ_ALLOWED_ORIGINS: env.shopOrigin });
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  env.proxy?.stop();
  env.shop?.close();
});

test('a snippet copied from the configurator brings the configured widget up on another origin', async () => {
  const context = await env.browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.proxy.url });
  const { page, errors } = await recordingPage(context);
  await page.goto(`${env.proxy.url}/configurator.html`);
  await waitForEvent(page, 'pvz:ready');
  const carriers = page.locator('#cfg-carriers input[type=checkbox]');
  assert.equal(await carriers.count(), 2, 'the demo proxy\'s two carriers');
  await page.evaluate(() => { window.pvzEvents.length = 0; });

  // Kazan, in English, one carrier, a heavier parcel, the dark theme, the shop's colour, square corners,
  // the map first.
  await page.locator('#cfg-carriers input[value="demo-post"]').uncheck();
  await page.getByLabel('Город на старте').fill('Казань');
  await page.getByLabel('Язык').selectOption('en');
  await page.getByLabel('Вес, г').fill('3000');
  await page.getByLabel('Тема').selectOption('dark');
  await page.getByLabel('Фирменный цвет').fill('#c2185b');
  await page.getByLabel('Скругление углов, px').fill('2');
  await page.getByLabel('Первым показывать').selectOption('map');
  await page.getByLabel('Доставка', { exact: true }).selectOption('pickup');
  await page.getByLabel('Адрес вашего магазина').fill(`${env.shopOrigin}/checkout`);
  await page.waitForFunction(() => document.getElementById('cfg-snippet').textContent.includes('Казань')
    && document.getElementById('cfg-snippet').textContent.includes('data-first="map"')
    && document.getElementById('cfg-snippet').textContent.includes('data-delivery="pickup"'));

  // The preview follows the form.
  await waitForEvent(page, 'pvz:ready');
  const previewTheme = await page.evaluate(() => document.getElementById('cfg-widget').getAttribute('data-pvz-theme'));
  assert.equal(previewTheme, 'dark');
  assert.equal(await page.locator('#cfg-origin-line').textContent(), `PVZ_ALLOWED_ORIGINS=${env.shopOrigin}`);

  await page.locator('#cfg-copy').click();
  await page.locator('#cfg-copied', { hasText: 'Скопировано' }).waitFor();
  env.pasted = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(env.pasted, await page.locator('#cfg-snippet').textContent());
  assert.match(env.pasted, /data-carriers="demo-express"/);
  assert.deepEqual(errors, []);

  // Pasted into the shop's blank page.
  const shop = await recordingPage(context);
  await shop.page.goto(`${env.shopOrigin}/`);
  const ready = await waitForEvent(shop.page, 'pvz:ready');
  assert.ok(ready.detail.points > 50, `Kazan's express points, saw ${ready.detail.points}`);
  const seen = await shop.page.evaluate(() => {
    const host = document.querySelector('#pvz');
    const root = host.shadowRoot;
    const styles = getComputedStyle(root.querySelector('.pvz-root'));
    return {
      theme: host.getAttribute('data-pvz-theme'),
      accent: getComputedStyle(host).getPropertyValue('--pvz-accent').trim(),
      background: styles.backgroundColor,
      tab: root.querySelector('.pvz-tab[aria-selected=true]').textContent,
      first: root.querySelector('.pvz-body').dataset.first,
      switch: root.querySelector('.pvz-delivery') !== null,
      lang: root.querySelector('.pvz').getAttribute('lang'),
      ids: [...root.querySelectorAll('.pvz-list [role=option]')].map((o) => o.dataset.pointId),
      chipRadius: root.querySelector('.pvz-chip') && getComputedStyle(root.querySelector('.pvz-search-input')).borderTopLeftRadius,
    };
  });
  assert.equal(seen.theme, 'dark');
  assert.equal(seen.accent, '#c2185b');
  assert.equal(seen.background, 'rgb(22, 25, 29)', 'the dark palette');
  assert.equal(seen.tab, 'Map', 'English, and the map first');
  assert.equal(seen.first, 'map');
  assert.equal(seen.switch, false, 'pickup points alone: no courier switch');
  assert.equal(seen.lang, 'en');
  assert.equal(seen.chipRadius, '2px');
  assert.ok(seen.ids.length > 0 && seen.ids.every((id) => id.startsWith('demo-express:')), seen.ids.join(' '));
  // The widget works there: a point is chosen and lands in the shop's form.
  await shop.page.locator('#pvz .pvz-list [role=option]').first().click();
  await shop.page.locator('#pvz .pvz-choose').click();
  const chosen = await waitForEvent(shop.page, 'pvz:select');
  assert.ok(chosen.detail.point.id.startsWith('demo-express:'));
  assert.equal(await shop.page.locator('input[name=pvz_point_id]').inputValue(), chosen.detail.point.id);
  assert.deepEqual(shop.errors, []);
  await context.close();
});

test('the proxy refuses the widget on an origin the configurator did not name', async () => {
  const response = await fetch(`${env.proxy.url}/api/v1/settings`, { headers: { origin: 'http://evil.example' } });
  assert.equal(response.status, 403);
});

test('a number out of its range is said beside its field and kept out of the snippet; the widget takes 0 to 32 px corners', async () => {
  const { page, errors } = await recordingPage(env.browser);
  const warnings = [];
  page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
  await page.goto(`${env.proxy.url}/configurator.html`);
  await waitForEvent(page, 'pvz:ready');
  const radius = page.getByLabel('Скругление углов, px');
  assert.equal(await radius.getAttribute('max'), '32', 'the range the README gives');
  await radius.fill('32');
  await page.waitForFunction(() => document.getElementById('cfg-snippet').textContent.includes('data-radius="32"'));
  await radius.fill('40');
  const note = page.locator('#cfg-radius-error');
  await page.waitForFunction(() => document.getElementById('cfg-radius-error')?.textContent !== '');
  assert.match(await note.textContent(), /от 0 до 32/);
  assert.equal(await radius.getAttribute('aria-invalid'), 'true');
  await page.waitForFunction(() => !document.getElementById('cfg-snippet').textContent.includes('data-radius'));
  await radius.fill('12');
  await page.waitForFunction(() => document.getElementById('cfg-radius-error').textContent === '');

  // A snippet written by hand with 40: the widget draws 32 px corners and tells the developer.
  const drawn = await page.evaluate(async () => {
    const element = document.createElement('div');
    document.body.append(element);
    const ready = new Promise((resolve) => element.addEventListener('pvz:ready', resolve));
    window.PvzWidget.mount(element, { city: 'Казань', radius: 40 });
    await ready;
    return getComputedStyle(element.shadowRoot.querySelector('.pvz-search-input')).borderTopLeftRadius;
  });
  assert.equal(drawn, '32px');
  assert.ok(warnings.some((w) => /radius is 0 to 32 px; "40" is taken as 32/.test(w)), warnings.join('\n'));
  assert.deepEqual(errors, []);
  await page.close();
});
