// slowstart: a server coming back UP gets a share of the traffic that grows over the period
// instead of its full share at once. Shares are sampled in time windows; only the growth is
// asserted, not exact values.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from '../../helpers/http-harness';
import { startSluice, type StartedSluice } from '../../helpers/sluice-process';
import { BASE_DEFAULTS, upstream, type Upstream } from './fixtures';

const SLOWSTART = 2000;
let s1: Upstream;
let s2: Upstream;
let sluice: StartedSluice;

before(async () => {
  s1 = await upstream('s1');
  s2 = await upstream('s2');
  // s1 starts failing: its first check marks it DOWN
  s1.health = { status: 500, body: 'no' };
  sluice = await startSluice(
    `${BASE_DEFAULTS}frontend fe
  bind 127.0.0.1:0
  default_backend web
backend web
  balance roundrobin
  option httpchk GET /health
  server s1 127.0.0.1:${s1.port} check inter 10s downinter 100ms rise 1 fall 1 slowstart ${SLOWSTART}ms
  server s2 127.0.0.1:${s2.port}
`,
    { workers: 1 },
  );
});

after(async () => {
  await sluice?.stop();
  await Promise.all([s1?.close(), s2?.close()]);
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
