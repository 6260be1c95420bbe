// Active checks end to end: the real CLI with 4 workers, real upstream servers on 127.0.0.1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from '../../helpers/http-harness';
import { startSluice, type StartedSluice } from '../../helpers/sluice-process';

interface Upstream {
  port: number;
  checks: number;
  hits: number;
  healthStatus: number;
  server: http.Server;
  close(): Promise<void>;
}

async function upstream(name: string, port = 0): Promise<Upstream> {
  const u = { port, checks: 0, hits: 0, healthStatus: 200 } as Upstream;
  u.server = http.createServer((req, res) => {
    if (req.url === '/health') {
      u.checks++;
      res.writeHead(u.healthStatus).end('ok');
      return;
    }
    u.hits++;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(name);
  });
  await new Promise<void>((r) => u.server.listen(port, '127.0.0.1', r));
  u.port = (u.server.address() as AddressInfo).port;
  u.close = () =>
    new Promise<void>((r) => {
      u.server.closeAllConnections();
      u.server.close(() => r());
    });
  return u;
}

const INTER = 100;
let s1: Upstream;
let s2: Upstream;
let sluice: StartedSluice;

before(async () => {
  s1 = await upstream('s1');
  s2 = await upstream('s2');
  sluice = await startSluice(
    `global
  nbthread 4
defaults
  mode http
  timeout connect 500ms
  timeout client 5s
  timeout server 5s
  timeout check 300ms
frontend fe
  bind 127.0.0.1:0
  default_backend web
backend web
  option httpchk GET /health HTTP/1.1
  http-check send hdr Host health.local
  retries 3
  option redispatch
  default-server check inter ${INTER}ms rise 2 fall 2
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
});

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('4 workers: each server sees the check rate of one instance', async () => {
  const c1 = s1.checks;
  const start = Date.now();
  await new Promise((r) => setTimeout(r, 1000));
  const elapsed = Date.now() - start;
  const seen = s1.checks - c1;
  // one checker: at most one check per inter (plus slack for the one in flight); 4 would be ~4x
  assert.ok(seen >= 3, `only ${seen} checks in ${elapsed}ms`);
  assert.ok(seen <= Math.ceil(elapsed / INTER) + 2, `${seen} checks in ${elapsed}ms: more than one checker`);
});

test('a killed server is marked DOWN with the HAProxy log line and clients see no error', async () => {
  const from = sluice.proc.logs.length;
  await s2.close();
  const killedAt = Date.now();
  // traffic during the failover: retries + redispatch hide the dead server
  const statuses: number[] = [];
  const load = (async () => {
    while (Date.now() - killedAt < 800) statuses.push((await request(sluice.port('fe'))).status);
  })();
  const down = await sluice.proc.waitForLog((l) => /^Server web\/s2 is DOWN/.test(l.msg), 5000, from);
  assert.match(
    down.msg,
    /^Server web\/s2 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: \d+ms\. 1 active and 0 backup servers left\. 0 sessions active, 0 requeued, 0 remaining in queue\.$/,
  );
  // inter x fall + one check timeout, plus scheduling slack
  assert.ok(Date.now() - killedAt <= INTER * 2 + 300 + 500, `DOWN after ${Date.now() - killedAt}ms`);
  await load;
  assert.ok(statuses.length > 0);
  assert.deepEqual(
    statuses.filter((s) => s !== 200),
    [],
  );
});

test('it comes back UP only after rise successes, and takes traffic again', async () => {
  const from = sluice.proc.logs.length;
  s2 = await upstream('s2', s2.port);
  const up = await sluice.proc.waitForLog((l) => /^Server web\/s2 is UP/.test(l.msg), 5000, from);
  assert.match(
    up.msg,
    /^Server web\/s2 is UP, reason: Layer7 check passed, code: 200, check duration: \d+ms\. 2 active and 0 backup servers online\./,
  );
  const between = sluice.proc.logs.slice(from);
  assert.ok(
    between.some((l) => /^Health check for server web\/s2 succeeded, .*status: 1\/2 DOWN\.$/.test(l.msg)),
    'one success first leaves it DOWN 1/2',
  );
  // every worker got the new state: enough requests reach s2 whichever worker serves them
  const before = s2.hits;
  for (let i = 0; i < 40; i++) assert.equal((await request(sluice.port('fe'))).status, 200);
  assert.ok(s2.hits - before >= 10, `s2 got ${s2.hits - before} of 40`);
});

test('an HTTP check failing on status marks the server DOWN with Layer7 wrong status', async () => {
  const from = sluice.proc.logs.length;
  s1.healthStatus = 500;
  const down = await sluice.proc.waitForLog((l) => /^Server web\/s1 is DOWN/.test(l.msg), 5000, from);
  assert.match(down.msg, /reason: Layer7 wrong status, code: 500, info: "Internal Server Error"/);
  s1.healthStatus = 200;
  await sluice.proc.waitForLog((l) => /^Server web\/s1 is UP/.test(l.msg), 5000, from);
  await until(() => true, 1);
});
