// The picker without a mouse and for low vision: from the shop's own form field, Tab and the arrow keys
// reach the search box, the list, the map's markers and the Choose button; every text in the widget has
// WCAG AA contrast against what is behind it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyAndBrowser, recordingPage, waitForEvent } from './support.mjs';

const env = proxyAndBrowser();

/** What has focus, looking into the widget's shadow root. */
function focused(page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return {
      tag: element?.tagName.toLowerCase(),
      role: element?.getAttribute('role'),
      name: element?.getAttribute('aria-label') ?? element?.getAttribute('title') ?? element?.textContent.trim().slice(0, 60),
      classes: element?.className?.baseVal ?? element?.className ?? '',
      pointId: element?.dataset?.pointId,
      index: element?.dataset?.index,
      outline: element ? getComputedStyle(element).outlineStyle : 'none',
    };
  });
}

/** Presses Tab until `wanted` says yes of what has focus; fails after `limit` presses. */
async function tabTo(page, wanted, limit, what) {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (wanted(now)) return { ...now, presses };
  }
  assert.fail(`${what} not reached within ${limit} presses of Tab`);
}

test('keyboard alone: search, arrows through the list, open, back, Tab to a marker, choose', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const street = await (await fetch(`${env.proxy.url}/api/v1/points?bbox=49.09,55.78,49.13,55.81&zoom=15`)).json();
  const code = street.points[0].id.split(':')[1];
  await page.locator('input[name=phone]').focus();

  const search = await tabTo(page, (f) => f.role === 'combobox', 3, 'the search box');
  assert.ok(search.presses <= 2, `the search box is the first stop in the widget (${search.presses} presses)`);
  await page.keyboard.type(code, { delay: 20 });
  await page.locator('#pvz .pvz-suggestions [role=option]').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-list .pvz-point-address')]
    .every((a) => a.textContent.includes('г. Казань,')));
  await page.waitForFunction(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-point-price')]
    .every((p) => p.textContent.includes('₽')));

  const row = await tabTo(page, (f) => f.role === 'option' && f.tag === 'li', 20, 'the list');
  assert.equal(row.index, '0', 'Tab enters the list at its first row');
  assert.notEqual(row.outline, 'none', 'the focused row shows a focus outline');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('#pvz').shadowRoot.activeElement?.dataset.index === '1');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('#pvz').shadowRoot.activeElement?.dataset.index === '2');
  const third = await focused(page);
  assert.equal(third.index, '2', 'the arrow keys move through the rows');
  await page.keyboard.press('Enter');
  await page.locator('#pvz .pvz-details').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('#pvz .pvz-list').waitFor();
  await page.waitForFunction((id) => {
    const active = document.querySelector('#pvz').shadowRoot.activeElement;
    return active?.dataset.pointId === id;
  }, third.pointId);

  // Past the list, the map and its markers: a point's marker opens the point.
  const point = await tabTo(page, (f) => /pvz-marker/.test(f.classes), 10, 'a point\'s marker on the map');
  assert.equal(point.role, 'button');
  assert.match(point.name, /, \d{6}, .*г\. Казань/, 'the marker is named by the point\'s name and address');
  await page.keyboard.press('Enter');
  const details = page.locator('#pvz .pvz-details');
  await details.waitFor();
  assert.ok(point.name.startsWith(await details.locator('h3').textContent()), `${point.name} opened`);

  const choose = await tabTo(page, (f) => f.tag === 'button' && f.name === 'Выбрать', 15, 'the Choose button');
  assert.ok(choose.presses > 0);
  await page.keyboard.press('Enter');
  const selected = await waitForEvent(page, 'pvz:select');
  assert.ok(point.name.startsWith(selected.detail.point.name));
  // The choice is said by a screen reader (a live region gets it) and focus is not lost to the page.
  const said = await page.evaluate(() => document.querySelector('#pvz').shadowRoot.querySelector('[aria-live=polite] .pvz-choice')?.textContent);
  assert.ok(said?.includes(selected.detail.point.name), `the live region says the choice: ${said}`);
  const after = await focused(page);
  assert.notEqual(after.tag, 'body', 'focus stays in the widget after choosing');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the map is one Tab stop: the arrow keys go from icon to icon, and Tab leaves the widget soon after', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const icons = () => page.evaluate(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.leaflet-marker-icon[role=button]')]
    .map((icon) => ({ name: icon.getAttribute('aria-label'), tabbable: icon.getAttribute('tabindex') === '0' })));
  const drawn = await icons();
  assert.ok(drawn.length > 5, `the city shows several icons (${drawn.length})`);
  assert.equal(drawn.filter((i) => i.tabbable).length, 1, 'one icon is in the Tab order');
  assert.ok(drawn.every((i) => i.name), 'every icon has a name');
  await page.locator('#pvz .pvz-list [role=option]').first().focus();
  const first = await tabTo(page, (f) => /leaflet-marker-icon/.test(f.classes), 8, 'an icon on the map');
  assert.equal(first.name, drawn[0].name);
  await page.keyboard.press('ArrowRight');
  assert.equal((await focused(page)).name, drawn[1].name, 'ArrowRight goes to the next icon');
  await page.keyboard.press('End');
  assert.equal((await focused(page)).name, drawn.at(-1).name, 'End goes to the last icon');
  await page.keyboard.press('ArrowLeft');
  assert.equal((await focused(page)).name, drawn.at(-2).name, 'ArrowLeft goes back');
  let presses = 0;
  while (await page.evaluate(() => document.activeElement === document.querySelector('#pvz')) && presses < 10) {
    await page.keyboard.press('Tab');
    presses += 1;
  }
  assert.ok(presses <= 4, `Tab leaves the widget ${presses} presses after an icon, whatever the icons' number`);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Every visible text of the widget whose contrast against its background is under WCAG AA. */
