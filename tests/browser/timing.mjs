// The widget's weight and speed as a buyer meets them, against a warm proxy on loopback (run by `cargo xtask bench`):
//  - the widget's files a checkout fetches, on the wire as brotli and as gzip (Leaflet excluded);
//  - initial view of the demo checkout page: API requests, their compressed payload, and the time from the
//    loader starting to pvz:ready, as the median of several runs, each in a fresh browser context;
//  - panning and zooming through a city and out to the whole country: the slowest animation frame;
//  - the proxy's resident memory with every demo point loaded.
import { readFileSync } from 'node:fs';
import { BUNDLE_TARGET_KB, bundleOnTheWire, startProxy, launchBrowser } from './support.mjs';

const RUNS = Number(process.env.PVZ_TIMING_RUNS || 9);
const WARM_UP = 2;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Loads the page once in a fresh context; counts the API requests that reached the proxy (not the ones the
 * browser's cache answered) and the bytes they took on the wire, headers included. */
async function initialView(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const api = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (new URL(e.request.url).pathname.startsWith('/api/')) api.set(e.requestId, { cached: false, bytes: 0 });
  });
  cdp.on('Network.requestServedFromCache', (e) => { if (api.has(e.requestId)) api.get(e.requestId).cached = true; });
  cdp.on('Network.responseReceived', (e) => {
    if (api.has(e.requestId) && (e.response.fromDiskCache || e.response.fromPrefetchCache)) api.get(e.requestId).cached = true;
  });
  cdp.on('Network.loadingFinished', (e) => { if (api.has(e.requestId)) api.get(e.requestId).bytes = e.encodedDataLength; });
  await page.addInitScript(() => {
    document.addEventListener('pvz:ready', () => { window.pvzReadyAt = performance.now(); }, { once: true });
  });
  await page.goto(url);
  await page.waitForFunction(() => window.pvzReadyAt !== undefined, null, { timeout: 15_000 });
  const ms = await page.evaluate(() => window.pvzReadyAt - performance.getEntriesByName('pvz:loader-start')[0].startTime);
  await page.waitForTimeout(200);
  await context.close();
  const fetched = [...api.values()].filter((r) => !r.cached);
  return { ms, requests: fetched.length, bytes: fetched.reduce((sum, r) => sum + r.bytes, 0) };
}

async function slowestFrame(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    document.addEventListener('pvz:ready', () => { window.pvzReady = true; }, { once: true });
  });
  await page.goto(url);
  await page.waitForFunction(() => window.pvzReady, null, { timeout: 15_000 });
  const box = await page.locator('#pvz .pvz-map').boundingBox();
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.evaluate(() => {
    window.frames = [];
    const tick = (t) => { window.frames.push(t); if (!window.stopFrames) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const drag = async (dx, dy) => {
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.down();
    await page.mouse.move(centre.x + dx, centre.y + dy, { steps: 20 });
    await page.mouse.up();
    await page.waitForTimeout(400);
  };
  const wheel = async (delta, times) => {
    for (let i = 0; i < times; i++) {
      await page.mouse.move(centre.x, centre.y);
      await page.mouse.wheel(0, delta);
      await page.waitForTimeout(450);
    }
  };
  // Through the city: pan about, zoom in to the streets and back.
  await drag(200, 80);
  await drag(-300, -120);
  await wheel(-120, 5);
  await drag(150, 150);
  await wheel(120, 5);
  // Out to the whole country and across it.
  await wheel(120, 6);
  await drag(400, 0);
  await drag(-600, 50);
  await wheel(-120, 3);
  const frames = await page.evaluate(() => { window.stopFrames = true; return window.frames; });
  await context.close();
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  return { frames: gaps.length, slowest: Math.max(...gaps), p99: [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length * 0.99)] };
}

const proxy = await startProxy();
const browser = await launchBrowser();
try {
  const url = `${proxy.url}/`;
  const wire = await bundleOnTheWire(browser, proxy.url, '/');
  const runs = [];
  for (let i = 0; i < WARM_UP + RUNS; i++) {
    const run = await initialView(browser, url);
    if (i >= WARM_UP) runs.push(run);
  }
  const passes = [];
  for (let i = 0; i < 3; i++) passes.push(await slowestFrame(browser, url));
  const frames = { slowest: Math.max(...passes.map((p) => p.slowest)), median: median(passes.map((p) => p.slowest)), p99: Math.max(...passes.map((p) => p.p99)) };
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proxy.pid}/status`, 'utf8'))[1]);
  const carriers = await (await fetch(`${proxy.url}/api/v1/carriers`)).json();
  const points = carriers.reduce((sum, c) => sum + c.points, 0);

  const report = [
    ['checkout bundle on the wire, brotli, KB', (wire.br / 1024).toFixed(1), `<= ${BUNDLE_TARGET_KB}`, wire.br <= BUNDLE_TARGET_KB * 1024],
    ['checkout bundle on the wire, gzip, KB', (wire.gzip / 1024).toFixed(1), `<= ${BUNDLE_TARGET_KB}`, wire.gzip <= BUNDLE_TARGET_KB * 1024],
    ['points loaded', points, '>= 50000', points >= 50_000],
    ['initial view: API requests (median)', median(runs.map((r) => r.requests)), '<= 4', median(runs.map((r) => r.requests)) <= 4],
    ['initial view: compressed API bytes with headers, KB (median)', (median(runs.map((r) => r.bytes)) / 1024).toFixed(1), '<= 50', median(runs.map((r) => r.bytes)) <= 50 * 1024],
    ['loader start to pvz:ready, ms (median)', median(runs.map((r) => r.ms)).toFixed(0), '<= 300', median(runs.map((r) => r.ms)) <= 300],
    ['loader start to pvz:ready, ms (min .. max)', `${Math.min(...runs.map((r) => r.ms)).toFixed(0)} .. ${Math.max(...runs.map((r) => r.ms)).toFixed(0)}`, '', true],
    ['pan and zoom: slowest frame of 3 passes, ms', frames.slowest.toFixed(1), '< 50', frames.slowest < 50],
    ['pan and zoom: slowest frame, median of passes, ms', frames.median.toFixed(1), '', true],
    ['pan and zoom: p99 frame, ms', frames.p99.toFixed(1), '', true],
    ['proxy resident memory, MB', (rssKb / 1024).toFixed(0), '< 150', rssKb < 150 * 1024],
  ];
  console.log(`\nwidget timing, ${RUNS} runs after ${WARM_UP} warm-up, headless Chromium, loopback:`);
  for (const [what, value, target, met] of report) {
    console.log(`  ${what.padEnd(62)} ${String(value).padStart(10)}  ${target ? `target ${target}: ${met ? 'met' : 'MISSED'}` : ''}`);
  }
} finally {
  await browser.close();
  proxy.stop();
}
