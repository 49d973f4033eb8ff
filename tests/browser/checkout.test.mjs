// The demo checkout page as a buyer's browser loads it: one script tag, then a map of the city's points
// inside the widget's shadow root, clusters that open up when clicked, and a list once zoomed in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyAndBrowser, recordingPage, screenshot, waitForEvent, PRICE_RU } from './support.mjs';

const env = proxyAndBrowser();

/** What the widget in #pvz shows right now. */
function shown(page) {
  return page.evaluate(() => {
    const shadow = document.querySelector('#pvz').shadowRoot;
    const map = shadow.querySelector('.leaflet-container');
    return {
      total: Number(map?.dataset.total),
      zoom: Number(map?.dataset.zoom),
      clusters: Number(map?.dataset.clusters),
      points: Number(map?.dataset.points),
      clusterIcons: shadow.querySelectorAll('.pvz-cluster').length,
      pointIcons: shadow.querySelectorAll('.leaflet-marker-icon.pvz-marker').length,
      options: [...shadow.querySelectorAll('.pvz-list [role=option]')].map((o) => o.dataset.pointId),
      listed: Number(shadow.querySelector('.pvz-list [role=option]')?.getAttribute('aria-setsize') ?? 0),
      status: shadow.querySelector('[role=status]').textContent,
      leakedIntoPage: document.querySelectorAll('.leaflet-container, .pvz-cluster, .pvz-point').length,
    };
  });
}

