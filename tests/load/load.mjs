// Load on a warm release proxy from wrk (run by `cargo xtask bench`): a warm quote (what the shop's backend
// and the widget's list ask) and a city map view, each for a fixed time; reports requests per second,
// latency percentiles and errors.
import { spawnSync } from 'node:child_process';
import { startProxy } from '../browser/support.mjs';

const SECONDS = Number(process.env.PVZ_LOAD_SECONDS || 10);

/** Runs wrk against `url` and reads its summary. */
function wrk(url, connections) {
  const run = spawnSync('wrk', ['-t2', `-c${connections}`, `-d${SECONDS}s`, '--latency', url], { encoding: 'utf8' });
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

const proxy = await startProxy();
try {
  const street = await (await fetch(`${proxy.url}/api/v1/points?bbox=37.60,55.75,37.63,55.765&zoom=16`)).json();
  const id = street.points.find((p) => p.id.startsWith('demo-express:')).id;
  const quote = `${proxy.url}/api/v1/points/${encodeURIComponent(id)}/quote?weight=1200&dims=30x20x10&value=2500`;
  const warm = await fetch(quote);
  if (!warm.ok) throw new Error(`warming the quote failed: ${warm.status}`);
  const view = `${proxy.url}/api/v1/points?bbox=37.2,55.5,38.0,56.0&zoom=10&weight=1200&dims=30x20x10`;
  const runs = [
    ['warm quote, 16 connections', wrk(quote, 16), 'p99 < 2 ms'],
    ['warm quote, 64 connections', wrk(quote, 64), ''],
    ['city map view, 256 connections', wrk(view, 256), 'p99 < 5 ms'],
  ];
  console.log(`\nload, ${SECONDS} s each, wrk on loopback against a release proxy:`);
  for (const [what, r, target] of runs) {
    console.log(`  ${what.padEnd(34)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${r.p50.toFixed(3)} ms   p99 ${r.p99.toFixed(3)} ms   errors ${r.errors}${target ? `   (target ${target})` : ''}`);
  }
} finally {
  proxy.stop();
}
