// The shipments ledger through a crash: the proxy killed with SIGKILL while 200 creates are on their way to
// the CDEK simulator, started again on the same data directory, and sent every order again by a shop that
// got no answer (the same idempotency keys). Each order must reach CDEK exactly once, counted there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProxy, startCdekSim, waitForPoints } from './support.mjs';

const KEY = 'crash-test-shop-key-0123456789';
const ORDERS = 200;

function order(n) {
  return {
    order_number: `K-${n}`,
    point_id: 'cdek:MSK00000',
    parcel: { weight_g: 1000, boxes: [], declared_value: 0, cash_on_delivery: 0 },
    recipient: { name: 'Петров Пётр', phone: '+79123456789' },
    items: [],
  };
}

/** Sends order `n`; resolves with the status, or 'lost' when the proxy died before answering. */
function create(base, n) {
  return fetch(`${base}/api/v1/shipments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'idempotency-key': `crash-${n}` },
    body: JSON.stringify(order(n)),
  }).then((r) => r.status, () => 'lost');
}

async function until(what, check, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('the proxy killed in the middle of 200 creates registers every order exactly once after a restart', async () => {
  const sim = await startCdekSim(50);
  const data = mkdtempSync(join(tmpdir(), 'pvz-crash-'));
  const env = {
    PVZ_CDEK_CLIENT_ID: 'shop-client',
    PVZ_CDEK_CLIENT_SECRET: 'shop-secret',
    PVZ_CDEK_BASE_URL: sim.url,
    PVZ_DATA_DIR: data,
    PVZ_SHOP_API_KEYS: KEY,
    PVZ_SHIPMENT_POLL_SECONDS: '1',
  };
  const simOrders = async () => (await fetch(`${sim.url.replace(/\/v2$/, '')}/control/orders`)).json();
  let proxy = await startProxy(env);
  try {
    await waitForPoints(proxy.url, 'cdek');
    const first = Array.from({ length: ORDERS }, (_, n) => create(proxy.url, n));
    const atKill = await until('some orders at CDEK', async () => {
      const n = (await simOrders()).length;
      return n >= 30 && n;
    });
    process.kill(proxy.pid, 'SIGKILL');
    const answered = await Promise.all(first);
    const lost = answered.filter((s) => s === 'lost').length;
    assert.ok(lost > 0, 'the proxy died with creates in flight');

    proxy = await startProxy(env);
    const again = await Promise.all(Array.from({ length: ORDERS }, (_, n) => create(proxy.url, n)));
    assert.deepEqual(again.filter((s) => s !== 201 && s !== 202), [], 'every order taken again');
    const pending = await until('every shipment registered', async () => {
      const page = await (await fetch(`${proxy.url}/api/v1/shipments?state=pending&limit=500`, {
        headers: { authorization: `Bearer ${KEY}` },
      })).json();
      return page.shipments.length === 0 && page;
    });
    assert.equal(pending.shipments.length, 0);
    const orders = await simOrders();
    const byNumber = new Map();
    for (const o of orders) byNumber.set(o.number, (byNumber.get(o.number) ?? 0) + 1);
    const twice = [...byNumber].filter(([, count]) => count > 1);
    assert.deepEqual(twice, [], 'no order sent twice');
    assert.equal(byNumber.size, ORDERS, 'every order at CDEK');
    assert.ok(orders.every((o) => o.live));
    console.log(`killed with ${atKill} of ${ORDERS} orders at CDEK and ${lost} answers lost; after the restart ${orders.length} orders, each once`);
  } finally {
    proxy.stop();
    sim.stop();
    rmSync(data, { recursive: true, force: true });
  }
});
