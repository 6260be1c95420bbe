// A server going DOWN while requests wait in the backend queue: they are served by the servers
// still UP, never by the DOWN one, and `timeout queue` still bounds their wait.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from '../../helpers/http-harness';
import { startSluice, type StartedSluice } from '../../helpers/sluice-process';
import { BASE_DEFAULTS, statsSocketPath, until, upstream, workersCaughtUp, type Upstream } from './fixtures';

let s1: Upstream;
let s2: Upstream;
let sluice: StartedSluice;
const sock = statsSocketPath();

before(async () => {
  s1 = await upstream('s1');
  s2 = await upstream('s2');
  sluice = await startSluice(
    `global
  stats socket ${sock.path} level admin
${BASE_DEFAULTS}  timeout queue 1500ms
frontend fe
  bind 127.0.0.1:0
  default_backend web
backend web
  balance roundrobin
  option httpchk GET /health
  server s1 127.0.0.1:${s1.port} maxconn 1 check inter 500ms downinter 100ms rise 1 fall 1
  server s2 127.0.0.1:${s2.port} maxconn 1 check inter 500ms downinter 100ms rise 1 fall 1
`,
    { workers: 1 },
  );
});

after(async () => {
  s1?.release();
  s2?.release();
  await sluice?.stop();
  await Promise.all([s1?.close(), s2?.close()]);
  sock.cleanup();
});

async function setDown(u: Upstream, down: boolean): Promise<void> {
  const from = sluice.proc.logs.length;
  u.health = down ? { status: 500, body: 'no' } : { status: 200, body: 'ok' };
  const re = new RegExp(`^Server web/${u.name} is ${down ? 'DOWN' : 'UP'}`);
  await sluice.proc.waitForLog((l) => re.test(l.msg), 5000, from);
  // the log line comes from the primary; the worker holding the queue must know it too before a
  // slot frees, or it hands a queued request to the server it still believes UP
  await workersCaughtUp(sock.path);
}

test('requests queued when a server goes DOWN are served by the server still UP', async () => {
  s1.hold = true;
  s2.hold = true;
  const port = sluice.port('fe');
  // one request on each server, two more wait in the queue
  const busy = [request(port), request(port)];
  await until(() => s1.hits === 1 && s2.hits === 1, 5000, 'both servers busy');
  const queued = [request(port), request(port)];
  await setDown(s1, true);
  // s1 finishes what it had: its free slot must not take the queued requests
  s1.hold = false;
  s1.release();
  s2.hold = false;
  s2.release();
  const bodies = (await Promise.all([...busy, ...queued])).map((r) => `${r.status} ${r.body.toString()}`);
  assert.deepEqual(bodies.slice(2), ['200 s2', '200 s2']);
  assert.equal(s1.hits, 1, 'a queued request went to the DOWN server');
  await setDown(s1, false);
});

test('timeout queue still applies while the remaining server stays busy', async () => {
  await setDown(s1, true);
  s2.hold = true;
  const port = sluice.port('fe');
  const h = s2.hits;
  const busy = request(port);
  await until(() => s2.hits === h + 1, 5000, 's2 busy');
  const t0 = Date.now();
  const r = await request(port);
  const waited = Date.now() - t0;
  assert.equal(r.status, 503);
  assert.ok(waited >= 1400, `gave up after ${waited}ms, before timeout queue`);
  s2.hold = false;
  s2.release();
  assert.equal((await busy).status, 200);
  await setDown(s1, false);
});
