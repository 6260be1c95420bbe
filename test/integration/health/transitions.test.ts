// The state machine as `show stat` and the logs show it: `default-server` in defaults passing the
// check timings on, `disabled` starting in MAINT (and unchecked), the transitional `UP 1/2` and
// `DOWN 1/2` held for `fastinter` while `downinter` paces a DOWN server, backups named as such
// in the logs, and NOLB from `http-check disable-on-404`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSluice, type StartedSluice } from '../../helpers/sluice-process';
import {
  BASE_DEFAULTS,
  nextGaps,
  send,
  spread,
  statRow,
  statsSocketPath,
  until,
  upstream,
  workersCaughtUp,
  type Upstream,
} from './fixtures';

const INTER = 100;
const FASTINTER = 1500;
const DOWNINTER = 100;
let s1: Upstream;
let s2: Upstream;
let b1: Upstream;
let sluice: StartedSluice;
const sock = statsSocketPath();

before(async () => {
  [s1, s2, b1] = await Promise.all(['s1', 's2', 'b1'].map((n) => upstream(n)));
  sluice = await startSluice(
    `global
  stats socket ${sock.path} level admin
${BASE_DEFAULTS}  default-server inter ${INTER}ms fastinter ${FASTINTER}ms downinter ${DOWNINTER}ms rise 2 fall 2
frontend fe
  bind 127.0.0.1:0
  default_backend web
backend web
  option httpchk GET /health
  http-check disable-on-404
  server s1 127.0.0.1:${s1.port} check
  server s2 127.0.0.1:${s2.port} check disabled
  server b1 127.0.0.1:${b1.port} check backup
`,
    { workers: 2 },
  );
});

after(async () => {
  await sluice?.stop();
  await Promise.all([s1, s2, b1].map((u) => u?.close()));
  sock.cleanup();
});

/** the next log line matching re, from now on */
function nextLog(re: RegExp): Promise<{ msg: string }> {
  return sluice.proc.waitForLog((l) => re.test(l.msg), 10_000, sluice.proc.logs.length);
}

test('default-server in defaults passes rise/fall on; a disabled server starts in MAINT, unchecked', async () => {
  await until(() => s1.checks >= 3, 5000, 'checks on s1');
  const r1 = await statRow(sock.path, 'web', 's1');
  assert.deepEqual([r1.status, r1.check_rise, r1.check_fall, r1.check_health], ['UP', '2', '2', '3']);
  assert.equal((await statRow(sock.path, 'web', 's2')).status, 'MAINT');
  assert.equal(s2.checks, 0, 'a server in MAINT is not checked');
  // leaving MAINT starts its checks
  assert.equal(await send(sock.path, 'set server web/s2 state ready'), '\n');
  await until(() => s2.checks >= 1, 5000, 'checks on s2 once READY');
  assert.equal(await send(sock.path, 'set server web/s2 state maint'), '\n');
});

test('UP 1/2 for fastinter after a failure, DOWN paced by downinter, DOWN 1/2 for fastinter, then UP', async () => {
  let line = nextLog(/^Health check for server web\/s1 failed/);
  s1.health = { status: 500, body: 'no' };
  assert.match((await line).msg, /, status: 1\/2 UP\.$/);
  const failedAt = s1.checkTimes.length;
  const row = await statRow(sock.path, 'web', 's1');
  assert.deepEqual(
    [row.status, row.check_status, row.check_desc],
    ['UP 1/2', 'L7STS', 'Layer7 wrong status'],
  );
  assert.equal(row.last_chk, 'Internal Server Error');
  await nextLog(/^Server web\/s1 is DOWN/);
  // the check after a failure waits fastinter, not inter
  const gap = (s1.checkTimes[failedAt] as number) - (s1.checkTimes[failedAt - 1] as number);
  assert.ok(gap >= FASTINTER - 2, `second check ${gap}ms after the first failure (fastinter ${FASTINTER})`);
  assert.equal((await statRow(sock.path, 'web', 's1')).status, 'DOWN');
  // fully DOWN: checks every downinter, well below fastinter
  const downGaps = await nextGaps(s1.checkTimes, 4, 'checks while DOWN');
  assert.ok(
    downGaps.every((g) => g < FASTINTER),
    `checks while DOWN ${downGaps.join(', ')}ms apart: not downinter`,
  );
  line = nextLog(/^Health check for server web\/s1 succeeded/);
  s1.health = { status: 200, body: 'ok' };
  assert.match((await line).msg, /, status: 1\/2 DOWN\.$/);
  const okAt = s1.checkTimes.length;
  assert.equal((await statRow(sock.path, 'web', 's1')).status, 'DOWN 1/2');
  await nextLog(/^Server web\/s1 is UP/);
  const upGap = (s1.checkTimes[okAt] as number) - (s1.checkTimes[okAt - 1] as number);
  assert.ok(upGap >= FASTINTER - 2, `rise check ${upGap}ms after the first success (fastinter ${FASTINTER})`);
  assert.equal((await statRow(sock.path, 'web', 's1')).status, 'UP');
});

test('logs name a backup server as such, and say when the backend runs on backup', async () => {
  let line = nextLog(/^Server web\/s1 is DOWN/);
  s1.health = { status: 500, body: 'no' };
  assert.match(
    (await line).msg,
    /\. 0 active and 1 backup servers left\. Running on backup\. 0 sessions active, 0 requeued, 0 remaining in queue\.$/,
  );
  line = nextLog(/^Backup Server web\/b1 is DOWN/);
  b1.health = { status: 500, body: 'no' };
  assert.match((await line).msg, /\. 0 active and 0 backup servers left\. 0 sessions active/);
  line = nextLog(/^Backup Server web\/b1 is UP/);
  b1.health = { status: 200, body: 'ok' };
  assert.match(
    (await line).msg,
    /\. 0 active and 1 backup servers online\. Running on backup\. 0 sessions requeued/,
  );
  line = nextLog(/^Server web\/s1 is UP/);
  s1.health = { status: 200, body: 'ok' };
  assert.match(
    (await line).msg,
    /\. 1 active and 1 backup servers online\. 0 sessions requeued, 0 total in queue\.$/,
  );
});

test('disable-on-404: a 404 puts the UP server in NOLB (no new traffic), a 200 brings it back', async () => {
  let line = nextLog(/^Server web\/s1 is stopping/);
  s1.health = { status: 404, body: 'gone' };
  assert.match(
    (await line).msg,
    /^Server web\/s1 is stopping, reason: Layer7 check conditionally passed, code: 404, info: "Not Found", check duration: \d+ms\. 0 active and 1 backup servers online\. Running on backup\./,
  );
  const row = await statRow(sock.path, 'web', 's1');
  assert.deepEqual([row.status, row.check_status], ['NOLB', 'L7OKC']);
  await workersCaughtUp(sock.path);
  assert.deepEqual([...(await spread(sluice.port('fe'), 8))], [['b1', 8]]);
  line = nextLog(/^Server web\/s1 is UP/);
  s1.health = { status: 200, body: 'ok' };
  assert.match((await line).msg, /^Server web\/s1 is UP, reason: Layer7 check passed, code: 200/);
  await workersCaughtUp(sock.path);
  assert.deepEqual([...(await spread(sluice.port('fe'), 8))], [['s1', 8]]);
});
