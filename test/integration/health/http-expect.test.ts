// HTTP checks that fail on the body (`http-check expect [!] string`) and on `timeout check`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSluice, type StartedSluice } from '../../helpers/sluice-process';
import { BASE_DEFAULTS, upstream, type Upstream } from './fixtures';

let str: Upstream;
let neg: Upstream;
let slow: Upstream;
let sluice: StartedSluice;

before(async () => {
  str = await upstream('str');
  neg = await upstream('neg');
  slow = await upstream('slow');
  sluice = await startSluice(
    `${BASE_DEFAULTS}  timeout check 200ms
frontend fe
  bind 127.0.0.1:0
  default_backend be_str
backend be_str
  option httpchk GET /health
  http-check expect string ok
  server s1 127.0.0.1:${str.port} check inter 100ms rise 1 fall 1
backend be_neg
  option httpchk GET /health
  http-check expect ! string maintenance
  server s1 127.0.0.1:${neg.port} check inter 100ms rise 1 fall 1
backend be_slow
  option httpchk GET /health
  server s1 127.0.0.1:${slow.port} check inter 100ms rise 1 fall 1
`,
    { workers: 1 },
  );
});

after(async () => {
  await sluice?.stop();
  await Promise.all([str?.close(), neg?.close(), slow?.close()]);
});

function transition(name: string, state: 'UP' | 'DOWN'): (l: { msg: string }) => boolean {
  return (l) => l.msg.startsWith(`Server ${name} is ${state}`);
}

test('expect string: a 200 without the string marks the server DOWN, with it UP again', async () => {
  const from = sluice.proc.logs.length;
  str.health = { status: 200, body: 'degraded' };
  const down = await sluice.proc.waitForLog(transition('be_str/s1', 'DOWN'), 5000, from);
  assert.match(
    down.msg,
    /reason: Layer7 invalid response, code: 200, info: "HTTP check did not match content 'ok'"/,
  );
  str.health = { status: 200, body: 'all ok' };
  await sluice.proc.waitForLog(transition('be_str/s1', 'UP'), 5000, from);
  // `option httpchk GET /health` keeps HAProxy's default version, HTTP/1.0, and sends no Host
  assert.deepEqual(str.lastCheck, { method: 'GET', url: '/health', version: '1.0', host: undefined });
});

test('expect ! string: the server is DOWN while the body contains the string', async () => {
  const from = sluice.proc.logs.length;
  neg.health = { status: 200, body: 'in maintenance' };
  const down = await sluice.proc.waitForLog(transition('be_neg/s1', 'DOWN'), 5000, from);
  assert.match(down.msg, /info: "HTTP check matched content 'maintenance'"/);
  neg.health = { status: 200, body: 'serving' };
  await sluice.proc.waitForLog(transition('be_neg/s1', 'UP'), 5000, from);
});

test('timeout check: a server that accepts but never answers the check goes DOWN on Layer7 timeout', async () => {
  const from = sluice.proc.logs.length;
  slow.health = null;
  const down = await sluice.proc.waitForLog(transition('be_slow/s1', 'DOWN'), 5000, from);
  assert.match(down.msg, /reason: Layer7 timeout, check duration: (\d+)ms/);
  const ms = Number(/check duration: (\d+)ms/.exec(down.msg)?.[1]);
  // bounded by timeout check (200ms), not by inter or timeout server
  assert.ok(ms >= 190, `timed out after ${ms}ms, before timeout check`);
  slow.health = { status: 200, body: 'ok' };
  await sluice.proc.waitForLog(transition('be_slow/s1', 'UP'), 5000, from);
});
