// Load on a warm release proxy from wrk (run by `cargo xtask bench`): a warm quote (what the shop's backend
// and the widget's list ask) and a city map view at 256 connections for 30 s, as wrk asks (no compression)
// and as browsers ask (gzip), then nginx serving a static file of the view's size on the same machine in the
// same run, as the baseline. Each run reports requests per second, latency percentiles, errors and the
// server's CPU time per answer; then the proxy's throughput as a share of nginx's. At saturation every
// connection waits its turn, so the mean latency is the connections over the throughput (Little's law); the
// paced runs measure the latency under a stated load instead, each connection pausing between answers.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProxy } from '../browser/support.mjs';

const SECONDS = Number(process.env.PVZ_LOAD_SECONDS || 30);
/** The pause of each connection in the paced runs, in ms. */
const PAUSE_MS = 5;
const PACED = join(dirname(fileURLToPath(import.meta.url)), 'paced.lua');

/** CPU seconds used so far by the process `pid` and its children (nginx's workers). */
function cpuSeconds(pid) {
  const ticks = (p) => {
    const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean);
  return [pid, ...children].reduce((sum, p) => sum + ticks(p), 0) / 100;
}

/**
 * Runs wrk against `url` served by the process `pid` for `seconds` and reads its summary, with the server's
 * CPU time per answer. `gzip` asks as browsers do; `paced` pauses each connection between answers.
 */
function wrk(url, pid, { connections = 256, seconds = SECONDS, gzip = false, paced = false } = {}) {
  const args = ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency'];
  if (gzip) args.push('-H', 'Accept-Encoding: gzip');
  if (paced) args.push('-s', PACED);
  const cpuBefore = cpuSeconds(pid);
  const run = spawnSync('wrk', [...args, url], {
    encoding: 'utf8',
    env: { ...process.env, PVZ_LOAD_PAUSE_MS: String(PAUSE_MS) },
  });
  const cpu = cpuSeconds(pid) - cpuBefore;
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr || run.error}`);
  const out = run.stdout;
  const ms = (text) => {
    const [, value, unit] = /([\d.]+)(us|ms|s)/.exec(text);
    return Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit];
  };
  const percentile = (p) => ms(new RegExp(`\\s${p}%\\s+([\\d.]+(us|ms|s))`).exec(out)[1]);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  return {
    connections,
    cpuUs: (cpu * 1e6) / requests,
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

/** nginx serving `body` as a static file on a free port, and `gzipped` to clients that take gzip, with its
 * own configuration; resolves with the file's URL, its pid and a stop function. */
async function startNginx(body, gzipped) {
  const dir = mkdtempSync(join(tmpdir(), 'pvz-nginx-'));
  // nginx's workers run as an unprivileged user: they must be able to read the file.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'view.json'), body);
  writeFileSync(join(dir, 'www', 'view.json.gz'), gzipped);
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
    location / { default_type application/json; gzip_static on; }
  }
}
`);
  const child = spawn(process.env.PVZ_NGINX || '/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}/view.json`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) break; } catch { /* not yet listening */ }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, pid: child.pid, stop: () => { child.kill(); rmSync(dir, { recursive: true, force: true }); } };
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
  const body = Buffer.from(await (await fetch(view, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
  // What a browser gets, still compressed: node's fetch would decode it, so it is read through curl.
  const gzipped = spawnSync('curl', ['-s', '-H', 'Accept-Encoding: gzip', view], { maxBuffer: 1 << 24 }).stdout;
  const target = 'p99 < 5 ms, 0 errors';
  const runs = [
    ['warm quote, 16 connections (gzip taken)', wrk(quote, proxy.pid, { connections: 16, seconds: 10, gzip: true }), 'p99 < 2 ms'],
    ['city map view, 256 connections', wrk(view, proxy.pid), target],
    ['the same, asked as browsers ask (gzip)', wrk(view, proxy.pid, { gzip: true }), target],
    [`the same, paced (${PAUSE_MS} ms between answers)`, wrk(view, proxy.pid, { gzip: true, paced: true }), target],
  ];
  nginx = await startNginx(body, gzipped);
  const baseline = wrk(nginx.url, nginx.pid);
  runs.push([`nginx, the same ${body.length} bytes static`, baseline, '']);
  runs.push([`the same, ${gzipped.length} bytes gzipped`, wrk(nginx.url, nginx.pid, { gzip: true }), '']);
  runs.push([`the same, paced (${PAUSE_MS} ms between answers)`, wrk(nginx.url, nginx.pid, { gzip: true, paced: true }), '']);
  console.log(`\nload, wrk on loopback, the same machine and run:`);
  for (const [what, r, goal] of runs) {
    console.log(
      `  ${what.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms` +
        `   errors ${r.errors}   server CPU ${r.cpuUs.toFixed(1)} us/answer${goal ? `   (target ${goal})` : ''}`,
    );
  }
  const saturated = runs[1][1];
  console.log(`  the map view's throughput is ${(saturated.rps / baseline.rps).toFixed(2)} of nginx's for the same body`);
  console.log(
    `  at saturation the mean latency is connections / throughput: ${((256 / saturated.rps) * 1000).toFixed(2)} ms` +
      ` for the proxy, ${((256 / baseline.rps) * 1000).toFixed(2)} ms for nginx`,
  );
} finally {
  nginx?.stop();
  proxy.stop();
}
