// What Boxberry's whole network costs a release proxy (run by `cargo xtask bench`): two proxies, each with
// Boxberry alone against its own simulator, one holding 18,000 points and one 10; the time from start until
// the 18,000 are in service (one ListPoints answer fetched, read and indexed), and the resident memory the
// 18,000 add over the 10, measured after the sync.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBoxberrySim, startProxy, waitForPoints } from '../browser/support.mjs';

const POINTS = 18_000;

function residentMb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}

/** A proxy with Boxberry's `points`: milliseconds until they serve, and its resident memory then. */
async function measure(points) {
  const data = mkdtempSync(join(tmpdir(), 'pvz-boxberry-'));
  const sim = await startBoxberrySim(points);
  const started = Date.now();
  const proxy = await startProxy({
    PVZ_BOXBERRY_TOKEN: 'bb-token-5448637f',
    PVZ_BOXBERRY_BASE_URL: `${sim.url}/json.php`,
    PVZ_DATA_DIR: data,
  });
  try {
    await waitForPoints(proxy.url, 'boxberry', 60_000);
    const ms = Date.now() - started;
    // Let the allocator settle after the sync's temporary copies.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return { ms, mb: residentMb(proxy.pid) };
  } finally {
    proxy.stop();
    sim.stop();
    rmSync(data, { recursive: true, force: true });
  }
}

const small = await measure(10);
const large = await measure(POINTS);
console.log(`Boxberry, ${POINTS} points: in service ${large.ms} ms after start; resident ${large.mb.toFixed(1)} MB `
  + `against ${small.mb.toFixed(1)} MB with 10 points: ${(large.mb - small.mb).toFixed(1)} MB for the network`);
