// The order page's tracking view: a demo parcel found by typing its number and by `data-track`, and the
// clear messages for a number no carrier knows and for one that is not a track number at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyAndBrowser, recordingPage, waitForEvent } from './support.mjs';

const env = proxyAndBrowser();

function shadow(page, selector) {
  return page.evaluate((s) => [...document.querySelector('#tracking').shadowRoot.querySelectorAll(s)].map((e) => e.textContent), selector);
}

test('typing a demo parcel\'s number shows its status, its pickup point with hours and map, and its history', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/tracking.html`);
  const listed = await page.locator('#demo-parcels code').allTextContents();
  assert.ok(listed.includes('DE0000000103'), 'the demo page lists the demo parcels');
  const input = page.locator('#tracking').getByLabel('Номер отправления');
  await input.fill('de 0000000103');
  await page.keyboard.press('Enter');
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.deepEqual(ready.detail, { mode: 'tracking', number: 'DE0000000103', status: 'ready_for_pickup' });
  assert.equal((await shadow(page, '.pvz-track-status'))[0].trim(), 'Готов к выдаче');
  assert.match((await shadow(page, '.pvz-track-storage'))[0], /^Хранится в пункте выдачи до \d+ \S+$/);
  await page.locator('#tracking .pvz-track-point .leaflet-container').waitFor();
  assert.match((await shadow(page, '.pvz-track-point .pvz-details-open'))[0], /\S/, 'the point says whether it is open now');
  assert.equal((await shadow(page, '.pvz-track-point .pvz-details-week tr')).length, 7, 'the week\'s hours');
  const events = page.locator('#tracking [role=listitem]');
  assert.ok(await events.count() >= 5);
  const times = await page.locator('#tracking .pvz-timeline-time').allTextContents();
  const parse = (t) => { const [d, m, y, h, min] = t.match(/\d+/g).map(Number); return Date.UTC(y, m - 1, d, h, min); };
  for (let i = 1; i < times.length; i++) assert.ok(parse(times[i - 1]) >= parse(times[i]), `newest first: ${times}`);
  assert.match(times[0], /^\d\d\.\d\d\.\d{4} \d\d:\d\d \(UTC\+3\)$/);
  assert.equal((await events.first().locator('.pvz-timeline-text').textContent()), 'Готов к выдаче');
  assert.deepEqual(errors, []);
  await page.close();
});

test('data-track shows the parcel at once, in English when asked', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/tracking.html`);
  const result = await page.evaluate(async () => {
    const element = document.createElement('div');
    element.id = 'order';
    document.body.append(element);
    const ready = new Promise((resolve) => element.addEventListener('pvz:ready', (e) => resolve(e.detail)));
    window.PvzWidget.mount(element, { mode: 'tracking', track: 'DP0000000104', lang: 'en' });
    const detail = await ready;
    const root = element.shadowRoot;
    return {
      detail,
      status: root.querySelector('.pvz-track-status').textContent,
      input: root.querySelector('input').value,
      newest: root.querySelector('[role=listitem] .pvz-timeline-text').textContent,
    };
  });
  assert.equal(result.detail.status, 'delivered');
  assert.equal(result.status.trim(), 'Delivered');
  assert.equal(result.input, 'DP0000000104');
  assert.equal(result.newest, 'Вручён получателю', 'the carrier\'s own wording is kept');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a number no carrier knows gets a clear "not found" and pvz:error', async () => {
  const { page } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/tracking.html`);
  await page.locator('#tracking').getByLabel('Номер отправления').fill('DE0000000999');
  await page.locator('#tracking').getByRole('button', { name: 'Отследить' }).click();
  const failure = await page.waitForFunction(() => window.pvzEvents.find((e) => e.type === 'pvz:error'));
  const event = await failure.jsonValue();
  assert.equal(event.detail.code, 'track_not_found');
  const status = (await shadow(page, '[role=status]'))[0];
  assert.equal(status, 'Отправление DE0000000999 не найдено: проверьте номер или попробуйте позже');
  assert.equal((await shadow(page, '.pvz-track')).length, 0);
  await page.close();
});

test('a malformed number is refused at once, and one no carrier of the shop takes says what theirs look like', async () => {
  const { page } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/tracking.html`);
  const asked = [];
  page.on('request', (request) => { if (request.url().includes('/api/v1/tracking/')) asked.push(request.url()); });
  const forms = 'Демо Экспресс: DE и 10 цифр; Демо Почта: DP и 10 цифр';
  await page.waitForFunction((text) => document.querySelector('#tracking').shadowRoot.querySelector('.pvz-track-hint')?.textContent === text, forms);
  const input = page.locator('#tracking').getByLabel('Номер отправления');
  assert.equal(await input.getAttribute('aria-describedby'), 'pvz-track-hint', 'the forms are read out with the box');
  const statusOf = async (number) => {
    await input.fill(number);
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelector('#tracking').shadowRoot.querySelector('[role=status]').textContent.includes(n), number);
    return (await shadow(page, '[role=status]'))[0];
  };
  const junk = await statusOf('<img src=x onerror=alert(1)>');
  assert.match(junk, /^Номер «<img src=x onerror=alert\(1\)>» не подходит: .*только латинские буквы и цифры/);
  assert.equal(await page.evaluate(() => document.querySelector('#tracking').shadowRoot.querySelectorAll('img').length), 0);
  assert.deepEqual(asked, [], 'junk never leaves the page');

  // The proxy knows which carriers it tracks; the buyer reads its refusal in Russian, with their formats.
  for (const number of ['12345', 'RA123456785RU']) {
    const status = await statusOf(number);
    assert.equal(status, `Номер «${number}» не похож на номер ни одного перевозчика этого магазина. Номера выглядят так: ${forms}`);
  }
  const events = await page.evaluate(() => window.pvzEvents.filter((e) => e.type === 'pvz:error').map((e) => e.detail.code));
  assert.deepEqual(events, ['bad_request', 'unknown_number_format', 'unknown_number_format']);
  await page.close();
});