test('the snippet on the checkout page shows the city\'s points on a map inside a shadow root', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.equal(ready.target, 'pvz', 'pvz:ready is dispatched on the target element');

  const seen = await shown(page);
  assert.equal(ready.detail.points, seen.total);
  assert.ok(seen.total > 1000, `Moscow has thousands of demo points, saw ${seen.total}`);
  assert.ok(seen.clusters > 0 && seen.clusterIcons === seen.clusters, 'every cluster has its icon');
  assert.equal(seen.pointIcons, seen.points, 'every single point has its icon');
  assert.match(seen.status, /пункт/);
  assert.equal(seen.listed, 50, 'beside a clustered map the list holds the 50 points nearest its centre');
  assert.ok(seen.options.length > 0 && seen.options.length < 20, `only the rows in view are built, saw ${seen.options.length}`);
  assert.equal(seen.leakedIntoPage, 0, 'nothing of the widget lives outside its shadow root');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the settings and the city are asked for once, while the module loads, and handed to the widget', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  // Every request the page made, those the browser's cache answered included.
  const asked = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({
    path: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd,
  })));
  const of = (prefix) => asked.filter((r) => r.path.startsWith(prefix));
  const wasm = of('/widget/pvz_widget_bg.');
  assert.equal(wasm.length, 1);
  for (const prefix of ['/api/v1/settings', '/api/v1/cities/']) {
    assert.equal(of(prefix).length, 1, `${prefix} asked for once: ${JSON.stringify(asked.map((r) => r.path))}`);
    assert.ok(of(prefix)[0].start < wasm[0].end, `${prefix} asked for before the module had arrived`);
  }
  assert.ok(of('/api/v1/points')[0].start > wasm[0].end);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a slow proxy does not hold the widget back: it shows that it is loading, then the points', async () => {
  const { page, errors } = await recordingPage(env.browser);
  // Every settings answer takes 1.5 s: the mount waits half a second for the loader's, then the widget asks.
  await page.route('**/api/v1/settings', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.goto(`${env.proxy.url}/`);
  await page.waitForFunction(() => document.querySelector('#pvz')?.shadowRoot?.querySelector('[role=status]'));
  const loading = await page.evaluate(() => ({
    status: document.querySelector('#pvz').shadowRoot.querySelector('[role=status]').textContent,
    events: window.pvzEvents.length,
    answered: performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/settings')).length,
  }));
  assert.equal(loading.answered, 0, 'the widget is on the page before any settings answer has come');
  assert.match(loading.status, /Загружаем пункты выдачи/);
  assert.equal(loading.events, 0);
  const ready = await waitForEvent(page, 'pvz:ready');
  assert.ok(ready.detail.points > 1000);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Clicks the biggest cluster until the map shows single points; returns what is shown then. */
async function zoomToList(page) {
  let seen = await shown(page);
  for (let step = 0; step < 6 && seen.clusters > 0; step++) {
    const before = seen.zoom;
    await page.locator('#pvz .pvz-cluster').evaluateAll((icons) => {
      const count = (icon) => Number(icon.textContent.replace(/\D/g, ''));
      icons.sort((a, b) => count(b) - count(a))[0].click();
    });
    await page.waitForFunction((z) => Number(document.querySelector('#pvz').shadowRoot.querySelector('.leaflet-container').dataset.zoom) > z, before);
    seen = await shown(page);
  }
  return seen;
}

test('clicking clusters zooms in until the points are listed one by one', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const seen = await zoomToList(page);
  assert.equal(seen.clusters, 0, `still clustered at zoom ${seen.zoom}`);
  assert.ok(seen.points > 0);
  assert.equal(seen.listed, seen.points, 'the list holds every point on the map');
  assert.equal(seen.pointIcons, seen.points, 'each point is its own icon, reachable by Tab');
  assert.match(seen.status, /^\d[\d\u00a0]* пункт/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every listed point shows its price and time, and the list sorts by price', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  await zoomToList(page);
  const prices = () => page.locator('#pvz .pvz-point-price').allTextContents();
  await page.waitForFunction(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-point-price')]
    .every((p) => p.textContent.includes('₽')));
  for (const text of await prices()) assert.match(text, PRICE_RU);
  await page.locator('#pvz .pvz-sort select').selectOption('price');
  const roubles = (await prices()).map((t) => Number(t.split('₽')[0].replace(/\u00a0/g, '').replace(',', '.')));
  assert.deepEqual(roubles, [...roubles].sort((a, b) => a - b));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a point opens in full, and choosing it fills the form\'s hidden inputs and dispatches pvz:select', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  await zoomToList(page);
  await page.waitForFunction(() => document.querySelector('#pvz').shadowRoot.querySelector('.pvz-point-price')?.textContent.includes('₽'));
  const option = page.locator('#pvz [role=option]').first();
  const id = await option.getAttribute('data-point-id');
  await option.click();

  const details = page.locator('#pvz .pvz-details');
  await details.locator('.pvz-details-week').waitFor();
  const week = await details.locator('.pvz-details-week tr').allTextContents();
  assert.equal(week.length, 7, 'the whole week');
  assert.match(week[0], /^Пн(\d\d:\d\d–\d\d:\d\d(, )?)+$|^Пнвыходной$|^Пнкруглосуточно$/);
  assert.match(await details.locator('.pvz-details-open').textContent(), /^(Открыто|Закрыто)/);
  assert.match(await details.locator('.pvz-details-delivery').textContent(), /₽ · \d{1,2}(–\d{1,2})? [а-я]+.* \(\d+(–\d+)?\u00a0(день|дня|дней)\)$/);
  assert.match(await details.locator('.pvz-details-fields').textContent(), /Оплата/);

  await details.getByRole('button', { name: 'Выбрать' }).click();
  const selected = await waitForEvent(page, 'pvz:select');
  assert.equal(selected.target, 'pvz');
  assert.equal(selected.detail.point.id, id);
  const quote = selected.detail.quote;
  assert.ok(quote.cost.kopecks > 0 && quote.days.min >= 1);

  const inputs = await page.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll('form input[type=hidden][name^=pvz_]')].map((i) => [i.name, i.value])));
  assert.equal(selected.detail.delivery, 'pickup');
  assert.deepEqual(inputs, {
    pvz_delivery: 'pickup',
    pvz_carrier: id.split(':')[0],
    pvz_point_id: id,
    pvz_address: selected.detail.point.address,
    pvz_cost: (quote.cost.kopecks / 100).toFixed(2),
    pvz_days: `${quote.days.min}-${quote.days.max}`,
  });
  assert.equal(await page.locator(`#pvz [role=option][data-point-id="${id}"]`).getAttribute('aria-selected'), 'true');
  assert.match(await page.locator('#pvz .pvz-choice').textContent(), /Выбран пункт выдачи/);

  await page.locator('#pvz .pvz-choice button').click();
  assert.equal(await page.locator('#pvz .pvz-choice').count(), 0);
  assert.equal(await page.evaluate(() => document.querySelectorAll('form input[name^=pvz_]').length), 0);
  const cleared = await waitForEvent(page, 'pvz:clear');
  assert.deepEqual(cleared.detail, { reason: 'changed' }, 'the page learns the choice is gone, to update its total');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a choice the point cannot take any more, or that is gone, is dropped with a message and pvz:clear', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const lockers = await (await fetch(`${env.proxy.url}/api/v1/points?bbox=49.09,55.78,49.13,55.81&zoom=15&kinds=locker`)).json();
  const locker = await (await fetch(`${env.proxy.url}/api/v1/points/${lockers.points[0].id}`)).json();
  assert.equal(locker.limits.max_weight_g, 15000);
  const seen = await page.evaluate(async (id) => {
    const form = document.createElement('form');
    const element = document.createElement('div');
    form.append(element);
    document.body.append(form);
    const next = (type) => new Promise((resolve) => element.addEventListener(type, (e) => resolve(e.detail), { once: true }));
    const inputs = () => [...form.querySelectorAll('input[name^=pvz_]')].map((i) => i.name);
    // Chosen with a light parcel; then the cart grows past what the locker takes.
    let chosen = next('pvz:select');
    const handle = window.PvzWidget.mount(element, { selected: id, weight: 1000 });
    await chosen;
    const before = inputs();
    let cleared = next('pvz:clear');
    handle.update({ weight: 25000 });
    const heavy = await cleared;
    const notice = () => element.shadowRoot.querySelector('.pvz-notice')?.textContent;
    // The message is drawn with the widget's next update.
    const shown = async () => {
      while (!notice()) await new Promise((resolve) => setTimeout(resolve, 20));
      return notice();
    };
    const afterHeavy = { inputs: inputs(), notice: await shown(), summary: element.shadowRoot.querySelectorAll('.pvz-choice').length };
    // A point that no longer exists.
    cleared = next('pvz:clear');
    handle.update({ selected: 'demo-express:00000000', weight: 1000 });
    const gone = await cleared;
    return { before, heavy, afterHeavy, gone, goneNotice: await shown() };
  }, locker.id);
  assert.ok(seen.before.includes('pvz_point_id'), 'chosen at first');
  assert.equal(seen.heavy.reason, 'parcel_not_accepted');
  assert.equal(seen.heavy.message, `Пункт «${locker.name}» не примет эту посылку: он принимает посылки до 15 кг. Выберите другой.`);
  assert.deepEqual(seen.afterHeavy, { inputs: [], notice: seen.heavy.message, summary: 0 });
  assert.equal(seen.gone.reason, 'point_gone');
  assert.equal(seen.goneNotice, 'Выбранный раньше пункт выдачи больше не работает. Выберите другой.');
  // The browser logs the gone point's 404 itself; nothing else may fail.
  assert.deepEqual(errors.filter((e) => !e.includes('status of 404')), []);
  await page.close();
});

