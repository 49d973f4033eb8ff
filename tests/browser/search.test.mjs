// Finding a place: the search box's suggestions (typed, then picked with the keyboard or the mouse), the
// "near me" button with the location given and refused, and the carrier chips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyAndBrowser, recordingPage, waitForEvent } from './support.mjs';

const env = proxyAndBrowser();

/** The addresses of the list's built rows. */
function listedAddresses(page) {
  return page.locator('#pvz .pvz-list .pvz-point-address').allTextContents();
}

/** Waits until every built row of the list is in `city`. */
function listIsIn(page, city) {
  return page.waitForFunction((city) => {
    const rows = [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-list .pvz-point-address')];
    return rows.length > 0 && rows.every((r) => r.textContent.includes(`г. ${city},`));
  }, city, { timeout: 10_000 });
}

test('typing suggests places; arrow keys and Enter pick one and the map moves there', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const input = page.locator('#pvz .pvz-search-input');
  assert.equal(await input.getAttribute('role'), 'combobox');
  await input.click();
  await page.keyboard.type('казан', { delay: 30 });
  const first = page.locator('#pvz .pvz-suggestions [role=option]').first();
  await first.waitFor();
  assert.match(await first.textContent(), /^Казань.*город · Республика Татарстан/);
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('ArrowDown');
  assert.equal(await input.getAttribute('aria-activedescendant'), 'pvz-suggestions-0');
  assert.equal(await first.getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Enter');
  await listIsIn(page, 'Казань');
  assert.equal(await input.inputValue(), 'Казань');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a metro station, a postcode and a point code are found; nonsense says nothing was found', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const input = page.locator('#pvz .pvz-search-input');
  const suggestion = page.locator('#pvz .pvz-suggestions [role=option]').first();

  await input.fill('арбатская');
  await suggestion.waitFor();
  assert.match(await suggestion.textContent(), /^м\. Арбатская.*метро · Москва/);

  const kazan = await (await fetch(`${env.proxy.url}/api/v1/points?bbox=49.09,55.78,49.13,55.81&zoom=15`)).json();
  const point = kazan.points[0];
  const code = point.id.split(':')[1];
  await input.fill(code);
  await page.waitForFunction((name) => document.querySelector('#pvz').shadowRoot
    .querySelector('.pvz-suggestions [role=option]')?.textContent.startsWith(name), point.name);
  await suggestion.click();
  await listIsIn(page, 'Казань');
  const addresses = await listedAddresses(page);
  assert.ok(addresses.includes(point.address), 'the point found by its code is in the list');

  const postcode = /^(\d{6}),/.exec(point.address)[1];
  await input.fill(postcode);
  await page.waitForFunction(() => document.querySelector('#pvz').shadowRoot
    .querySelector('.pvz-suggestions [role=option]')?.textContent.includes('индекс'));
  assert.match(await suggestion.textContent(), new RegExp(`^${postcode}`));

  await input.fill('qqqzzz');
  const note = page.locator('#pvz .pvz-search-note');
  await page.waitForFunction(() => document.querySelector('#pvz').shadowRoot.querySelector('.pvz-search-note').textContent !== '');
  assert.match(await note.textContent(), /Ничего не нашлось/);
  assert.equal(await page.locator('#pvz .pvz-suggestions').isVisible(), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('search finds what buyers type: a street kind either side, a metro station with «метро», «Питер», Latin and the wrong layout', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const input = page.locator('#pvz .pvz-search-input');
  const labels = () => page.evaluate(() => [...document.querySelector('#pvz').shadowRoot
    .querySelectorAll('.pvz-suggestions [role=option] .pvz-suggestion-label')].map((o) => o.textContent));
  const firstFor = async (typed, wanted) => {
    await input.fill(typed);
    await page.waitForFunction((w) => document.querySelector('#pvz').shadowRoot
      .querySelector('.pvz-suggestions [role=option] .pvz-suggestion-label')?.textContent === w, wanted, { timeout: 5_000 })
      .catch(async () => assert.fail(`«${typed}» suggests ${JSON.stringify(await labels())}, not «${wanted}» first`));
    return labels();
  };
  for (const typed of ['Тверская улица', 'ул. Тверская']) {
    const found = await firstFor(typed, 'м. Тверская');
    assert.ok(found.every((l) => !l.includes('Тверская область')), `«${typed}» keeps out of Tver: ${found}`);
  }
  const streets = await firstFor('Ленина улица', (await (await fetch(`${env.proxy.url}/api/v1/suggest?q=${encodeURIComponent('ул. Ленина')}`)).json()).suggestions[0].label);
  assert.ok(streets.every((l) => l.includes('ул. Ленина')), `every suggestion is on ул. Ленина: ${streets}`);
  await firstFor('метро Кремлевская', 'м. Кремлёвская');
  await firstFor('Vjcrdf', 'Москва');
  await firstFor('moskva', 'Москва');
  await firstFor('СПб', 'Санкт-Петербург');
  await firstFor('Питер', 'Санкт-Петербург');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await listIsIn(page, 'Санкт-Петербург');
  assert.deepEqual(errors, []);
  await page.close();
});

test('"near me" moves the map to the buyer, and says so when the location is refused', async () => {
  const allowed = await env.browser.newContext({
    geolocation: { latitude: 55.7963, longitude: 49.1088 },
    permissions: ['geolocation'],
  });
  const page = await allowed.newPage();
  await page.goto(`${env.proxy.url}/`);
  await page.locator('#pvz .pvz-list [role=option]').first().waitFor();
  await page.locator('#pvz').getByRole('button', { name: 'Рядом со мной' }).click();
  await listIsIn(page, 'Казань');
  await allowed.close();

  const refused = await env.browser.newContext();
  const other = await refused.newPage();
  await other.goto(`${env.proxy.url}/`);
  await other.locator('#pvz .pvz-list [role=option]').first().waitFor();
  await other.locator('#pvz').getByRole('button', { name: 'Рядом со мной' }).click();
  await other.waitForFunction(() => /Местоположение недоступно/.test(
    document.querySelector('#pvz').shadowRoot.querySelector('.pvz-search-note').textContent));
  await refused.close();
});

test('carrier chips count each carrier\'s points, and one pressed shows only its points', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const chips = page.locator('#pvz .pvz-chip-carrier');
  assert.equal(await chips.count(), 2, 'one chip per demo carrier');
  const count = async (chip) => Number((await chip.locator('.pvz-chip-count').textContent()).replace(/\D/g, ''));
  const total = () => page.evaluate(() => Number(document.querySelector('#pvz').shadowRoot.querySelector('.leaflet-container').dataset.total));
  const [express, post] = [chips.filter({ hasText: 'Демо Экспресс' }), chips.filter({ hasText: 'Демо Почта' })];
  const before = await total();
  assert.equal(await count(express) + await count(post), before, 'the carriers\' counts add up to the points in view');
  const posts = await count(post);
  await post.click();
  assert.equal(await post.getAttribute('aria-pressed'), 'true');
  await page.waitForFunction((n) => Number(document.querySelector('#pvz').shadowRoot.querySelector('.leaflet-container').dataset.total) === n, posts);
  await page.waitForFunction(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-list [role=option]')]
    .every((o) => o.dataset.pointId.startsWith('demo-post:')));
  assert.ok(await count(express) > 0, 'the other carrier\'s chip still says what it would add');
  await post.click();
  await page.waitForFunction((n) => Number(document.querySelector('#pvz').shadowRoot.querySelector('.leaflet-container').dataset.total) === n, before);
  assert.deepEqual(errors, []);
  await page.close();
});
