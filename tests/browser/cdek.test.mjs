// The widget on a proxy whose only carrier is CDEK, spoken to through the CDEK simulator: its synced
// points on the map and in the list with CDEK's prices, and a CDEK parcel on the tracking page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, recordingPage, startCdekSim, startProxy, waitForEvent } from './support.mjs';

const env = {};
const POINTS = 2000;

before(async () => {
  env.data = mkdtempSync(join(tmpdir(), 'pvz-cdek-'));
  env.sim = await startCdekSim(POINTS);
  env.proxy = await startProxy({
    PVZ_CDEK_CLIENT_ID: 'shop-client',
    PVZ_CDEK_CLIENT_SECRET: 'shop-secret',
    PVZ_CDEK_BASE_URL: env.sim.url,
    PVZ_DATA_DIR: env.data,
  });
  env.browser = await launchBrowser();
  // The first sync runs in the background after the start.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const carriers = await (await fetch(`${env.proxy.url}/api/v1/carriers`)).json();
    if (carriers.some((c) => c.name === 'cdek' && c.points > 0)) break;
    if (Date.now() > deadline) throw new Error(`CDEK points never synced: ${JSON.stringify(carriers)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

after(async () => {
  await env.browser?.close();
  env.proxy?.stop();
  env.sim?.stop();
  if (env.data) rmSync(env.data, { recursive: true, force: true });
});

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
  assert.ok(prices.some((p) => /^\d[\d\u00a0]*(,\d\d)?\u00a0₽ · \d+–\d+\u00a0дн/.test(p)), prices.join(' | '));
  assert.equal(await page.locator('#pvz .pvz-chip-carrier').count(), 0, 'no carrier chips for a single carrier');
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
