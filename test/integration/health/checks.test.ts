// Active checks end to end: the real CLI with 4 workers, real upstream servers on 127.0.0.1.
// The acceptance tests: one instance's check rate with 4 workers; a server killed under
// steady traffic is DOWN within inter × fall + one check timeout while retries and redispatch
// hide it from clients; it comes back only after `rise` successes; a check failing on status.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from '../../helpers/http-harness';
import { startSluice, type StartedSluice } from '../../helpers/sluice-process';
import {
  nextGaps,
  statRow,
  statsSocketPath,
  until,
  upstream,
  workersCaughtUp,
  type Upstream,
} from './fixtures';

const INTER = 100;
const RISE = 2;
const FALL = 2;
const TIMEOUT_CHECK = 300;
/** what the primary's timers may lag behind on a loaded 2-core machine; not part of the bound */
const TIMER_SLACK = 250;
let s1: Upstream;
let s2: Upstream;
let sluice: StartedSluice;
const sock = statsSocketPath();

before(async () => {
  s1 = await upstream('s1');
  s2 = await upstream('s2');
  sluice = await startSluice(
    `global
  nbthread 4
  stats socket ${sock.path} level admin
defaults
  mode http
  timeout connect 500ms
  timeout client 5s
  timeout server 5s
  timeout check ${TIMEOUT_CHECK}ms
frontend fe
  bind 127.0.0.1:0
  default_backend web
backend web
  option httpchk GET /health HTTP/1.1
  http-check send hdr Host health.local
  retries 3
  option redispatch
  # idempotent GETs cut by the kill may go again too, not only those refused a connection
  retry-on conn-failure empty-response response-timeout
  default-server check inter ${INTER}ms rise ${RISE} fall ${FALL}
  server s1 127.0.0.1:${s1.port}
  server s2 127.0.0.1:${s2.port}
`,
    { workers: 4 },
  );
});

after(async () => {
  await sluice?.stop();
  await s1?.close();
  await s2?.close();
  sock.cleanup();
});

test('4 workers: the server receives the check rate of one instance', async () => {
  const gaps = await nextGaps(s1.checkTimes, 12, 'checks on s1');
  // one checker starts the next check `inter` after the previous one ended, so no two checks
  // arrive closer than `inter`; a checker per worker would average inter / 4 between them
  assert.ok(
    gaps.every((g) => g >= INTER - 2),
    `checks closer than inter ${INTER}ms: ${gaps.join(', ')}`,
  );
  // the HTTP/1.1 request `option httpchk` + `http-check send hdr Host` describe
  assert.deepEqual(s1.lastCheck, {
    method: 'GET',
    url: '/health',
    version: '1.1',
    host: 'health.local',
  });
});

test('a server killed under steady traffic is DOWN within inter × fall + timeout check; clients see no error', async () => {
  const port = sluice.port('fe');
  const statuses: number[] = [];
  const failures: string[] = [];
  let stop = false;
  // four clients in a loop: new connections spread over the workers
  const clients = Array.from({ length: 4 }, async () => {
    while (!stop) {
      try {
        statuses.push((await request(port)).status);
      } catch (err) {
        failures.push(String(err));
      }
    }
  });
  try {
    const hits = s2.hits;
    await until(() => s2.hits >= hits + 20, 10_000, 'steady traffic reaching s2');
    const from = sluice.proc.logs.length;
    const before = await statRow(sock.path, 'web', 'BACKEND');
    const killedAt = Date.now();
    await s2.close();
    const down = await sluice.proc.waitForLog((l) => /^Server web\/s2 is DOWN/.test(l.msg), 10_000, from);
    assert.match(
      down.msg,
      /^Server web\/s2 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: \d+ms\. 1 active and 0 backup servers left\. 0 sessions active, 0 requeued, 0 remaining in queue\.$/,
    );
    // DOWN on the `fall`-th failed check: one "failed ... status: 1/2 UP" line before it (a check
    // in flight at the kill may fail on the reset rather than on a refused connection)
    const between = sluice.proc.logs
      .slice(from)
      .filter((l) => /^Health check for server web\/s2/.test(l.msg));
    assert.equal(between.length, FALL - 1, between.map((l) => l.msg).join('\n'));
    assert.match(
      between[0]?.msg ?? '',
      /^Health check for server web\/s2 failed, reason: .*, status: 1\/2 UP\.$/,
    );
    // the primary stamps the transition; the bound is the issue's, plus timer lateness only
    const downAfter = Date.parse(String(down.time)) - killedAt;
    assert.ok(
      downAfter <= INTER * FALL + TIMEOUT_CHECK + TIMER_SLACK,
      `DOWN ${downAfter}ms after the kill (inter ${INTER} × fall ${FALL} + timeout check ${TIMEOUT_CHECK})`,
    );
    // traffic goes on past the moment every worker knows, then stops
    await workersCaughtUp(sock.path);
    const n = statuses.length;
    await until(() => statuses.length >= n + 40, 10_000, 'traffic after DOWN');
    stop = true;
    await Promise.all(clients);
    assert.deepEqual(failures, []);
    assert.deepEqual(
      statuses.filter((s) => s !== 200),
      [],
    );
    // requests did meet the dead server: the retries and redispatches are what hid it
    const afterKill = await statRow(sock.path, 'web', 'BACKEND');
    const retried = Number(afterKill.wretr) - Number(before.wretr);
    const redispatched = Number(afterKill.wredis) - Number(before.wredis);
    assert.ok(redispatched > 0, `no request was redispatched (wretr +${retried}, wredis +${redispatched})`);
  } finally {
    stop = true;
    await Promise.all(clients);
  }
});

test('it comes back UP only after rise successes, and takes traffic again', async () => {
  const from = sluice.proc.logs.length;
  s2 = await upstream('s2', s2.port);
  const up = await sluice.proc.waitForLog((l) => /^Server web\/s2 is UP/.test(l.msg), 5000, from);
  assert.match(
    up.msg,
    /^Server web\/s2 is UP, reason: Layer7 check passed, code: 200, check duration: \d+ms\. 2 active and 0 backup servers online\. 0 sessions requeued, 0 total in queue\.$/,
  );
  // exactly rise - 1 successes left it DOWN before the one that brought it UP
  const between = sluice.proc.logs.slice(from).filter((l) => /^Health check for server web\/s2/.test(l.msg));
  assert.deepEqual(
    between.map((l) => l.msg.replace(/, check duration: \d+ms/, '')),
    ['Health check for server web/s2 succeeded, reason: Layer7 check passed, code: 200, status: 1/2 DOWN.'],
  );
  await workersCaughtUp(sock.path);
  const before = s2.hits;
  for (let i = 0; i < 40; i++) assert.equal((await request(sluice.port('fe'))).status, 200);
  assert.ok(s2.hits - before >= 10, `s2 got ${s2.hits - before} of 40`);
});

test('an HTTP check failing on status marks the server DOWN with Layer7 wrong status', async () => {
  const from = sluice.proc.logs.length;
  s1.health = { status: 500, body: 'ok' };
  const down = await sluice.proc.waitForLog((l) => /^Server web\/s1 is DOWN/.test(l.msg), 5000, from);
  assert.match(down.msg, /reason: Layer7 wrong status, code: 500, info: "Internal Server Error"/);
  assert.equal((await statRow(sock.path, 'web', 's1')).check_status, 'L7STS');
  s1.health = { status: 200, body: 'ok' };
  await sluice.proc.waitForLog((l) => /^Server web\/s1 is UP/.test(l.msg), 5000, from);
});