function lowContrast(page) {
  return page.evaluate(() => {
    const parse = (colour) => {
      const m = /rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/.exec(colour);
      return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : [0, 0, 0, 0];
    };
    const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
    const luminance = ([r, g, b]) => {
      const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    /** The element's background as painted: its own and its ancestors' layered over white. */
    const background = (element) => {
      const layers = [];
      for (let e = element; e; e = e.parentElement ?? e.getRootNode().host) {
        const colour = parse(getComputedStyle(e).backgroundColor);
        if (colour[3] > 0) layers.push(colour);
        if (colour[3] === 1) break;
      }
      return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
    };
    const opacity = (element) => {
      let product = 1;
      for (let e = element; e; e = e.parentElement ?? e.getRootNode().host) product *= Number(getComputedStyle(e).opacity);
      return product;
    };
    const shadow = document.querySelector('#pvz').shadowRoot;
    const failures = [];
    for (const element of shadow.querySelectorAll('*')) {
      const text = [...element.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
      if (!text || !element.checkVisibility()) continue;
      const style = getComputedStyle(element);
      const bg = background(element);
      const fg = parse(style.color);
      const ink = over([fg[0], fg[1], fg[2], fg[3] * opacity(element)], bg);
      const [light, dark] = [luminance(ink), luminance(bg)].sort((a, b) => b - a);
      const ratio = (light + 0.05) / (dark + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) failures.push(`${element.className || element.tagName} "${text.slice(0, 30)}": ${ratio.toFixed(2)}`);
    }
    return failures;
  });
}

for (const theme of ['light', 'dark']) {
  test(`every text of the ${theme} widget meets WCAG AA contrast: list, pressed chips, chosen point, details`, async () => {
    const { page } = await recordingPage(env.browser);
    await page.goto(`${env.proxy.url}/`);
    await waitForEvent(page, 'pvz:ready');
    if (theme === 'dark') {
      await page.evaluate(() => {
        window.pvzEvents.length = 0;
        window.PvzWidget.mount(document.querySelector('#pvz'), { city: 'Москва', weight: '1200', theme: 'dark' });
      });
      await waitForEvent(page, 'pvz:ready');
    }
    await page.waitForFunction(() => [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-point-price')]
      .some((p) => p.textContent.includes('₽')));
    const failures = await lowContrast(page);
    await page.locator('#pvz .pvz-chip', { hasText: 'Оплата картой' }).click();
    await page.locator('#pvz .pvz-chip-carrier').first().click();
    await page.locator('#pvz .pvz-search-input').fill('моск');
    await page.locator('#pvz .pvz-suggestions [role=option]').first().waitFor();
    await page.keyboard.press('ArrowDown');
    failures.push(...await lowContrast(page));
    await page.keyboard.press('Escape');
    await page.locator('#pvz .pvz-list [role=option]').first().click();
    failures.push(...await lowContrast(page));
    await page.locator('#pvz .pvz-details').getByRole('button', { name: 'Выбрать' }).click();
    await waitForEvent(page, 'pvz:select');
    failures.push(...await lowContrast(page));
    assert.deepEqual([...new Set(failures)], []);
    await page.close();
  });
}

test('the zoom buttons speak the widget language and a cluster reached by Tab zooms in on Enter', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const zoom = () => page.evaluate(() => Number(document.querySelector('#pvz').shadowRoot.querySelector('.leaflet-container').dataset.zoom));
  const before = await zoom();
  await assertNamed(page.locator('#pvz .leaflet-control-zoom-in'), 'Приблизить');
  await assertNamed(page.locator('#pvz .leaflet-control-zoom-out'), 'Отдалить');
  await page.locator('#pvz .pvz-list [role=option]').first().focus();
  const cluster = await tabTo(page, (f) => /pvz-cluster/.test(f.classes), 10, 'a cluster');
  assert.match(cluster.name, /пункт.* выдачи: приблизить$/);
  await page.keyboard.press('Enter');
  await page.waitForFunction((z) => Number(document.querySelector('#pvz').shadowRoot.querySelector('.leaflet-container').dataset.zoom) > z, before);
  assert.deepEqual(errors, []);
  await page.close();
});

async function assertNamed(locator, name) {
  const title = await locator.getAttribute('title');
  const label = await locator.getAttribute('aria-label');
  assert.equal(title, name);
  assert.equal(label, name);
}

test('the keyboard walks the whole list however fast the keys come, and Home, End and Page keys stay in it', async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const rows = await page.evaluate(() => Number(document.querySelector('#pvz').shadowRoot.querySelector('[role=option]').getAttribute('aria-setsize')));
  assert.equal(rows, 50);
  await page.locator('#pvz .pvz-list [role=option]').first().focus();
  const focused = async () => {
    // Focus follows with the next frame; a key held down may be ahead of it.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    return page.evaluate(() => Number(document.querySelector('#pvz').shadowRoot.activeElement?.dataset.index ?? -1));
  };
  for (let i = 0; i < rows + 5; i += 1) await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), rows - 1, 'ArrowDown held down reaches the last row');
  const pageScroll = await page.evaluate(() => scrollY);
  await page.keyboard.press('Home');
  assert.equal(await focused(), 0);
  await page.keyboard.press('End');
  assert.equal(await focused(), rows - 1);
  await page.keyboard.press('PageUp');
  assert.ok(await focused() < rows - 1);
  await page.keyboard.press('Home');
  await page.keyboard.press('PageDown');
  assert.ok(await focused() > 1);
  assert.equal(await page.evaluate(() => scrollY), pageScroll, 'the keys moved the list, not the page');
  assert.deepEqual(errors, []);
  await page.close();
});
