// Load on a warm release proxy from wrk (run by `cargo xtask bench`): a warm quote (what the shop's backend
// and the widget's list ask) and a city map view at 256 connections for 30 s, then nginx serving a static
// file of the view's size on the same machine in the same run, as the baseline; reports requests per
// second, latency percentiles, errors and the proxy's throughput as a share of nginx's.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProxy } from '../browser/support.mjs';

const SECONDS = Number(process.env.PVZ_LOAD_SECONDS || 30);

/** Runs wrk against `url` for `seconds` and reads its summary. */
function wrk(url, connections, seconds = SECONDS) {
  const run = spawnSync('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', url], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr || run.error}`);
  const out = run.stdout;
  const ms = (text) => {
    const [, value, unit] = /([\d.]+)(us|ms|s)/.exec(text);
    return Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit];
  };
  const percentile = (p) => ms(new RegExp(`\\s${p}%\\s+([\\d.]+(us|ms|s))`).exec(out)[1]);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50: percentile(50),
    p99: percentile(99),
    errors: (errors ? Number(errors[1]) : 0) + (socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0),
  };
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** nginx serving `body` as a static file on a free port, with its own configuration; resolves with the
 * file's URL and a stop function. */
async function startNginx(body) {
  const dir = mkdtempSync(join(tmpdir(), 'pvz-nginx-'));
  // nginx's workers run as an unprivileged user: they must be able to read the file.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'view.json'), body);
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), `
worker_processes auto;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    location / { default_type application/json; }
  }
}
`);
  const child = spawn(process.env.PVZ_NGINX || '/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}/view.json`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) break; } catch { /* not yet listening */ }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, stop: () => { child.kill(); rmSync(dir, { recursive: true, force: true }); } };
}

const proxy = await startProxy();
let nginx;
try {
  const street = await (await fetch(`${proxy.url}/api/v1/points?bbox=37.60,55.75,37.63,55.765&zoom=16`)).json();
  const id = street.points.find((p) => p.id.startsWith('demo-express:')).id;
  const quote = `${proxy.url}/api/v1/points/${encodeURIComponent(id)}/quote?weight=1200&dims=30x20x10&value=2500`;
  const warm = await fetch(quote);
  if (!warm.ok) throw new Error(`warming the quote failed: ${warm.status}`);
  const view = `${proxy.url}/api/v1/points?bbox=37.2,55.5,38.0,56.0&zoom=10&weight=1200&dims=30x20x10`;
  const body = Buffer.from(await (await fetch(view)).arrayBuffer());
  const runs = [
    ['warm quote, 16 connections', wrk(quote, 16, 10), 'p99 < 2 ms'],
    ['city map view, 256 connections', wrk(view, 256), 'p99 < 5 ms, 0 errors'],
  ];
  nginx = await startNginx(body);
  const baseline = wrk(nginx.url, 256);
  runs.push([`nginx, the same ${body.length} bytes static`, baseline, '']);
  console.log(`\nload, wrk on loopback, the same machine and run:`);
  for (const [what, r, target] of runs) {
    console.log(`  ${what.padEnd(40)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${r.p50.toFixed(3)} ms   p99 ${r.p99.toFixed(3)} ms   errors ${r.errors}${target ? `   (target ${target})` : ''}`);
  }
  console.log(`  the map view's throughput is ${(runs[1][1].rps / baseline.rps).toFixed(2)} of nginx's for the same body`);
} finally {
  nginx?.stop();
  proxy.stop();
}
