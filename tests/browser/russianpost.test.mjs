// The widget on a proxy whose only carrier is Russian Post, spoken to through the Russian Post simulator:
// its synced offices and lockers with the tariff calculator's prices, a parcel on the tracking page read from
// SOAP, the checkout through every fault the simulator can make, and no credential anywhere a buyer can see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { carrierAndBrowser, everythingVisible, faultRun, recordingPage, startRussianPostSim, waitForEvent, PRICE_RU } from './support.mjs';

const OFFICES = 900;
const SECRETS = { token: 'rp-access-token', key: 'c2hvcDpvdHByYXZrYS1wYXNz', password: 'tracking-pa55' };

const env = carrierAndBrowser('russianpost', () => startRussianPostSim(OFFICES), (url, data) => ({
  PVZ_RUSSIANPOST_ACCESS_TOKEN: SECRETS.token,
  PVZ_RUSSIANPOST_USER_KEY: SECRETS.key,
  PVZ_RUSSIANPOST_TRACKING_LOGIN: 'shop-login',
  PVZ_RUSSIANPOST_TRACKING_PASSWORD: SECRETS.password,
  PVZ_RUSSIANPOST_OTPRAVKA_URL: `${url}/otpravka`,
  PVZ_RUSSIANPOST_TARIFF_URL: `${url}/tariff`,
  PVZ_RUSSIANPOST_TRACKING_URL: `${url}/tracking/rtm34`,
  PVZ_RUSSIANPOST_CITIES: 'Москва; Казань',
  PVZ_RUSSIANPOST_TIMEOUT_SECONDS: '2',
  PVZ_DATA_DIR: data,
  RUST_LOG: 'debug',
}));

test('the checkout shows Russian Post\'s offices and lockers with the calculator\'s prices', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.ok(ready.detail.points > 300, `Moscow's simulated offices, saw ${ready.detail.points}`);
  await page.waitForFunction(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-point-price')]
    .some((p) => p.textContent.includes('₽')));
  const ids = await page.locator('#pvz .pvz-list [role=option]').evaluateAll((os) => os.map((o) => o.dataset.pointId));
  // Offices by their postcode; lockers by their office's postcode and where they stand.
  assert.ok(ids.length > 0 && ids.every((id) => /^russianpost:1\d{5}(-\d+-\d+)?$/.test(id)), ids.join(' '));
  const prices = await page.locator('#pvz .pvz-point-price').allTextContents();
  assert.ok(prices.some((p) => PRICE_RU.test(p)), prices.join(' | '));
  // An office with a lunch break (the simulator gives one to every other office): its week shows the break.
  const withLunch = ids.find((id) => {
    const n = Number(id.split(':')[1]) - 101000;
    return n % 2 === 0 && n % 10 !== 9 && n % 50 !== 17;
  });
  await page.locator(`#pvz .pvz-list [data-point-id="${withLunch}"]`).click();
  const week = await page.locator('#pvz .pvz-details-week').textContent();
  assert.match(week, /08:00.13:00.*14:00.20:00/, week);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a Russian Post parcel waiting at its office shows on the tracking page', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/tracking.html`);
  await page.locator('#tracking').getByLabel('Номер отправления').fill('8008 2045 1234 57');
  await page.keyboard.press('Enter');
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.equal(ready.detail.status, 'ready_for_pickup');
  await page.locator('#tracking .pvz-track-point .leaflet-container').waitFor();
  const texts = await page.locator('#tracking .pvz-timeline-text').allTextContents();
  assert.deepEqual(texts, ['Обработка: Прибыло в место вручения', 'Обработка: Сортировка', 'Приём: Единичный']);
  assert.match(await page.locator('#tracking .pvz-track-point').textContent(), /Отделение 101000/);
  assert.deepEqual(errors, []);
  // An S10 number with a wrong check digit: a typo, said before any quota is spent.
  await page.locator('#tracking').getByLabel('Номер отправления').fill('RA644000004RU');
  await page.keyboard.press('Enter');
  const typo = page.locator('#tracking .pvz-status-error');
  await typo.waitFor();
  assert.equal(await typo.textContent(), 'Номер «RA644000004RU» не подходит: не сходится контрольная цифра, проверьте, нет ли опечатки');
  assert.match(await page.locator('#tracking .pvz-track-hint').textContent(), /^Почта России: 14 цифр или RA123456785RU$/);
  await page.close();
});

async function inject(fault) {
  const response = await fetch(`${env.sim.url}/control/fault`, { method: 'POST', body: fault });
  assert.ok(response.ok, `injecting ${fault}: ${response.status}`);
}

test('through every Russian Post fault the checkout keeps its offices and says where prices are missing', async () => {
  const faults = ['server_error', 'garbage', 'slow', 'server_error'];
  const tally = await faultRun(env.browser, env.proxy.url, faults, inject);
  console.log(`Russian Post faults: ${JSON.stringify(tally)}`);
  assert.deepEqual(tally, { injected: faults.length, survived: faults.length, pointsLost: 0 });
});

test('the Russian Post credentials appear in no log line, page, bundle file or metric', async () => {
  const visible = await everythingVisible(env.proxy);
  const log = visible[0][1];
  assert.ok(log.includes('Russian Post offices fetched from the export'), 'the log was read');
  for (const [where, text] of visible) {
    for (const [name, secret] of Object.entries(SECRETS)) {
      assert.ok(!text.includes(secret), `the ${name} in ${where}`);
    }
  }
});