test('with the keyboard alone: Enter opens a point, Escape goes back, the Choose button chooses', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  await zoomToList(page);
  const option = page.locator('#pvz [role=option]').nth(1);
  const id = await option.getAttribute('data-point-id');
  await option.focus();
  await page.keyboard.press('Enter');
  await page.locator('#pvz .pvz-details').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('#pvz .pvz-list').waitFor();
  await page.locator(`#pvz [role=option][data-point-id="${id}"]`).focus();
  await page.keyboard.press('Enter');
  const choose = page.locator('#pvz .pvz-details').getByRole('button', { name: 'Выбрать' });
  await choose.focus();
  await page.keyboard.press('Enter');
  const selected = await waitForEvent(page, 'pvz:select');
  assert.equal(selected.detail.point.id, id);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a parcel too heavy for some points hides them and says how many and why, once', async () => {
  const { page } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const note = await page.evaluate(async () => {
    const element = document.createElement('div');
    document.body.append(element);
    const ready = new Promise((resolve) => element.addEventListener('pvz:ready', resolve));
    window.PvzWidget.mount(element, { city: 'Москва', weight: 20000 });
    await ready;
    return element.shadowRoot.querySelector('.pvz-hidden-note').textContent;
  });
  assert.match(note, /^[\d\u00a0]+ пункт\S* скрыт\S*: посылка тяжелее, чем там принимают$/, 'one reason, its number said once');
  await page.close();
});

