// The owner's desk in Chromium, as an owner uses it: signing in, finding a delivery by filters and by its
// number, opening it, printing its label, cancelling it, calling a courier, downloading both reports for
// Excel, reading the health page, on a desktop and a phone, in Russian and English. axe-core checks every
// screen. Forms forged without the session's token, or sent from another site with the owner's cookie, are
// refused and change nothing; wrong passwords are limited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { axeViolations, proxyAndBrowser, recordingPage, screenshot, startCdekSim, startProxy, waitForPoints } from './support.mjs';

const PASSWORD = 'чайная-лавка-2026';
const KEY = 'desk-test-shop-key-0123456789';
const hash = execFileSync(process.env.PVZ_PROXY_BIN, ['hash-password'], { input: `${PASSWORD}\n` }).toString().trim();
const env = proxyAndBrowser({ PVZ_DESK_PASSWORD_HASH: hash, PVZ_SHOP_API_KEYS: KEY });
const BUYERS = ['Иванова Мария', 'Петров Алексей', 'Сидорова Анна', 'Кузнецов Иван', 'Смирнова Ольга', 'Попов Денис'];

/** Six demo orders through the shop API, D-1 to D-6, three to each demo carrier. */
async function orders() {
  const view = await (await fetch(`${env.proxy.url}/api/v1/points?bbox=37.60,55.75,37.64,55.765&zoom=18`)).json();
  const points = [...(view.nearest ?? []), ...view.points];
  const express = points.find((p) => p.id.startsWith('demo-express:')).id;
  const post = points.find((p) => p.id.startsWith('demo-post:')).id;
  const made = [];
  for (const [i, name] of BUYERS.entries()) {
    const response = await fetch(`${env.proxy.url}/api/v1/shipments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        order_number: `D-${i + 1}`,
        point_id: i % 2 ? post : express,
        parcel: { weight_g: 1200, boxes: [{ length: 30, width: 20, height: 10 }], declared_value: 250000, cash_on_delivery: 0 },
        recipient: { name, phone: '+7 912 345-67-8' + i },
        items: [{ name: 'Пуэр', sku: 'PU-357', price: 160000, quantity: 1, weight_g: 450 }],
      }),
    });
    assert.equal(response.status, 201);
    made.push(await response.json());
  }
  return made;
}

async function noViolations(page, screen) {
  assert.deepEqual(await axeViolations(page), [], `axe on ${screen}`);
}

async function signIn(context) {
  const { page, errors } = await recordingPage(context);
  await page.goto(`${env.proxy.url}/desk/`);
  assert.match(page.url(), /\/desk\/sign-in$/, 'sent to sign in first');
  await page.getByLabel('Пароль').fill(PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.locator('table').waitFor();
  return { page, errors };
}

test('the owner signs in, finds, opens, prints, cancels, calls a courier and downloads both reports', async () => {
  const made = await orders();
  const context = await env.browser.newContext({ acceptDownloads: true, locale: 'ru-RU' });
  const { page: first } = await recordingPage(context);
  await first.goto(`${env.proxy.url}/desk/sign-in`);
  await noViolations(first, 'the sign-in page');
  await first.getByLabel('Пароль').fill('not the password');
  await first.getByRole('button', { name: 'Войти' }).click();
  assert.equal(await first.getByRole('alert').textContent(), 'Неверный пароль.');
  await first.close();

  const { page, errors } = await signIn(context);
  const rows = page.locator('tbody tr');
  assert.equal(await rows.count(), 6);
  assert.equal(await rows.first().locator('th').textContent(), 'D-6', 'newest first');
  assert.ok((await rows.first().textContent()).includes('Попов Денис'), 'the buyer');
  await noViolations(page, 'the deliveries');
  await screenshot(page, 'desk-deliveries.png', { fullPage: true });

  // Filters: a carrier, then a track number.
  await page.getByLabel('Перевозчик').selectOption('demo-post');
  await page.getByRole('button', { name: 'Показать' }).click();
  await page.waitForURL(/carrier=demo-post/);
  assert.equal(await rows.count(), 3);
  await page.getByLabel('Перевозчик').selectOption('');
  await page.getByLabel('Номер заказа или отправления').fill(made[2].track_number);
  await page.getByRole('button', { name: 'Показать' }).click();
  await page.waitForURL(/number=/);
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().locator('th').textContent(), 'D-3');

  // One delivery: its history, its label, cancelled.
  await rows.first().getByRole('link', { name: 'D-3' }).click();
  await page.getByRole('heading', { name: 'Заказ D-3' }).waitFor();
  const history = await page.locator('#history').locator('..').textContent();
  assert.ok(history.includes('Перевозчик ещё ничего не сообщил') || history.includes('Зарегистрирован'), history);
  await noViolations(page, 'a delivery');
  await screenshot(page, 'desk-delivery.png', { fullPage: true });
  const href = await page.getByRole('link', { name: 'Печать ярлыка (PDF)' }).getAttribute('href');
  const pdf = await page.request.get(`${env.proxy.url}${href}`);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  await page.getByRole('button', { name: 'Отменить доставку' }).click();
  assert.equal(await page.getByRole('status').textContent(), 'Доставка отменена.');
  assert.equal(await page.locator('.desk-facts .desk-state').textContent(), 'Отменён');
  const api = await (await fetch(`${env.proxy.url}/api/v1/shipments/${made[2].id}`, { headers: { authorization: `Bearer ${KEY}` } })).json();
  assert.equal(api.state, 'cancelled', 'the same shipment the API reads');

  // A courier for two of them.
  await page.getByRole('link', { name: 'Курьер' }).click();
  await page.getByRole('heading', { name: 'Вызов курьера' }).waitFor();
  await noViolations(page, 'the courier call');
  await page.getByRole('checkbox', { name: /D-1 ·/ }).check();
  await page.getByRole('checkbox', { name: /D-5 ·/ }).check();
  await page.getByLabel('Кто отдаст посылки').fill('Склад, Ольга');
  await page.getByLabel('Телефон').fill('+7 912 000-00-00');
  await page.getByLabel('Адрес').fill('ул. Складская, 1');
  await page.getByRole('button', { name: 'Вызвать курьера' }).click();
  assert.equal(await page.getByRole('status').first().textContent(), 'Курьер вызван.');
  const requests = await page.locator('#made + p + ul li').allTextContents();
  assert.equal(requests.length, 2, requests.join('; '));
  assert.ok(requests.every((r) => r.includes('заявка courier-')), requests.join('; '));
  const taken = await page.locator('#taken ~ tbody tr, table:has(#taken) tbody tr').allTextContents();
  assert.equal(taken.length, 2, 'the requests taken are kept and listed');
  assert.ok(taken.some((r) => r.includes('D-1')) && taken.some((r) => r.includes('D-5')), taken.join('; '));
  await noViolations(page, 'the courier call taken');

  // Both reports on screen, and as CSV that Excel opens with Cyrillic intact.
  await page.getByRole('link', { name: 'Отчёты' }).click();
  await page.getByRole('heading', { name: 'Статусы заказов' }).waitFor();
  await noViolations(page, 'the reports');
  assert.equal(await page.locator('#statuses ~ .desk-table tbody tr').count(), 6);
  for (const [n, header] of [[0, 'Заказ;Перевозчик;Пункт;Трек-номер;Состояние'], [1, 'Заказ;Перевозчик;Трек-номер;Состояние;Цена для покупателя']]) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Скачать CSV для Excel' }).nth(n).click(),
    ]);
    const bytes = await readFile(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte order mark');
    const text = bytes.toString('utf8').slice(1);
    assert.ok(text.startsWith(header), text.slice(0, 80));
    assert.equal(text.trim().split('\r\n').length, 7, 'a header and six shipments');
    assert.ok(text.includes('D-3;demo-'), text);
  }

  // Health.
  await page.getByRole('link', { name: 'Состояние' }).click();
  await page.getByRole('heading', { name: 'Состояние', level: 1 }).waitFor();
  assert.ok((await page.locator('tbody').textContent()).includes('Экспресс'), 'each carrier');
  await noViolations(page, 'the health page');
  await screenshot(page, 'desk-health.png', { fullPage: true });

  // In English, and on a phone.
  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Health', level: 1 }).waitFor();
  await page.setViewportSize({ width: 375, height: 740 });
  await page.getByRole('link', { name: 'Deliveries', exact: true }).click();
  await page.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor();
  await noViolations(page, 'the deliveries on a phone, in English');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page fits the phone's width (the table scrolls inside): ${overflow} px over`);
  await screenshot(page, 'desk-phone.png', { fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a forged form, a form from another site and a replayed cookie from another origin change nothing', async () => {
  const [target] = await orders().catch(() => []) ?? [];
  const context = await env.browser.newContext({ locale: 'ru-RU' });
  const { page } = await signIn(context);
  const list = await (await fetch(`${env.proxy.url}/api/v1/shipments?state=registered`, { headers: { authorization: `Bearer ${KEY}` } })).json();
  const id = (target ?? list.shipments[0]).id;
  const cookie = (await context.cookies()).find((c) => c.name === 'pvz_desk');
  await page.goto(`${env.proxy.url}/desk/shipments/${id}`);
  const token = await page.locator('input[name=csrf]').first().inputValue();

  // No token: refused, though the cookie is the owner's own.
  const forged = await page.request.post(`${env.proxy.url}/desk/shipments/${id}/cancel`, { form: { csrf: '' }, maxRedirects: 0 });
  assert.equal(forged.status(), 403);

  // The cookie and even the token replayed from another origin.
  const replay = await fetch(`${env.proxy.url}/desk/shipments/${id}/cancel`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `pvz_desk=${cookie.value}`, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    body: `csrf=${token}`,
  });
  assert.equal(replay.status, 403);

  // A page on another site that posts the desk's form: the browser sends no cookie there (SameSite=Strict)
  // and says the request is cross-site.
  const evil = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><title>Win</title>
      <form method="post" action="${env.proxy.url}/desk/shipments/${id}/cancel"><input name="csrf" value="${token}"><button>Claim</button></form>`);
  });
  await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
  const other = await context.newPage();
  await other.goto(`http://localhost:${evil.address().port}/`);
  const [answer] = await Promise.all([other.waitForResponse((r) => r.url().includes('/cancel')), other.getByRole('button', { name: 'Claim' }).click()]);
  assert.equal(answer.status(), 403);
  evil.close();

  const after = await (await fetch(`${env.proxy.url}/api/v1/shipments/${id}`, { headers: { authorization: `Bearer ${KEY}` } })).json();
  assert.notEqual(after.state, 'cancelled', 'nothing was cancelled');

  // Signing out ends the session: the same cookie opens nothing.
  await page.getByRole('button', { name: 'Выйти' }).click();
  await page.waitForURL(/sign-in$/);
  const stale = await fetch(`${env.proxy.url}/desk/`, { redirect: 'manual', headers: { cookie: `pvz_desk=${cookie.value}` } });
  assert.equal(stale.status, 303);
  await context.close();
});

test('wrong passwords are limited per client, and without a password hash the desk says how to turn it on', async () => {
  const statuses = [];
  for (let n = 0; n < 6; n += 1) {
    const response = await fetch(`${env.proxy.url}/desk/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `password=guess-${n}`,
    });
    statuses.push(response.status);
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);

  const plain = await startProxy();
  try {
    const off = await fetch(`${plain.url}/desk/`);
    assert.equal(off.status, 404);
    assert.ok((await off.text()).includes('pvz-proxy hash-password'));
    const { page } = await recordingPage(env.browser);
    await page.goto(`${plain.url}/desk/`);
    await noViolations(page, 'the page of a desk that is off');
    await page.close();
  } finally {
    plain.stop();
  }
});

test('a delivery CDEK refused is corrected on the desk and sent again', async () => {
  const sim = await startCdekSim(50);
  const proxy = await startProxy({
    PVZ_CDEK_CLIENT_ID: 'shop-client',
    PVZ_CDEK_CLIENT_SECRET: 'shop-secret',
    PVZ_CDEK_BASE_URL: sim.url,
    PVZ_CDEK_TIMEOUT_SECONDS: '2',
    PVZ_SHIPMENT_POLL_SECONDS: '1',
    PVZ_DESK_PASSWORD_HASH: hash,
    PVZ_SHOP_API_KEYS: KEY,
  });
  try {
    await waitForPoints(proxy.url, 'cdek');
    // The office is still listed, but CDEK no longer takes orders to it.
    await fetch(`${sim.url.replace(/\/v2$/, '')}/control/close-office`, { method: 'POST', body: 'MSK00003' });
    const created = await (await fetch(`${proxy.url}/api/v1/shipments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        order_number: 'R-1',
        point_id: 'cdek:MSK00003',
        parcel: { weight_g: 1200, boxes: [{ length: 30, width: 20, height: 10 }], declared_value: 250000, cash_on_delivery: 0 },
        recipient: { name: 'Иванова Мария', phone: '+7 912 345-67-89' },
        items: [{ name: 'Пуэр', sku: 'PU-357', price: 160000, quantity: 1, weight_g: 450 }],
      }),
    })).json();
    const context = await env.browser.newContext({ locale: 'ru-RU' });
    const { page, errors } = await recordingPage(context);
    await page.goto(`${proxy.url}/desk/sign-in`);
    await page.getByLabel('Пароль').fill(PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.locator('table').waitFor();
    const url = `${proxy.url}/desk/shipments/${created.id}`;
    for (let tries = 0; ; tries += 1) {
      await page.goto(url);
      if (await page.getByRole('heading', { name: 'Исправить и отправить снова' }).count()) break;
      assert.ok(tries < 50, 'the refusal reaches the desk');
      await page.waitForTimeout(200);
    }
    assert.ok((await page.locator('main').textContent()).includes('v2_delivery_point_not_found'), 'CDEK\'s code');
    await noViolations(page, 'a refused delivery with its correction form');
    await page.getByLabel('Пункт выдачи').fill('cdek:MSK00000');
    await page.getByRole('button', { name: 'Отправить снова' }).click();
    assert.equal(await page.getByRole('status').textContent(), 'Отправлено перевозчику снова.');
    for (let tries = 0; ; tries += 1) {
      await page.goto(url);
      if ((await page.locator('.desk-facts .desk-state').textContent()) === 'Зарегистрирован') break;
      assert.ok(tries < 50, 'registered at the other office');
      await page.waitForTimeout(200);
    }
    const orders = await (await fetch(`${sim.url.replace(/\/v2$/, '')}/control/orders`)).json();
    assert.deepEqual(orders.filter((o) => o.number === 'R-1').map((o) => o.live), [false, true]);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    proxy.stop();
    sim.stop();
  }
});
