// slowstart: a server coming back UP gets a share of the traffic that grows over the period
// instead of its full share at once. Shares are sampled in time windows; only the growth is
// asserted, not exact values. With a static algorithm the weight stays, and the admission
// (maxconn) ramps instead.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from '../../helpers/http-harness';
import { freePort, startSluice, type StartedSluice } from '../../helpers/sluice-process';
import {
  BASE_DEFAULTS,
  statRow,
  statsSocketPath,
  until,
  upstream,
  workersCaughtUp,
  type Upstream,
} from './fixtures';

const SLOWSTART = 2000;
/** long enough that the test runs in its first tenth, however slow the machine */
const LONG_SLOWSTART = 60_000;
const MAXCONN = 10;
let s1: Upstream;
let s2: Upstream;
let r1: Upstream;
let r2: Upstream;
let sluice: StartedSluice;
const sock = statsSocketPath();

before(async () => {
  [s1, s2, r1, r2] = await Promise.all(['s1', 's2', 'r1', 'r2'].map((n) => upstream(n)));
  // s1 and r1 start failing: their first check marks them DOWN
  s1.health = { status: 500, body: 'no' };
  r1.health = { status: 500, body: 'no' };
  sluice = await startSluice(
    `global
  stats socket ${sock.path} level admin
${BASE_DEFAULTS}  timeout queue 5s
frontend fe
  bind 127.0.0.1:${await freePort()}
  default_backend web
frontend fe_static
  bind 127.0.0.1:${await freePort()}
  default_backend static
backend web
  balance roundrobin
  option httpchk GET /health
  server s1 127.0.0.1:${s1.port} check inter 10s downinter 100ms rise 1 fall 1 slowstart ${SLOWSTART}ms
  server s2 127.0.0.1:${s2.port}
backend static
  balance static-rr
  option httpchk GET /health
  server r1 127.0.0.1:${r1.port} maxconn ${MAXCONN} check inter 2s downinter 100ms rise 1 fall 1 slowstart ${LONG_SLOWSTART}ms
  server r2 127.0.0.1:${r2.port}
`,
    { workers: 1 },
  );
});

after(async () => {
  for (const u of [r1, r2]) u?.release();
  await sluice?.stop();
  await Promise.all([s1, s2, r1, r2].map((u) => u?.close()));
  sock.cleanup();
});

test('a server coming UP ramps its share of requests over slowstart', async () => {
  // once UP, the next check is 10 s away: only the ramp's own steps move the weight
  await sluice.proc.waitForLog((l) => /^Server web\/s1 is DOWN/.test(l.msg), 5000);
  const from = sluice.proc.logs.length;
  s1.health = { status: 200, body: 'ok' };
  await sluice.proc.waitForLog((l) => /^Server web\/s1 is UP/.test(l.msg), 5000, from);
  const t0 = Date.now();
  // windows (ms since UP): early in the ramp, in its middle, after it
  const windows: [number, number][] = [
    [0, 500],
    [1000, 1500],
    [SLOWSTART + 200, SLOWSTART + 700],
  ];
  const counts = windows.map(() => ({ s1: 0, all: 0 }));
  for (;;) {
    const t = Date.now() - t0;
    if (t >= SLOWSTART + 700) break;
    const r = await request(sluice.port('fe'));
    assert.equal(r.status, 200);
    const i = windows.findIndex(([a, b]) => t >= a && t < b);
    const c = counts[i];
    if (c === undefined) continue;
    c.all++;
    if (r.body.toString() === 's1') c.s1++;
  }
  const shares = counts.map((c) => (c.all === 0 ? NaN : c.s1 / c.all));
  const text = shares.map((x) => x.toFixed(2)).join(' → ');
  assert.ok(
    counts.every((c) => c.all >= 10),
    `too few samples: ${JSON.stringify(counts)}`,
  );
  const [early, middle, late] = shares as [number, number, number];
  assert.ok(early < 0.3, `share right after UP is already ${text}`);
  assert.ok(middle > early, `share does not grow: ${text}`);
  assert.ok(late > middle && late > 0.4, `full share not reached after slowstart: ${text}`);
});

test('static-rr: a ramping server admits a share of its maxconn; the rest goes to the other server', async () => {
  await sluice.proc.waitForLog((l) => /^Server static\/r1 is DOWN/.test(l.msg), 5000);
  const from = sluice.proc.logs.length;
  r1.health = { status: 200, body: 'ok' };
  await sluice.proc.waitForLog((l) => /^Server static\/r1 is UP/.test(l.msg), 5000, from);
  const throttle = Number((await statRow(sock.path, 'static', 'r1')).throttle);
  assert.ok(throttle >= 1 && throttle < 10, `throttle ${throttle}% early in a ${LONG_SLOWSTART}ms slowstart`);
  await workersCaughtUp(sock.path);
  // 12 requests at once, every one held by its server: r1 may hold max(1, 10 × throttle%) = 1 of
  // them, where static-rr alone would give it half
  r1.hold = true;
  r2.hold = true;
  const port = sluice.port('fe_static');
  const pending = Array.from({ length: 12 }, () => request(port));
  await until(() => r1.hits + r2.hits === 12, 10_000, 'all 12 requests on a server');
  assert.equal(r1.hits, 1, `r1 took ${r1.hits} of 12 concurrent requests`);
  r1.hold = false;
  r2.hold = false;
  r1.release();
  r2.release();
  for (const r of await Promise.all(pending)) assert.equal(r.status, 200);
});