test('PvzWidget.mount and destroy work from the JS API and leave the element empty', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const result = await page.evaluate(async () => {
    const element = document.createElement('div');
    element.id = 'second';
    document.body.append(element);
    const handle = window.PvzWidget.mount(element, { city: 'Казань', lang: 'en', weight: 1200 });
    const ready = await new Promise((resolve) => element.addEventListener('pvz:ready', (e) => resolve(e.detail)));
    const status = element.shadowRoot.querySelector('[role=status]').textContent;
    handle.destroy();
    return { ready, status, left: element.shadowRoot.childNodes.length };
  });
  assert.ok(result.ready.points > 100, `Kazan has hundreds of points, saw ${result.ready.points}`);
  assert.match(result.status, /pickup points/);
  assert.equal(result.left, 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('in English, numbers are written the English way: 12,345 points, ₽1,290, 1.5 km; no icons overlap over the country', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const seen = await page.evaluate(async () => {
    const element = document.createElement('div');
    document.body.append(element);
    const ready = new Promise((resolve) => element.addEventListener('pvz:ready', (e) => resolve(e.detail)));
    window.PvzWidget.mount(element, { lang: 'en', weight: 1200 });
    const detail = await ready;
    const root = element.shadowRoot;
    const priced = () => [...root.querySelectorAll('.pvz-point-price')].some((p) => p.textContent.includes('₽'));
    while (!priced()) await new Promise((resolve) => setTimeout(resolve, 50));
    return {
      total: detail.points,
      status: root.querySelector('[role=status]').textContent,
      clusters: [...root.querySelectorAll('.pvz-cluster')].map((c) => c.textContent),
      overlapping: (() => {
        const boxes = [...root.querySelectorAll('.leaflet-marker-icon[role=button]')].map((c) => c.getBoundingClientRect());
        const apart = (a, b) => a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        return boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => !apart(a, b))).length;
      })(),
      price: [...root.querySelectorAll('.pvz-point-price')].find((p) => p.textContent.includes('₽')).textContent,
      distances: [...root.querySelectorAll('.pvz-point-distance')].map((d) => d.textContent),
    };
  });
  assert.ok(seen.total >= 1000, `the whole country has thousands of points (${seen.total})`);
  assert.match(seen.status, /^\d{1,3}(,\d{3})+ pickup points/);
  assert.ok(seen.clusters.some((c) => /^\d{1,3}(,\d{3})+$/.test(c)), `clusters of thousands: ${seen.clusters}`);
  assert.ok(seen.clusters.every((c) => !/\s/.test(c)), `no Russian spaces in counts: ${seen.clusters}`);
  assert.equal(seen.overlapping, 0, 'no two icons overlap at the country\'s zoom');
  assert.match(seen.price, /^₽\d{1,3}(,\d{3})*(\.\d\d)? · [A-Z][a-z]{2} \d{1,2}/);
  assert.ok(seen.distances.every((d) => /^\d+(\.\d)?\u00a0k?m$/.test(d)), `distances: ${seen.distances}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an API refusal gives pvz:error and a visible message instead of a blank widget', async () => {
  const { page } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
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
  assert.match(result.detail.message, /^name/);
  assert.match(result.status, /^Could not load pickup points: name/);
  await page.close();
});

test('without data-city the map goes to the buyer who shares their location', async () => {
  const context = await env.browser.newContext({
    geolocation: { latitude: 55.7963, longitude: 49.1088 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await page.goto(`${env.proxy.url}/`);
  const result = await page.evaluate(async () => {
    const element = document.createElement('div');
    document.body.append(element);
    const ready = new Promise((resolve) => element.addEventListener('pvz:ready', (e) => resolve(e.detail)));
    window.PvzWidget.mount(element, { lang: 'en' });
    const first = await ready;
    const map = element.shadowRoot.querySelector('.leaflet-container');
    // The country first, unless the location arrives before its points do; the buyer's place in the end.
    const deadline = Date.now() + 10_000;
    while (Number(map.dataset.zoom) < 12 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { first, zoom: Number(map.dataset.zoom), total: Number(map.dataset.total) };
  });
  assert.ok(result.first.points > 0);
  assert.ok(result.zoom >= 12, `moved in to the buyer, zoom ${result.zoom}`);
  assert.ok(result.total > 0 && result.total < 2000, `points around the buyer in Kazan, saw ${result.total}`);
  await context.close();
});

test('data-selected shows the earlier choice at once and puts it in the form', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const street = await (await fetch(`${env.proxy.url}/api/v1/points?bbox=49.09,55.78,49.13,55.81&zoom=15`)).json();
  const point = street.points[3];
  const result = await page.evaluate(async (id) => {
    const form = document.createElement('form');
    const element = document.createElement('div');
    form.append(element);
    document.body.append(form);
    const ready = new Promise((resolve) => element.addEventListener('pvz:ready', resolve));
    window.PvzWidget.mount(element, { selected: id, lang: 'en' });
    await ready;
    const map = element.shadowRoot.querySelector('.leaflet-container');
    return {
      summary: element.shadowRoot.querySelector('.pvz-choice').textContent,
      input: form.querySelector('input[name=pvz_point_id]').value,
      cost: form.querySelector('input[name=pvz_cost]').value,
      zoom: Number(map.dataset.zoom),
      selectedOption: element.shadowRoot.querySelector('[role=option][aria-selected=true]')?.dataset.pointId,
    };
  }, point.id);
  assert.match(result.summary, /Pickup point chosen/);
  assert.ok(result.summary.includes(point.name));
  assert.equal(result.input, point.id);
  assert.match(result.cost, /^\d+\.\d\d$/);
  assert.equal(result.zoom, 15, 'the map opens around the chosen point');
  assert.equal(result.selectedOption, point.id, 'and lists it, marked as chosen');
  assert.deepEqual(errors, []);
  await page.close();
});

test('filter chips show how many points each keeps beside the pressed ones, and switching one on shows just those', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const before = await shown(page);
  const chip = page.locator('#pvz .pvz-chip', { hasText: 'Постаматы' });
  const count = Number((await chip.locator('.pvz-chip-count').textContent()).replace(/\D/g, ''));
  assert.ok(count > 0 && count < before.total, `${count} lockers of ${before.total} points`);
  await chip.click();
  assert.equal(await chip.getAttribute('aria-pressed'), 'true');
  const totalIs = (n) => page.waitForFunction(
    (n) => Number(document.querySelector('#pvz').shadowRoot.querySelector('.leaflet-container').dataset.total) === n, n);
  await totalIs(count);
  // With the lockers on, another chip counts what it keeps among them, and pressing it shows just that.
  const card = page.locator('#pvz .pvz-chip', { hasText: 'Оплата картой' });
  const cardCount = async () => Number((await card.locator('.pvz-chip-count').textContent()).replace(/\D/g, ''));
  await page.waitForFunction((n) => {
    const chips = [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-chip')];
    const card = chips.find((c) => c.textContent.includes('Оплата картой'));
    return Number(card.querySelector('.pvz-chip-count').textContent.replace(/\D/g, '')) <= n;
  }, count);
  const lockersByCard = await cardCount();
  await card.click();
  await totalIs(lockersByCard);
  await card.click();
  await chip.click();
  await totalIs(before.total);
  assert.ok(await cardCount() >= lockersByCard, 'without the lockers chip the card chip counts every kind');
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a 375 px phone the list comes first, the map is a tab away, and nothing scrolls sideways', async () => {
  const context = await env.browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    document.addEventListener('pvz:ready', () => { window.pvzReady = true; }, { once: true });
  });
  await page.goto(`${env.proxy.url}/`);
  await page.waitForFunction(() => window.pvzReady);
  const list = page.locator('#pvz .pvz-list');
  const map = page.locator('#pvz .pvz-map');
  assert.ok(await list.isVisible());
  assert.ok(!(await map.isVisible()), 'the map waits behind its tab');
  assert.ok(await page.locator('#pvz [role=option]').count() > 0, 'the list is filled even so');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `the page is ${width} px wide`);
  // The shop's own header and fields above it are not what the picture is of.
  await page.evaluate(() => document.querySelector('#pvz').scrollIntoView({ block: 'start' }));
  await screenshot(page, 'phone-list.png');
  await page.locator('#pvz [role=tab]', { hasText: 'Карта' }).click();
  assert.ok(await map.isVisible());
  assert.ok(!(await list.isVisible()));
  assert.ok(await page.locator('#pvz .pvz-cluster').first().isVisible());
  // Icons at the map's edges are cut there: what lies past the edge is the page, never an icon.
  const painted = await page.evaluate(() => {
    const root = document.querySelector('#pvz').shadowRoot;
    const m = root.querySelector('.pvz-map').getBoundingClientRect();
    return [...root.querySelectorAll('.leaflet-marker-icon')].map((i) => i.getBoundingClientRect())
      .filter((r) => r.left < m.left - 2 || r.right > m.right + 2 || r.top < m.top - 2 || r.bottom > m.bottom + 2)
      .map((r) => {
        const x = r.left < m.left ? r.left + 1 : r.right > m.right ? r.right - 1 : r.left + r.width / 2;
        const y = r.top < m.top ? r.top + 1 : r.bottom > m.bottom ? r.bottom - 1 : r.top + r.height / 2;
        return root.elementFromPoint(x, y)?.closest('.leaflet-marker-icon') ? 'an icon' : 'the page';
      });
  });
  assert.ok(painted.every((p) => p === 'the page'), `past the map's edge: ${painted}`);
  await screenshot(page, 'phone-map.png');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a desktop the map and the list stand side by side', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    document.addEventListener('pvz:ready', () => { window.pvzReady = true; }, { once: true });
  });
  await page.goto(`${env.proxy.url}/`);
  await page.waitForFunction(() => window.pvzReady);
  assert.ok(await page.locator('#pvz .pvz-map').isVisible());
  assert.ok(await page.locator('#pvz .pvz-list').isVisible());
  assert.ok(!(await page.locator('#pvz [role=tablist]').isVisible()), 'no tabs when both fit');
  await page.waitForFunction(() => document.querySelector('#pvz').shadowRoot.querySelector('.pvz-point-price')?.textContent.includes('₽'));
  await screenshot(page, 'desktop.png');
  await context.close();
});

