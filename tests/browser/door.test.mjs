// Delivery to the door in Chromium, as a buyer chooses it on a desktop and on a phone: «Курьером», a street
// typed and its house picked from the suggestions, every carrier's courier price with its dates side by
// side, a flat, the choice; the form then holds the door, and the shop's backend registers it at the CDEK
// simulator with a `to_location`. axe-core checks the widget in door mode; an address that cannot be
// priced leaves nothing half-chosen in the form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, carrierAndBrowser, recordingPage, screenshot, startCdekSim, waitForEvent } from './support.mjs';

const KEY = 'door-browser-shop-key-0123456789';
const env = carrierAndBrowser('cdek', () => startCdekSim(50), (url, data) => ({
  PVZ_CDEK_CLIENT_ID: 'shop-client',
  PVZ_CDEK_CLIENT_SECRET: 'shop-secret',
  PVZ_CDEK_BASE_URL: url,
  PVZ_DATA_DIR: data,
  PVZ_DEMO: 'true',
  PVZ_SHOP_API_KEYS: KEY,
  PVZ_SHIPMENT_POLL_SECONDS: '1',
}));

/** A delivery date window as the widget writes it («413,75 ₽ · 2–3 декабря», `413.75 ₽ · Dec 2–3`). */
const PRICE = /^(\d[\d\u00a0]*(,\d\d)?\u00a0₽ · \d{1,2}(–\d{1,2})? [а-я]+( – \d{1,2} [а-я]+)?|₽\d[\d,]*(\.\d\d)? · [A-Z][a-z]{2} \d{1,2}(–\d{1,2})?( – [A-Z][a-z]{2} \d{1,2})?)$/;

/** The checkout page with the widget mounted again for a Kazan buyer with `options`. */
async function checkout(viewport, options = {}) {
  const { page, errors } = await recordingPage(env.browser);
  await page.setViewportSize(viewport);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  await page.evaluate((options) => {
    window.pvzEvents.length = 0;
    window.pvzHandle = window.PvzWidget.mount(document.querySelector('#pvz'), { city: 'Казань', weight: 1200, dims: '30x20x10', value: 2500, ...options });
  }, options);
  // Only pvz:ready: a parcel the shop describes wrongly also sends pvz:error.
  await page.waitForFunction(() => window.pvzEvents.some((e) => e.type === 'pvz:ready'));
  return { page, errors };
}

/** The widget's hidden form inputs, by name. */
async function formFields(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#pvz > input[type=hidden]')].map((i) => [i.name, i.value])));
}

/** Types a street, picks it, adds the house and picks the address: the buyer's way to a door. */
async function pickAddress(page, { street, house, addHouse }) {
  const input = page.locator('#pvz .pvz-door-address');
  const options = page.locator('#pvz .pvz-addresses [role=option]');
  await input.pressSequentially(street, { delay: 20 });
  await options.first().waitFor();
  const streetDetail = await options.first().locator('.pvz-suggestion-detail').textContent();
  await options.first().click();
  assert.equal(await page.locator('#pvz .pvz-door-note').textContent(), addHouse, 'a street alone asks for its house');
  await input.pressSequentially(house, { delay: 20 });
  await page.waitForFunction((house) => {
    const first = document.querySelector('#pvz').shadowRoot.querySelector('.pvz-addresses [role=option] .pvz-suggestion-label');
    return first?.textContent.endsWith(`, ${house}`);
  }, house);
  const label = await options.first().locator('.pvz-suggestion-label').textContent();
  await options.first().click();
  return { streetDetail, label };
}

/** The door prices once they are shown: carrier, tariff, price line and marks of each. */
async function doorPrices(page) {
  await page.locator('#pvz .pvz-door-quote').first().waitFor({ timeout: 15_000 });
  return page.locator('#pvz .pvz-door-quote').evaluateAll((rows) => rows.map((row) => ({
    carrier: row.querySelector('.pvz-door-carrier').firstChild.textContent,
    tariff: row.querySelector('.pvz-door-tariff').textContent,
    price: row.querySelector('.pvz-door-price').textContent,
    marks: [...row.querySelectorAll('.pvz-mark')].map((m) => m.textContent),
  })));
}

