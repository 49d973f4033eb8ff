// Shared by the whole-page tests: a really started proxy (the binary `cargo xtask test` built) on a free
// port, and headless Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through \`cargo xtask test\``);
  return value;
}

/** Starts the program at `$binVar` and resolves with the base URL it prints ("listening on <url>/"). */
function startListening(binVar, args, env, what, cwd = undefined) {
  const child = spawn(required(binVar), args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${what} did not start within 20 s`)), 20_000);
    function fail(error) {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`${error.message}\n${log}`));
    }
    const watch = (chunk) => {
      log += chunk;
      const match = /listening on (http:\/\/[0-9.:]+(?:\/[a-z0-9]+)?)\//.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], pid: child.pid, stop: () => child.kill(), log: () => log });
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('exit', (code) => fail(new Error(`${what} exited with ${code}`)));
  });
}

/** The proxies' data directories, removed when the test process ends. */
const dataDirs = [];
process.once('exit', () => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * Starts the proxy on 127.0.0.1:0 and resolves with its base URL once it listens. Every test page, the
 * timing runs and the load script come from one address, far faster than any buyer: the per-client rate
 * limit is raised to match (it has tests of its own in `tests/tests/guard.rs`).
 */
export function startProxy(extraEnv = {}, cwd = undefined) {
  // A data directory of its own (the shipments ledger, carriers' snapshots), gone with the test process,
  // unless the test names one.
  const data = mkdtempSync(join(tmpdir(), 'pvz-data-'));
  dataDirs.push(data);
  const env = {
    ...process.env,
    PVZ_LISTEN: '127.0.0.1:0',
    PVZ_DATA_DIR: data,
    PVZ_TILE_URL: '',
    NO_COLOR: '1',
    PVZ_RATE_LIMIT_PER_SECOND: '1000000',
    PVZ_RATE_LIMIT_BURST: '1000000',
    ...extraEnv,
  };
  return startListening('PVZ_PROXY_BIN', [], env, 'the proxy', cwd);
}

/** Starts the CDEK simulator with `points` offices; resolves with its API base URL (`.../v2`). */
export function startCdekSim(points) {
  return startListening('PVZ_CDEK_SIM_BIN', [String(points)], process.env, 'the CDEK simulator');
}

/** Starts the Russian Post simulator with `points` offices; resolves with its base URL. */
export function startRussianPostSim(points) {
  return startListening('PVZ_RUSSIANPOST_SIM_BIN', [String(points)], process.env, 'the Russian Post simulator');
}

/** Starts the Boxberry simulator with `points` points; resolves with its base URL (its API is `/json.php`). */
export function startBoxberrySim(points) {
  return startListening('PVZ_BOXBERRY_SIM_BIN', [String(points)], process.env, 'the Boxberry simulator');
}

/** A proxy (with `extraEnv`) and a browser for the tests of one file, started before them and stopped
 * after: `env.proxy`, `env.browser`. */
export function proxyAndBrowser(extraEnv = {}) {
  const env = {};
  before(async () => {
    env.proxy = await startProxy(extraEnv);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    env.proxy?.stop();
  });
  return env;
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.PVZ_CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

/**
 * A page that records every pvz:* event reaching the document (they are composed and bubble) and every
 * script error, from before the page's own scripts run.
 */
export async function recordingPage(browser) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  await page.addInitScript(() => {
    window.pvzEvents = [];
    for (const type of ['pvz:ready', 'pvz:error', 'pvz:select', 'pvz:clear']) {
      document.addEventListener(type, (event) => {
        window.pvzEvents.push({ type, target: event.target.id, detail: event.detail });
      });
    }
  });
  return { page, errors };
}

/** Resolves with the first recorded pvz event of `type`. */
export async function waitForEvent(page, type, timeout = 15_000) {
  const handle = await page.waitForFunction(
    (t) => window.pvzEvents.find((e) => e.type === t || e.type === 'pvz:error'),
    type,
    { timeout },
  );
  const event = await handle.jsonValue();
  if (event.type !== type) throw new Error(`expected ${type}, got ${JSON.stringify(event)}`);
  return event;
}

/** The checkout as a buyer sees it on `proxyUrl`, for a parcel of `weight` grams (a weight of its own, so
 * that its prices are not in the proxy's cache yet): how many points, listed rows, prices and the status. */
export async function checkoutAsSeen(browser, proxyUrl, weight) {
  const { page, errors } = await recordingPage(browser);
  await page.goto(`${proxyUrl}/`);
  await waitForEvent(page, 'pvz:ready');
  await page.evaluate((weight) => {
    window.pvzEvents.length = 0;
    window.PvzWidget.mount(document.querySelector('#pvz'), { city: 'Москва', weight: String(weight) });
  }, weight);
  const ready = await waitForEvent(page, 'pvz:ready');
  // Every listed price settles: a price, or "нет цены" when the carrier cannot give one.
  await page.waitForFunction(() => {
    const prices = [...document.querySelector('#pvz').shadowRoot.querySelectorAll('.pvz-point-price')];
    return prices.length > 0 && prices.every((p) => p.textContent !== '…');
  }, null, { timeout: 30_000 });
  const seen = await page.evaluate(() => {
    const root = document.querySelector('#pvz').shadowRoot;
    return {
      rows: root.querySelectorAll('.pvz-list [role=option]').length,
      priced: [...root.querySelectorAll('.pvz-point-price')].filter((p) => p.textContent.includes('₽')).length,
      failed: root.querySelector('.pvz-status-error') !== null,
    };
  });
  await page.close();
  return { points: ready.detail.points, ...seen, errors };
}

/** Runs the checkout through each of `faults`, switched on by `inject(fault)` and off by `inject('none')`,
 * and tallies the faults injected, the checkouts that kept every point with no error, and the points lost. */
export async function faultRun(browser, proxyUrl, faults, inject) {
  const baseline = await checkoutAsSeen(browser, proxyUrl, 1100);
  if (baseline.priced === 0) throw new Error('no prices before any fault');
  const tally = { injected: 0, survived: 0, pointsLost: 0 };
  for (const [i, fault] of faults.entries()) {
    await inject(fault);
    tally.injected += 1;
    const seen = await checkoutAsSeen(browser, proxyUrl, 2000 + i * 500);
    tally.pointsLost += Math.max(0, baseline.points - seen.points);
    if (seen.points === baseline.points && seen.rows > 0 && !seen.failed && seen.errors.length === 0) tally.survived += 1;
    await inject('none');
  }
  return tally;
}

/** Waits until the proxy at `proxyUrl` serves points of `carrier` (its first sync runs after the start). */
export async function waitForPoints(proxyUrl, carrier, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const carriers = await (await fetch(`${proxyUrl}/api/v1/carriers`)).json();
    if (carriers.some((c) => c.name === carrier && c.points > 0)) return;
    if (Date.now() > deadline) throw new Error(`${carrier}'s points never synced: ${JSON.stringify(carriers)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A carrier's simulator, a proxy configured for it (`proxyEnv(simUrl, dataDir)` gives its settings) with a
 * data directory of its own, and a browser, for the tests of one file; ready once the carrier's first
 * points are synced: `env.sim`, `env.proxy`, `env.browser`.
 */
export function carrierAndBrowser(carrier, startSim, proxyEnv) {
  const env = {};
  before(async () => {
    env.data = mkdtempSync(join(tmpdir(), `pvz-${carrier}-`));
    env.sim = await startSim();
    env.proxy = await startProxy(proxyEnv(env.sim.url, env.data));
    env.browser = await launchBrowser();
    await waitForPoints(env.proxy.url, carrier);
  });
  after(async () => {
    await env.browser?.close();
    env.proxy?.stop();
    env.sim?.stop();
    if (env.data) rmSync(env.data, { recursive: true, force: true });
  });
  return env;
}

/** The bundle's files by the names the loader asks for them (`pvz_widget_bg.wasm`), as the loader `proxy`
 * serves names them now (content-hashed: `pvz_widget_bg.c2570c0926.wasm`). */
export async function bundleFiles(proxy) {
  const loader = await (await fetch(`${proxy.url}/widget.js`)).text();
  // The (minified) loader's asset table: `"widget.css":"widget.54dfc2987e.css"`, each name as written.
  const pairs = [...loader.matchAll(/"([\w/.]+)":\s*"([\w/.]+\.[0-9a-f]{10}\.\w+)"/g)];
  if (pairs.length === 0) throw new Error('the loader has no asset table');
  return Object.fromEntries(pairs.map(([, name, file]) => [name, file]));
}

/** The target for the widget on the wire, loader, glue, wasm and CSS (Leaflet excluded), as DESIGN sets it. */
export const BUNDLE_TARGET_KB = 120;

/**
 * The widget's files that the page at `path` of `proxyUrl` fetches when it loads in Chromium (Leaflet excluded,
 * as a shop may have its own), each with its bytes on the wire as brotli and as gzip (the body as served,
 * headers left out), and their sums.
 */
export async function bundleOnTheWire(browser, proxyUrl, path) {
  const page = await browser.newPage();
  const fetched = new Set();
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname === '/widget.js' || (pathname.startsWith('/widget/') && !pathname.startsWith('/widget/leaflet/'))) {
      fetched.add(pathname);
    }
  });
  await page.goto(`${proxyUrl}${path}`, { waitUntil: 'networkidle' });
  await page.close();
  const served = async (pathname, coding) => {
    const response = await fetch(`${proxyUrl}${pathname}`, { headers: { 'accept-encoding': coding } });
    await response.arrayBuffer();
    if (!response.ok || response.headers.get('content-encoding') !== coding) {
      throw new Error(`${pathname} with ${coding}: ${response.status} ${response.headers.get('content-encoding')}`);
    }
    return Number(response.headers.get('content-length'));
  };
  const files = [];
  for (const pathname of [...fetched].sort()) {
    files.push({ path: pathname, br: await served(pathname, 'br'), gzip: await served(pathname, 'gzip') });
  }
  const sum = (coding) => files.reduce((total, file) => total + file[coding], 0);
  return { files, br: sum('br'), gzip: sum('gzip') };
}