test('update(options) starts the widget again with the new options and keeps the buyer\'s choice', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const result = await page.evaluate(async () => {
    const form = document.createElement('form');
    const element = document.createElement('div');
    form.append(element);
    document.body.append(form);
    const nextReady = () => new Promise((resolve) => element.addEventListener('pvz:ready', (e) => resolve(e.detail), { once: true }));
    let ready = nextReady();
    const handle = window.PvzWidget.mount(element, { city: 'Москва' });
    const moscow = await ready;
    const option = element.shadowRoot.querySelector('[role=option]');
    option.click();
    await new Promise((resolve) => setTimeout(resolve, 300));
    element.shadowRoot.querySelector('.pvz-choose').click();
    const chosen = form.querySelector('input[name=pvz_point_id]').value;
    ready = nextReady();
    handle.update({ city: 'Казань', lang: 'en' });
    const kazan = await ready;
    return {
      moscow: moscow.points,
      kazan: kazan.points,
      status: element.shadowRoot.querySelector('[role=status]').textContent,
      chosen,
      stillChosen: form.querySelector('input[name=pvz_point_id]')?.value,
    };
  });
  assert.ok(result.kazan > 0 && result.kazan < result.moscow, `${result.kazan} in Kazan, ${result.moscow} in Moscow`);
  assert.match(result.status, /pickup points/);
  assert.ok(result.chosen.length > 0);
  assert.equal(result.stillChosen, result.chosen);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a shop\'s small mistakes in the parcel\'s attributes are read as meant, and the rest told to the buyer plainly', async () => {
  const { page } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const priced = (options) => page.evaluate(async (options) => {
    const element = document.createElement('div');
    document.body.append(element);
    const errors = [];
    element.addEventListener('pvz:error', (e) => errors.push(e.detail));
    const ready = new Promise((resolve) => element.addEventListener('pvz:ready', resolve, { once: true }));
    const handle = window.PvzWidget.mount(element, { city: 'Казань', ...options });
    await ready;
    const prices = () => [...element.shadowRoot.querySelectorAll('.pvz-point-price')].map((p) => p.textContent);
    while (prices().length === 0 || prices().some((p) => p === '…')) await new Promise((resolve) => setTimeout(resolve, 50));
    const seen = { prices: prices(), notice: element.shadowRoot.querySelector('.pvz-notice')?.textContent ?? '', errors };
    handle.destroy();
    element.remove();
    return seen;
  }, options);
  // A Cyrillic «х» in the size, a weight written 1200.0, roubles with a space: what was meant is clear.
  const meant = await priced({ dims: '30х20х10', weight: '1200.0', value: '2 500' });
  assert.ok(meant.prices.every((p) => p.includes('₽')), meant.prices.join(' | '));
  assert.deepEqual([meant.notice, meant.errors], ['', []]);
  // 1.5 of what? Not guessed: the points still show, the buyer reads why there are no prices.
  const unclear = await priced({ weight: '1.5' });
  assert.ok(unclear.prices.length > 0 && unclear.prices.every((p) => p === 'нет цены'), unclear.prices.join(' | '));
  assert.equal(unclear.notice, 'Стоимость доставки сейчас не рассчитать: в данных о посылке ошибка. Пункт можно выбрать, цену подтвердит магазин.');
  assert.equal(unclear.errors[0].code, 'bad_parcel');
  assert.match(unclear.errors[0].message, /^weight: /, 'the developer reads which attribute');
  await page.close();
});