/** Registers the form's door through the shipments API, as the shop's backend does, and waits until CDEK has it. */
async function registerAtCdek(fields, number) {
  const response = await fetch(`${env.proxy.url}/api/v1/shipments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      order_number: number,
      door: JSON.parse(fields.pvz_door),
      parcel: { weight_g: 1200, boxes: [{ length: 30, width: 20, height: 10 }], declared_value: 250000, cash_on_delivery: 0 },
      recipient: { name: 'Иванова Мария', phone: '+7 912 345-67-89' },
      items: [{ name: 'Пуэр', sku: 'PU-357', price: 160000, quantity: 1, weight_g: 450 }],
    }),
  });
  const shipment = await response.json();
  assert.ok([201, 202].includes(response.status), JSON.stringify(shipment));
  assert.equal(shipment.cost.quoted, Math.round(Number(fields.pvz_cost) * 100), 'priced as the buyer was shown');
  const control = env.sim.url.replace(/\/v2$/, '/control');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const orders = await (await fetch(`${control}/orders`)).json();
    const order = orders.find((o) => o.number === number);
    if (order) return order;
    assert.ok(Date.now() < deadline, `order ${number} never reached CDEK`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('on a desktop, a buyer switches to the courier, picks a Kazan house, compares carriers and sends the door to CDEK', async () => {
  const { page, errors } = await checkout({ width: 1280, height: 900 });
  await page.getByRole('radio', { name: 'Курьером' }).check();
  assert.equal(await page.locator('#pvz .pvz-pickup').getAttribute('data-hidden'), 'true', 'the points step aside');
  const { streetDetail, label } = await pickAddress(page, { street: 'Мира', house: '5', addHouse: 'Допишите номер дома — курьеру нужен точный адрес' });
  assert.match(streetDetail, /^420\d{3} Казань · улица — допишите дом$/, 'the page\'s city first, the street marked not precise');
  assert.equal(label, 'ул. Мира, 5');
  const prices = await doorPrices(page);
  const carriers = prices.map((p) => p.carrier);
  assert.ok(carriers.includes('СДЭК') && carriers.length >= 3, `CDEK beside the demo carriers: ${carriers}`);
  for (const p of prices) assert.match(p.price, PRICE, `${p.carrier}: cost and dates`);
  assert.equal(prices.filter((p) => p.marks.includes('дешевле всех')).length >= 1, true, 'the cheapest marked');
  assert.match(await page.locator('#pvz .pvz-door-status').textContent(), /^\d варианта? доставки$/);
  await page.locator('#pvz .pvz-door .leaflet-container').waitFor();
  assert.deepEqual(await formFields(page), {}, 'nothing in the form before a price is chosen');
  assert.deepEqual(await axeViolations(page), [], 'axe on the door prices');

  await page.getByLabel('Квартира или офис').fill('17');
  const cdek = page.locator('#pvz .pvz-door-quote', { hasText: 'СДЭК' });
  await cdek.getByRole('button').click();
  const chosen = await waitForEvent(page, 'pvz:select');
  assert.equal(chosen.detail.delivery, 'door');
  assert.equal(chosen.detail.quote.carrier, 'cdek');
  assert.deepEqual([chosen.detail.address.street, chosen.detail.address.house, chosen.detail.address.flat], ['ул. Мира', '5', '17']);
  assert.equal(await cdek.getAttribute('data-chosen'), 'true');
  assert.equal(await cdek.getByRole('button').textContent(), 'Выбрано');
  const summary = await page.locator('#pvz .pvz-choice').textContent();
  assert.ok(summary.includes('Доставка курьером · СДЭК') && summary.includes('ул. Мира, д. 5, кв. 17'), summary);
  const fields = await formFields(page);
  assert.equal(fields.pvz_delivery, 'door');
  assert.equal(fields.pvz_carrier, 'cdek');
  assert.match(fields.pvz_address, /^420\d{3}, г\. Казань, ул\. Мира, д\. 5, кв\. 17$/);
  assert.match(fields.pvz_cost, /^\d+\.\d\d$/);
  assert.match(fields.pvz_days, /^\d+-\d+$/);
  assert.equal(fields.pvz_point_id, undefined, 'no point for a door');
  assert.deepEqual(await axeViolations(page), [], 'axe on the door chosen');
  await screenshot(page, 'door-desktop.png', { fullPage: true });

  const order = await registerAtCdek(fields, 'DOOR-DESKTOP');
  assert.equal(order.delivery_point, '', 'no office: a door');
  assert.equal(order.to_location.postal_code, JSON.parse(fields.pvz_door).address.postal_code);
  assert.equal(order.to_location.address, fields.pvz_address, 'the courier gets the flat too');
  assert.ok([137, 139].includes(order.tariff_code), `a tariff that ends at the door: ${order.tariff_code}`);

  // The cart grows: the widget starts again with the door kept, priced for the heavier parcel.
  await page.evaluate(() => { window.pvzEvents.length = 0; window.pvzHandle.update({ weight: 4200 }); });
  const repriced = await waitForEvent(page, 'pvz:select');
  assert.equal(repriced.detail.delivery, 'door');
  assert.equal(repriced.detail.quote.carrier, 'cdek');
  assert.equal(repriced.detail.address.flat, '17', 'the flat kept');
  assert.notEqual(repriced.detail.quote.cost.kopecks, chosen.detail.quote.cost.kopecks, 'priced for 4.2 kg');
  assert.equal(await page.getByRole('radio', { name: 'Курьером' }).isChecked(), true, 'on the courier\'s side');
  assert.equal(await page.locator('#pvz .pvz-door-address').inputValue(), 'ул. Мира, 5');
  assert.equal(await page.getByLabel('Квартира или офис').inputValue(), '17');
  await page.locator('#pvz .pvz-door-quote[data-chosen=true]', { hasText: 'СДЭК' }).waitFor();
  assert.equal((await formFields(page)).pvz_door, fields.pvz_door, 'the same door in the form');
  // The shop stops shipping with CDEK: the door chosen with it is dropped, and the buyer told why.
  await page.evaluate(() => { window.pvzEvents.length = 0; window.pvzHandle.update({ carriers: 'demo-express,demo-post' }); });
  const dropped = await waitForEvent(page, 'pvz:clear');
  assert.equal(dropped.detail.reason, 'door_unavailable');
  assert.match(dropped.detail.message, /^Курьер, выбранный раньше, больше не привезёт эту посылку по адресу 420\d{3}, г\. Казань, ул\. Мира, д\. 5, кв\. 17\./);
  assert.equal(await page.locator('#pvz .pvz-notice').textContent(), dropped.detail.message);
  assert.deepEqual(await formFields(page), {}, 'nothing left in the form');

  // Back to the points: one chosen there replaces the door in the form, leaving nothing of it behind.
  await page.getByRole('radio', { name: 'Пункт выдачи' }).check();
  const point = page.locator('#pvz .pvz-list [role=option]').first();
  await point.click();
  await page.locator('#pvz .pvz-details .pvz-choose').click();
  await page.waitForFunction(() => window.pvzEvents.some((e) => e.type === 'pvz:select'));
  const pickup = await formFields(page);
  assert.equal(pickup.pvz_delivery, 'pickup');
  assert.ok(pickup.pvz_point_id, 'the point');
  assert.equal(pickup.pvz_door, undefined, 'the door is gone');
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone, in English, the courier is chosen with the keyboard and the page stays phone-wide', async () => {
  const { page, errors } = await checkout({ width: 375, height: 740 }, { lang: 'en', delivery: 'door,pickup' });
  assert.equal(await page.getByRole('radio', { name: 'Courier' }).isChecked(), true, 'data-delivery names the door first');
  const { label } = await pickAddress(page, { street: 'Ленина', house: '12', addHouse: 'Add the house number: a courier needs the exact address' });
  assert.match(label, /Ленина, 12$/);
  const prices = await doorPrices(page);
  assert.ok(prices.length >= 2, `at least two carriers: ${JSON.stringify(prices)}`);
  for (const p of prices) assert.match(p.price, PRICE, `${p.carrier}: cost and dates`);
  assert.deepEqual(await axeViolations(page), [], 'axe on a phone');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `the page is ${width} px wide on a 375 px phone`);
  const first = page.locator('#pvz .pvz-door-quote').first().getByRole('button');
  await first.focus();
  await page.keyboard.press('Enter');
  const chosen = await waitForEvent(page, 'pvz:select');
  assert.equal(chosen.detail.delivery, 'door');
  await screenshot(page, 'door-phone.png', { fullPage: true });
  const fields = await formFields(page);
  assert.equal(fields.pvz_delivery, 'door');
  assert.equal(JSON.parse(fields.pvz_door).carrier, chosen.detail.quote.carrier);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a door alone hides the switch; a parcel that cannot be priced leaves the form empty and says why', async () => {
  const { page, errors } = await checkout({ width: 1000, height: 800 }, { delivery: 'door', weight: 'тяжёлая' });
  assert.equal(await page.locator('#pvz .pvz-delivery').count(), 0, 'no switch for one way');
  assert.equal(await page.locator('#pvz .pvz-pickup').count(), 0, 'no points at all');
  assert.equal((await page.evaluate(() => window.pvzEvents.find((e) => e.type === 'pvz:ready'))).detail.points, 0);
  await pickAddress(page, { street: 'Мира', house: '5', addHouse: 'Допишите номер дома — курьеру нужен точный адрес' });
  const status = page.locator('#pvz .pvz-door-status');
  await page.waitForFunction(() => document.querySelector('#pvz').shadowRoot.querySelector('.pvz-door-status').textContent.startsWith('Не удалось'));
  assert.equal(await status.textContent(), 'Не удалось рассчитать доставку: в данных о посылке ошибка. Выберите пункт выдачи или сообщите магазину.');
  assert.equal(await page.locator('#pvz .pvz-door-quote').count(), 0);
  assert.deepEqual(await formFields(page), {}, 'nothing half-chosen');
  assert.deepEqual(await axeViolations(page), [], 'axe on the refusal');
  assert.ok(errors.every((e) => e.includes('data-weight')), `only the parcel's own error: ${errors}`);
  await page.close();
});
