// Mounting and destroying the widget over and over, as single-page shops do, must not leave listeners, DOM
// nodes or memory behind: counted by Chrome's own metrics over the DevTools protocol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyAndBrowser, recordingPage, waitForEvent } from './support.mjs';

const env = proxyAndBrowser();

const CYCLES = 100;

test(`${CYCLES} mount and destroy cycles leave no listeners, nodes or memory behind`, async () => {
  const { page, errors } = await recordingPage(env.browser);
  await page.goto(`${env.proxy.url}/`);
  await waitForEvent(page, 'pvz:ready');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => {
    // Requests a destroyed widget had in flight settle first; then everything unreachable is collected.
    await page.waitForTimeout(1000);
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  };
  const cycle = (n) => page.evaluate(async (n) => {
    for (let i = 0; i < n; i++) {
      const element = document.createElement('div');
      document.body.append(element);
      const ready = new Promise((resolve) => element.addEventListener('pvz:ready', resolve, { once: true }));
      const handle = window.PvzWidget.mount(element, { city: 'Казань' });
      await ready;
      handle.destroy();
      element.remove();
    }
  }, n);
  await cycle(5); // the first mounts compile and cache what every later one reuses
  const start = await metrics();
  await cycle(CYCLES);
  const end = await metrics();
  const growth = {
    listeners: end.JSEventListeners - start.JSEventListeners,
    nodes: end.Nodes - start.Nodes,
    heapKb: Math.round((end.JSHeapUsedSize - start.JSHeapUsedSize) / 1024),
  };
  console.log(`after ${CYCLES} cycles: ${JSON.stringify(growth)}`);
  // A leak of one listener or node per cycle shows as CYCLES or more; less than half of that is work still
  // in flight on a slow machine, not a leak.
  assert.ok(growth.listeners < CYCLES / 2, `event listeners grew by ${growth.listeners}`);
  assert.ok(growth.nodes < CYCLES / 2, `DOM nodes grew by ${growth.nodes}`);
  assert.ok(growth.heapKb < 2048, `JS heap grew by ${growth.heapKb} KB`);
  assert.deepEqual(errors, []);
  await page.close();
});
