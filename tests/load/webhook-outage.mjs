// The shop's webhook endpoint down for ten minutes (it answers 503) while the demo carrier's shipments move
// through their states, then up again: every event must arrive afterwards, each signature verifying, none
// lost, a repeat only ever with the same event id. Run by `cargo xtask bench`; `node webhook-outage.mjs 60`
// for a shorter outage.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { startProxy } from '../browser/support.mjs';

const OUTAGE_S = Number(process.argv[2] ?? 600);
const SHIPMENTS = 30;
const SECRET = 'outage-webhook-secret-0123456789';
const KEY = 'outage-shop-key-0123456789abcdef';

const state = { down: true, refused: 0, badSignatures: 0, repeats: 0, received: new Map() };
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (state.down) {
      state.refused += 1;
      response.writeHead(503).end();
      return;
    }
    const body = Buffer.concat(chunks);
    const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
    const given = Buffer.from(request.headers['x-pvz-signature'] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) state.badSignatures += 1;
    const id = request.headers['x-pvz-event'];
    if (state.received.has(id)) state.repeats += 1;
    else state.received.set(id, { at: Date.now(), event: JSON.parse(body) });
    response.writeHead(204).end();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const hook = `http://127.0.0.1:${server.address().port}/hook`;

const proxy = await startProxy({
  PVZ_SHOP_API_KEYS: KEY,
  PVZ_SHOP_WEBHOOK_URL: hook,
  PVZ_SHOP_WEBHOOK_SECRET: SECRET,
  PVZ_SHIPMENT_POLL_SECONDS: '5',
});
const api = (path, init = {}) => fetch(`${proxy.url}${path}`, {
  ...init,
  headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
}).then((r) => r.json());
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

try {
  const view = await (await fetch(`${proxy.url}/api/v1/points?bbox=37.4,55.6,37.8,55.9&zoom=16`)).json();
  const points = [...(view.nearest ?? []), ...view.points].filter((p) => p.kind !== 'locker');
  const ids = [];
  for (let n = 0; n < SHIPMENTS; n += 1) {
    const shipment = await api('/api/v1/shipments', {
      method: 'POST',
      body: JSON.stringify({
        order_number: `OUT-${n}`,
        point_id: points[n % points.length].id,
        parcel: { weight_g: 1000, boxes: [], declared_value: 0, cash_on_delivery: 0 },
        recipient: { name: 'Покупатель', phone: '+79123456789' },
      }),
    });
    ids.push(shipment.id);
  }
  console.log(`${SHIPMENTS} shipments; the shop's endpoint is down for ${OUTAGE_S} s`);
  await sleep(OUTAGE_S * 1000);
  state.down = false;
  const up = Date.now();
  // Every state change in the ledger is one event; wait until each has arrived and nothing new comes.
  let expected = 0;
  for (;;) {
    expected = 0;
    for (const id of ids) {
      const shipment = await api(`/api/v1/shipments/${id}`);
      const states = shipment.history.map((h) => h.state).filter((s, i, all) => i === 0 || s !== all[i - 1]);
      expected += states.length;
    }
    if (state.received.size >= expected) break;
    if (Date.now() - up > 15 * 60_000) throw new Error(`${state.received.size} of ${expected} events after 15 minutes`);
    await sleep(1000);
  }
  const last = Math.max(...[...state.received.values()].map((r) => r.at));
  console.log(JSON.stringify({
    outage_s: OUTAGE_S,
    events: expected,
    received: state.received.size,
    all_in_s_after_recovery: Math.max(0, (last - up) / 1000),
    attempts_refused_while_down: state.refused,
    repeats: state.repeats,
    bad_signatures: state.badSignatures,
  }));
  if (state.badSignatures > 0 || state.received.size !== expected) process.exitCode = 1;
} finally {
  proxy.stop();
  server.close();
}