test('the widget keeps a bounded height on phones and desktops: the list scrolls inside it, the page past it', async () => {
  for (const [width, height, phone] of [[375, 740, true], [360, 640, true], [1280, 800, false]]) {
    const context = await env.browser.newContext({ viewport: { width, height }, isMobile: phone, hasTouch: phone });
    const page = await context.newPage();
    await page.addInitScript(() => document.addEventListener('pvz:ready', () => { window.pvzReady = true; }, { once: true }));
    await page.goto(`${env.proxy.url}/`);
    await page.waitForFunction(() => window.pvzReady);
    const size = () => page.evaluate(() => {
      const host = document.querySelector('#pvz');
      const box = (e) => e.getBoundingClientRect();
      return {
        widget: box(host).height,
        list: box(host.shadowRoot.querySelector('.pvz-list-scroll')).height,
        widgetTop: box(host).top + scrollY,
        submitTop: box(document.querySelector('form [type=submit]')).top + scrollY,
      };
    });
    const seen = await size();
    assert.ok(seen.widget < 800, `${width}x${height}: the widget is ${seen.widget} px high`);
    assert.ok(seen.list <= 480, `${width}x${height}: the list's box is ${seen.list} px high`);
    if (phone) {
      assert.ok(seen.submitTop - seen.widgetTop < 2 * height, `${width}x${height}: the order button is ${seen.submitTop - seen.widgetTop} px below the widget's top`);
      // The filters wait behind one button, which says how many are on.
      const toggle = page.locator('#pvz .pvz-filters-toggle');
      assert.equal(await page.locator('#pvz .pvz-chips .pvz-chip').first().isVisible(), false);
      await toggle.click();
      await page.locator('#pvz .pvz-chip', { hasText: 'Постаматы' }).click();
      assert.equal(await toggle.textContent(), 'Фильтры · 1');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    } else {
      // The wheel over the list scrolls the list, and at its end the page goes on.
      const list = page.locator('#pvz .pvz-list-scroll');
      await list.hover();
      for (let i = 0; i < 30; i += 1) await page.mouse.wheel(0, 400);
      await page.waitForFunction(() => scrollY > 0);
      const scrolled = await page.evaluate(() => ({
        list: document.querySelector('#pvz').shadowRoot.querySelector('.pvz-list-scroll').scrollTop,
        page: scrollY,
      }));
      assert.ok(scrolled.list > 0 && scrolled.page > 0, JSON.stringify(scrolled));
    }
    await context.close();
  }
});