/** Everything of `proxy` a buyer or a log collector can see, as `[where, text]`: its log, the demo pages,
 * the public API answers, the metrics and every file of the widget bundle. */
export async function everythingVisible(proxy) {
  const bundle = ['/widget.js', '/widget.d.ts', ...Object.values(await bundleFiles(proxy)).map((file) => `/widget/${file}`)];
  const pages = ['/', '/tracking.html', '/configurator.html', '/api/v1/settings', '/api/v1/carriers', '/api/v1/openapi.json',
    '/readyz', '/metrics', ...bundle];
  const bodies = await Promise.all(pages.map(async (path) => {
    const response = await fetch(`${proxy.url}${path}`);
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return [path, await response.text()];
  }));
  return [['the log', proxy.log()], ...bodies];
}

/** A listed price in Russian: cost, then the delivery dates («250 ₽ · 3–4 декабря», «… · 30 ноября – 2 декабря»). */
export const PRICE_RU = /^\d[\d\u00a0]*(,\d\d)?\u00a0₽ · \d{1,2}(–\d{1,2})? [а-я]+( – \d{1,2} [а-я]+)?$/;

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.1 A/AA violations on the page as it is now, shadow roots included, as readable lines.
 * axe is an accessibility engine written elsewhere: what it finds is not our own judgement.
 */
export async function axeViolations(page) {
  // Evaluated rather than added as a script tag: the proxy's pages forbid inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' > ')).join('; ')}`);
  });
}

/** Saves a screenshot where `cargo xtask test` asks (PVZ_SCREENSHOTS_DIR), for the README. */
export async function screenshot(page, name, options = {}) {
  if (process.env.PVZ_SCREENSHOTS_DIR) await page.screenshot({ path: `${process.env.PVZ_SCREENSHOTS_DIR}/${name}`, ...options });
}
