// The widget on a proxy whose only carrier is CDEK, spoken to through the CDEK simulator: its synced
// points on the map and in the list with CDEK's prices, a CDEK parcel on the tracking page, and the
// checkout through every fault the simulator can make.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { carrierAndBrowser, everythingVisible, faultRun, recordingPage, startCdekSim, waitForEvent, PRICE_RU } from './support.mjs';

const POINTS = 2000;

const env = carrierAndBrowser('cdek', () => startCdekSim(POINTS), (url, data) => ({
  PVZ_CDEK_CLIENT_ID: 'shop-client',
  PVZ_CDEK_CLIENT_SECRET: 'shop-secret',
  PVZ_CDEK_BASE_URL: url,
  PVZ_DATA_DIR: data,
  PVZ_CDEK_TIMEOUT_SECONDS: '2',
  // Everything the proxy and its HTTP client log, to check that no credential is in it.
  RUST_LOG: 'debug',
}));

test('the checkout shows CDEK\'s synced points with CDEK\'s prices', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.ok(ready.detail.points > 500, `Moscow's simulated CDEK points, saw ${ready.detail.points}`);
  await page.waitForFunction(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-point-price')]
    .some((p) => p.textContent.includes('₽')));
  const ids = await page.locator('#pvz .pvz-list [role=option]').evaluateAll((os) => os.map((o) => o.dataset.pointId));
  assert.ok(ids.length > 0 && ids.every((id) => id.startsWith('cdek:MSK')), ids.join(' '));
  const prices = await page.locator('#pvz .pvz-point-price').allTextContents();
  assert.ok(prices.some((p) => PRICE_RU.test(p)), prices.join(' | '));
  assert.equal(await page.locator('#pvz .pvz-chip-carrier').count(), 0, 'no carrier chips for a single carrier');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an office whose hours CDEK writes in no readable way shows CDEK\'s own words, never "closed"', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  // The simulator writes office 4 as open "по записи" every day, and nothing more readable.
  await page.locator('#pvz .pvz-search-input').fill('MSK00004');
  await page.locator('#pvz .pvz-suggestions [role=option]').first().click();
  const row = page.locator('#pvz .pvz-list [role=option][data-point-id="cdek:MSK00004"]');
  await row.click();
  await page.locator('#pvz .pvz-details-as-written').waitFor();
  assert.equal(await page.locator('#pvz .pvz-details-as-written').textContent(), 'по предварительной записи');
  assert.equal(await page.locator('#pvz .pvz-details-open').textContent(), 'Часы работы уточняйте у перевозчика');
  assert.equal(await page.locator('#pvz .pvz-details-week').count(), 0, 'no week of days off');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a CDEK parcel waiting at a CDEK office shows on the tracking page', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/tracking.html`);
  await page.locator('#tracking').getByLabel('Номер отправления').fill('1106394527');
  await page.keyboard.press('Enter');
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.equal(ready.detail.status, 'ready_for_pickup');
  await page.locator('#tracking .pvz-track-point .leaflet-container').waitFor();
  const texts = await page.locator('#tracking .pvz-timeline-text').allTextContents();
  assert.deepEqual(texts, ['Готов к выдаче', 'Принят в пункт выдачи', 'Отправлен в г. получатель', 'Принят', 'Создан']);
  assert.match(await page.locator('#tracking .pvz-track-expected').textContent(), /24 ноября/);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Switches the simulator's fault (`none`, `server_error`, `slow`, `garbage`) or expires its tokens. */
async function inject(what) {
  const control = env.sim.url.replace(/\/v2$/, '/control');
  const response = what === 'expired_token'
    ? await fetch(`${control}/expire-tokens`, { method: 'POST' })
    : await fetch(`${control}/fault`, { method: 'POST', body: what });
  assert.ok(response.ok, `injecting ${what}: ${response.status}`);
}

test('through every CDEK fault the checkout keeps its points and says where prices are missing', async () => {
  const faults = ['server_error', 'garbage', 'slow', 'expired_token', 'server_error'];
  const tally = await faultRun(env.browser, env.proxy.url, faults, inject);
  console.log(`CDEK faults: ${JSON.stringify(tally)}`);
  assert.deepEqual(tally, { injected: faults.length, survived: faults.length, pointsLost: 0 });
});

test('the CDEK credentials and tokens appear in no log line, page, bundle file or metric', async () => {
  const visible = await everythingVisible(env.proxy);
  const log = visible[0][1];
  assert.ok(log.includes('points synced'), 'the log was read');
  for (const [where, text] of visible) {
    assert.ok(!text.includes('shop-secret'), `the client secret in ${where}`);
    assert.ok(!/token-\d+/.test(text), `a CDEK token in ${where}`);
  }
});