test('a city is found by the names buyers use, an unknown one is said so, and a returning buyer opens on their point', async () => {
  const { page } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const street = await (await fetch(`${env.proxy.url}/api/v1/points?bbox=49.09,55.78,49.13,55.81&zoom=15`)).json();
  const kazanPoint = street.points[2];
  const opened = (options) => page.evaluate(async (options) => {
    const element = document.createElement('div');
    document.body.append(element);
    const ready = new Promise((resolve) => element.addEventListener('pvz:ready', resolve, { once: true }));
    const handle = window.PvzWidget.mount(element, options);
    await ready;
    const root = element.shadowRoot;
    while (root.querySelectorAll('.pvz-list [role=option]').length === 0) await new Promise((r) => setTimeout(r, 50));
    const seen = {
      addresses: [...root.querySelectorAll('.pvz-point-address')].map((a) => a.textContent),
      notice: root.querySelector('.pvz-notice')?.textContent ?? '',
      zoom: Number(root.querySelector('.leaflet-container').dataset.zoom),
    };
    handle.destroy();
    element.remove();
    return seen;
  }, options);
  for (const [said, city] of [['Питер', 'Санкт-Петербург'], ['спб', 'Санкт-Петербург'], ['Moscow', 'Москва'], ['kazan', 'Казань']]) {
    const seen = await opened({ city: said, lang: said === 'Moscow' ? 'en' : 'ru' });
    assert.ok(seen.addresses.length > 0 && seen.addresses.every((a) => a.includes(city)), `${said}: ${seen.addresses[0]}`);
    assert.equal(seen.notice, '', said);
  }
  const unknown = await opened({ city: 'Абырвалг' });
  assert.equal(unknown.notice, 'Город «Абырвалг» не найден: показываем все пункты, а если разрешите — ближайшие к вам.');
  const returning = await opened({ city: 'Москва', selected: kazanPoint.id });
  assert.equal(returning.zoom, 15, 'the map opens on the chosen point');
  assert.ok(returning.addresses.includes(kazanPoint.address), 'in Kazan, not on the page\'s Moscow');
  await page.close();
});

