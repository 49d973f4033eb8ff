// The widget on a proxy with all three real carriers, each spoken to through its simulator: Boxberry's points
// beside CDEK's and Russian Post's, with Boxberry's prices; a Boxberry parcel on the tracking page; the
// checkout through every Boxberry fault; and Boxberry's token nowhere a buyer or a log collector can see.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  everythingVisible, faultRun, launchBrowser, recordingPage, startBoxberrySim, startCdekSim, startProxy,
  startRussianPostSim, waitForEvent, waitForPoints, PRICE_RU } from './support.mjs';

const TOKEN = 'bb-token-5448637f';
const env = {};

before(async () => {
  env.data = mkdtempSync(join(tmpdir(), 'pvz-three-'));
  [env.boxberry, env.cdek, env.post] = await Promise.all([startBoxberrySim(300), startCdekSim(900), startRussianPostSim(600)]);
  env.proxy = await startProxy({
    PVZ_BOXBERRY_TOKEN: TOKEN,
    PVZ_BOXBERRY_BASE_URL: `${env.boxberry.url}/json.php`,
    PVZ_BOXBERRY_FROM_POINT: '010',
    PVZ_BOXBERRY_TIMEOUT_SECONDS: '2',
    PVZ_CDEK_CLIENT_ID: 'shop-client',
    PVZ_CDEK_CLIENT_SECRET: 'shop-secret',
    PVZ_CDEK_BASE_URL: env.cdek.url,
    PVZ_CDEK_TIMEOUT_SECONDS: '2',
    PVZ_RUSSIANPOST_ACCESS_TOKEN: 'rp-access-token',
    PVZ_RUSSIANPOST_USER_KEY: 'c2hvcDpvdHByYXZrYS1wYXNz',
    PVZ_RUSSIANPOST_OTPRAVKA_URL: `${env.post.url}/otpravka`,
    PVZ_RUSSIANPOST_TARIFF_URL: `${env.post.url}/tariff`,
    PVZ_RUSSIANPOST_TRACKING_URL: `${env.post.url}/tracking/rtm34`,
    PVZ_RUSSIANPOST_CITIES: 'Москва; Казань',
    PVZ_RUSSIANPOST_TIMEOUT_SECONDS: '2',
    PVZ_DATA_DIR: env.data,
    // Everything the proxy and its HTTP client log, to check that the token is in none of it.
    RUST_LOG: 'debug',
  });
  env.browser = await launchBrowser();
  await Promise.all(['boxberry', 'cdek', 'russianpost'].map((carrier) => waitForPoints(env.proxy.url, carrier)));
  // The points whose hours only their description says are described at Boxberry's polite pace.
  for (const deadline = Date.now() + 60_000; ;) {
    const metrics = await (await fetch(`${env.proxy.url}/metrics`)).text();
    if (/^pvz_points_hours_unknown\{carrier="boxberry"\} 0$/m.test(metrics)) break;
    if (Date.now() > deadline) throw new Error(`Boxberry's hours never completed:\n${metrics}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

after(async () => {
  await env.browser?.close();
  env.proxy?.stop();
  for (const sim of [env.boxberry, env.cdek, env.post]) sim?.stop();
  if (env.data) rmSync(env.data, { recursive: true, force: true });
});

const total = (page) => page.evaluate(() => Number(document.querySelector('#pvz').shadowRoot.querySelector('.leaflet-container').dataset.total));

test('Boxberry\'s points show beside CDEK\'s and Russian Post\'s, and alone with Boxberry\'s prices', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const chips = page.locator('#pvz .pvz-chip-carrier');
  assert.deepEqual((await chips.allTextContents()).map((t) => t.replace(/[\s\d]+$/, '')), ['СДЭК', 'Почта России', 'Boxberry']);
  const count = async (chip) => Number((await chip.locator('.pvz-chip-count').textContent()).replace(/\D/g, ''));
  const boxberry = chips.filter({ hasText: 'Boxberry' });
  const boxberryPoints = await count(boxberry);
  assert.ok(boxberryPoints > 100, `Moscow's simulated Boxberry points, saw ${boxberryPoints}`);
  let sum = 0;
  for (const chip of await chips.all()) sum += await count(chip);
  assert.equal(sum, await total(page), 'the three carriers\' counts add up to the points in view');

  await boxberry.click();
  await page.waitForFunction((n) => Number(document.querySelector('#pvz').shadowRoot.querySelector('.leaflet-container').dataset.total) === n, boxberryPoints);
  await page.waitForFunction(() => {
    const rows = [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-list [role=option]')];
    return rows.length > 0 && rows.every((o) => o.dataset.pointId.startsWith('boxberry:'));
  });
  await page.waitForFunction(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-point-price')]
    .some((p) => p.textContent.includes('₽')));
  const prices = await page.locator('#pvz .pvz-point-price').allTextContents();
  assert.ok(prices.some((p) => PRICE_RU.test(p)), prices.join(' | '));

  // A point's details: its week of hours and Boxberry's tariff.
  await page.locator('#pvz .pvz-list [role=option]').first().click();
  await page.locator('#pvz .pvz-details-week').waitFor();
  assert.match(await page.locator('#pvz .pvz-details-delivery').textContent(), /Посылка до (пункта выдачи|постамата)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a Boxberry parcel shows on the tracking page, by Boxberry\'s code', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/tracking.html`);
  const hint = page.locator('#tracking .pvz-track-hint', { hasText: 'Boxberry' });
  assert.match(await hint.textContent(), /Boxberry: 3 латинские буквы и 8–10 цифр/);
  await page.locator('#tracking').getByLabel('Номер отправления').fill('AAP 114630687');
  await page.keyboard.press('Enter');
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.equal(ready.detail.status, 'ready_for_pickup');
  const texts = await page.locator('#tracking .pvz-timeline-text').allTextContents();
  assert.deepEqual(texts, ['Поступило в пункт выдачи', 'Передано на сортировку: Москва Терминал Химки', 'Принято к доставке', 'Загружен реестр ИМ']);
  assert.match((await page.locator('#tracking .pvz-timeline-time').allTextContents())[0], /^23\.11\.2026 10:05 \(UTC\+3\)$/);
  assert.deepEqual(errors, []);
  await page.close();
});

async function inject(fault) {
  const response = await fetch(`${env.boxberry.url}/control/fault`, { method: 'POST', body: fault });
  assert.ok(response.ok, `injecting ${fault}: ${response.status}`);
}

test('through every Boxberry fault the checkout keeps every carrier\'s points and says where prices are missing', async () => {
  const faults = ['server_error', 'garbage', 'slow', 'server_error'];
  const tally = await faultRun(env.browser, env.proxy.url, faults, inject);
  console.log(`Boxberry faults: ${JSON.stringify(tally)}`);
  assert.deepEqual(tally, { injected: faults.length, survived: faults.length, pointsLost: 0 });
});

test('the Boxberry token appears in no log line, page, bundle file or metric', async () => {
  const visible = await everythingVisible(env.proxy);
  assert.ok(visible[0][1].includes('Boxberry points fetched'), 'the log was read');
  for (const [where, text] of visible) assert.ok(!text.includes(TOKEN), `the token in ${where}`);
});
