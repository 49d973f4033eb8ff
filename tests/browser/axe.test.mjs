// axe-core, an accessibility engine written elsewhere, over every page the product serves and every state of
// the widget a buyer meets: the picker on a desktop and a phone, in light and dark, a point's details, a
// chosen point, the map tab, tracking, the order page and the configurator. Any WCAG 2.1 A or AA violation
// fails, named with the elements it found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations as violations, proxyAndBrowser, recordingPage, waitForEvent } from './support.mjs';

const env = proxyAndBrowser();

/** The demo checkout with the widget ready and its prices in, at `width` x `height`, with `options`. */
async function checkout(width, height, options) {
  const { page, errors } = await recordingPage(env.browser);
  await page.setViewportSize({ width, height });
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  if (options) {
    await page.evaluate((o) => {
      window.pvzEvents.length = 0;
      window.PvzWidget.mount(document.querySelector('#pvz'), o);
    }, options);
    await waitForEvent(page, 'pvz:ready');
  }
  await page.waitForFunction(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-point-price')]
    .some((p) => p.textContent.includes('₽')));
  return { page, errors };
}

for (const [name, width, height, options] of [
  ['desktop, light', 1280, 800, null],
  ['desktop, dark', 1280, 800, { city: 'Москва', weight: '1200', theme: 'dark' }],
  ['phone, light', 375, 740, null],
  ['phone, dark', 375, 740, { city: 'Москва', weight: '1200', theme: 'dark' }],
]) {
  test(`axe finds no WCAG 2.1 A/AA violation in the picker (${name}): list, suggestions, details, chosen point, map`, async () => {
    const { page, errors } = await checkout(width, height, options);
    const found = { list: await violations(page) };
    await page.locator('#pvz .pvz-search-input').fill('моск');
    await page.locator('#pvz .pvz-suggestions [role=option]').first().waitFor();
    await page.keyboard.press('ArrowDown');
    found.suggestions = await violations(page);
    await page.keyboard.press('Escape');
    await page.locator('#pvz .pvz-list [role=option]').first().click();
    await page.locator('#pvz .pvz-details').waitFor();
    found.details = await violations(page);
    await page.locator('#pvz .pvz-details').getByRole('button', { name: /Выбрать|Choose/ }).click();
    await waitForEvent(page, 'pvz:select');
    found.chosen = await violations(page);
    if (width < 600) {
      await page.locator('#pvz [role=tab]', { hasText: /Карта|Map/ }).click();
      await page.locator('#pvz .leaflet-marker-icon').first().waitFor();
      found.map = await violations(page);
    }
    for (const [state, lines] of Object.entries(found)) assert.deepEqual(lines, [], `${name}, ${state}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('axe finds no WCAG 2.1 A/AA violation on the tracking page, the order page and the configurator', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/tracking.html`);
  await page.locator('#tracking').getByLabel('Номер отправления').waitFor();
  const found = { 'tracking, empty': await violations(page) };
  await page.locator('#tracking').getByLabel('Номер отправления').fill('DE0000000103');
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pvz:ready');
  await page.locator('#tracking .pvz-track-point .leaflet-container').waitFor();
  found['tracking, a parcel'] = await violations(page);
  await page.locator('#tracking').getByLabel('Номер отправления').fill('ZZ1');
  await page.keyboard.press('Enter');
  await waitForEvent(page, 'pvz:error');
  found['tracking, an unknown number'] = await violations(page);

  await page.goto(`${env.proxy.url}/order.html`);
  await page.waitForLoadState('networkidle');
  found.order = await violations(page);

  await page.goto(`${env.proxy.url}/configurator.html`);
  await page.waitForLoadState('networkidle');
  found.configurator = await violations(page);
  for (const [state, lines] of Object.entries(found)) assert.deepEqual(lines, [], state);
  assert.deepEqual(errors.filter((e) => !/404|Not Found/.test(e)), []);
  await page.close();
});