test('the demo checkout follows the choice: delivery and total, and no order goes without a point', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  await page.fill('#name', 'Анна');
  await page.fill('#phone', '+7 900 000-00-00');
  await page.locator('form [type=submit]').click();
  assert.equal(await page.locator('#checkout-error').textContent(), 'Чтобы оформить заказ, укажите способ доставки.');
  assert.equal(new URL(page.url()).pathname, '/', 'the order did not go');
  await zoomToList(page);
  await page.waitForFunction(() => document.querySelector('#pvz').shadowRoot.querySelector('.pvz-point-price')?.textContent.includes('₽'));
  await page.locator('#pvz [role=option]').first().click();
  await page.locator('#pvz .pvz-details').getByRole('button', { name: 'Выбрать' }).click();
  const chosen = await waitForEvent(page, 'pvz:select');
  const delivery = chosen.detail.quote.cost.kopecks / 100;
  assert.equal(await page.locator('#delivery-line').isVisible(), true);
  const total = (await page.locator('#total').textContent()).replace(/\D/g, '');
  assert.equal(Number(total) / (Number.isInteger(2500 + delivery) ? 1 : 100), 2500 + delivery);
  assert.equal(await page.locator('#checkout-error').textContent(), '');
  await page.locator('#pvz .pvz-choice button').click();
  await page.waitForFunction(() => document.querySelector('#total').textContent.startsWith('2\u00a0500'));
  assert.equal(await page.locator('#delivery-line').isVisible(), false, 'the line goes with the choice');
  await page.locator('#pvz [role=option]').first().click();
  await page.locator('#pvz .pvz-details').getByRole('button', { name: 'Выбрать' }).click();
  const second = await waitForEvent(page, 'pvz:select');
  await Promise.all([page.waitForURL(/\/order\.html\?/), page.locator('form [type=submit]').click()]);
  // The shop's backend registered the parcel with the demo carrier: the order page tracks it to the point.
  const placed = new URL(page.url()).searchParams;
  assert.match(placed.get('track'), /^D[EP]\d{10}$/);
  assert.equal(Number(placed.get('delivery')), second.detail.quote.cost.kopecks, 'the price the buyer was shown');
  assert.equal(await page.locator('#order-title').textContent(), `Заказ № ${placed.get('number')}`);
  const status = () => page.evaluate(() => document.querySelector('#tracking').shadowRoot.querySelector('.pvz-track-status')?.textContent.trim());
  await page.waitForFunction(() => document.querySelector('#tracking').shadowRoot.querySelector('.pvz-track-status'));
  assert.equal(await status(), 'Заказ оформлен, ждёт отправки');
  await page.locator('#tracking .pvz-track-point .leaflet-container').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the map and list tell enough: carriers, delivery dates, the cheapest and fastest marked, a legend, the open and chosen point ringed, pins for a searched place and the buyer', async () => {
  const context = await env.browser.newContext({ geolocation: { latitude: 55.7963, longitude: 49.1088 }, permissions: ['geolocation'] });
  const { page, errors } = await recordingPage(context);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  await zoomToList(page);
  await page.waitForFunction(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-point-price')]
    .every((p) => p.textContent.includes('₽')));

  // Each row names its carrier: the demo shop has two.
  const titles = (await (await fetch(`${env.proxy.url}/api/v1/carriers`)).json()).map((c) => c.title);
  assert.equal(titles.length, 2);
  const rows = await page.evaluate(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-list [role=option]')]
    .map((o) => ({
      kind: o.querySelector('.pvz-point-kind').firstChild.textContent,
      marks: [...o.querySelectorAll('.pvz-mark')].map((m) => m.textContent),
      price: Number(o.querySelector('.pvz-point-price').textContent.split('₽')[0].replace(/\u00a0/g, '').replace(',', '.')),
    })));
  for (const row of rows) assert.ok(titles.some((t) => row.kind.endsWith(` · ${t}`)), `the carrier in «${row.kind}»`);

  // The cheapest are marked, and only they.
  const prices = rows.map((r) => r.price);
  const cheapest = Math.min(...prices);
  assert.ok(cheapest < Math.max(...prices), 'prices differ among the listed points');
  for (const row of rows) assert.equal(row.marks.includes('дешевле всех'), row.price === cheapest, JSON.stringify(row));
  // Sorted by speed, the first row is marked the fastest.
  await page.locator('#pvz .pvz-sort select').selectOption('speed');
  const first = page.locator('#pvz .pvz-list [role=option]').first();
  assert.ok((await first.locator('.pvz-mark').allTextContents()).includes('быстрее всех'));
  await page.locator('#pvz .pvz-sort select').selectOption('distance');

  // The legend names the kinds on the map.
  const legend = () => page.locator('#pvz .pvz-legend li').allTextContents();
  const short = { 'Пункт выдачи': 'пункт выдачи', 'Постамат': 'постамат', 'Почтовое отделение': 'почта' };
  const kinds = new Set(await page.locator('#pvz .pvz-list .pvz-point-kind').evaluateAll((ks) => ks.map((k) => k.firstChild.textContent.split(' · ')[0])));
  for (const kind of kinds) assert.ok((await legend()).includes(short[kind]), `${kind} in the legend ${await legend()}`);

  // The open point is ringed where its icon is; chosen, it stays ringed.
  const option = page.locator('#pvz .pvz-list [role=option]').first();
  const name = `${await option.locator('.pvz-point-name').textContent()}, ${await option.locator('.pvz-point-address').textContent()}`;
  await option.click();
  await page.locator('#pvz .pvz-details').waitFor();
  const centres = () => page.evaluate((name) => {
    const root = document.querySelector('#pvz').shadowRoot;
    const centre = (e) => { const r = e?.getBoundingClientRect(); return r && [r.x + r.width / 2, r.y + r.height / 2]; };
    const icon = [...root.querySelectorAll('.leaflet-marker-icon[role=button]')].find((i) => i.getAttribute('aria-label') === name);
    return { ring: centre(root.querySelector('.leaflet-marker-icon.pvz-marked')), icon: centre(icon) };
  }, name);
  const open = await centres();
  assert.ok(open.ring && open.icon, JSON.stringify(open));
  assert.ok(Math.hypot(open.ring[0] - open.icon[0], open.ring[1] - open.icon[1]) < 1.5, JSON.stringify(open));
  assert.ok((await legend()).includes('выбранный'));
  const selected = page.waitForFunction(() => window.pvzEvents.some((e) => e.type === 'pvz:select'));
  await page.locator('#pvz .pvz-details').getByRole('button', { name: 'Выбрать' }).click();
  await selected;
  const chosen = (await page.evaluate(() => window.pvzEvents.filter((e) => e.type === 'pvz:select').at(-1).detail));
  const ringed = await centres();
  assert.ok(Math.hypot(ringed.ring[0] - ringed.icon[0], ringed.ring[1] - ringed.icon[1]) < 1.5, 'the chosen point stays ringed');
  // Its delivery dates are the quote's.
  const months = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
  const to = new Date(chosen.quote.days.to_date);
  assert.ok((await page.locator('#pvz .pvz-choice-price').textContent()).endsWith(`${to.getUTCDate()} ${months[to.getUTCMonth()]}`),
    `${await page.locator('#pvz .pvz-choice-price').textContent()} ends on ${chosen.quote.days.to_date}`);

  // A searched address and the buyer get pins.
  assert.equal(await page.locator('#pvz .leaflet-marker-icon.pvz-pin').count(), 0);
  await page.locator('#pvz .pvz-search-input').fill('Казань Ленина');
  await page.locator('#pvz .pvz-suggestions [role=option]', { hasText: 'адрес' }).first().click();
  await page.locator('#pvz .pvz-pin-place').waitFor({ state: 'attached' });
  await page.locator('#pvz').getByRole('button', { name: 'Рядом со мной' }).click();
  await page.locator('#pvz .pvz-pin-buyer').waitFor({ state: 'attached' });
  assert.equal(await page.locator('#pvz .pvz-pin-place').count(), 1, 'one pin of each kind');
  assert.deepEqual(errors, []);
  await context.close();
});
