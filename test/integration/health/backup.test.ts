// Backup servers with health checks: they take traffic only while no active server is usable, the
// first one alone by default, all of them with `option allbackups`; traffic returns to the active
// server when it comes back UP. `inter 1s`: with fall 1, a check timing out at a 100 ms inter on a
// loaded machine would mark the active server DOWN on its own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startSluice, type StartedSluice } from '../../helpers/sluice-process';
import { BASE_DEFAULTS, spread, statsSocketPath, upstream, workersCaughtUp, type Upstream } from './fixtures';

let s1: Upstream;
let a1: Upstream;
let b1: Upstream;
let b2: Upstream;
let sluice: StartedSluice;
const sock = statsSocketPath();

before(async () => {
  [s1, a1, b1, b2] = await Promise.all(['s1', 'a1', 'b1', 'b2'].map((n) => upstream(n)));
  sluice = await startSluice(
    `global
  stats socket ${sock.path} level admin
${BASE_DEFAULTS}frontend fe
  bind 127.0.0.1:${await freePort()}
  default_backend web
frontend fe_all
  bind 127.0.0.1:${await freePort()}
  default_backend all
backend web
  option httpchk GET /health
  server s1 127.0.0.1:${s1.port} check inter 1s downinter 100ms rise 1 fall 1
  server b1 127.0.0.1:${b1.port} backup
  server b2 127.0.0.1:${b2.port} backup
backend all
  option httpchk GET /health
  option allbackups
  server a1 127.0.0.1:${a1.port} check inter 1s downinter 100ms rise 1 fall 1
  server b1 127.0.0.1:${b1.port} backup
  server b2 127.0.0.1:${b2.port} backup
`,
    { workers: 2 },
  );
});

after(async () => {
  await sluice?.stop();
  await Promise.all([s1, a1, b1, b2].map((u) => u?.close()));
  sock.cleanup();
});

function counts(m: Map<string, number>): string {
  return JSON.stringify(Object.fromEntries(m));
}

test('backups get nothing while the active server is UP', async () => {
  const web = await spread(sluice.port('fe'), 12);
  assert.deepEqual(counts(web), counts(new Map([['s1', 12]])));
  const all = await spread(sluice.port('fe_all'), 12);
  assert.deepEqual(counts(all), counts(new Map([['a1', 12]])));
});

test('active DOWN: the first backup takes all traffic; back UP: traffic returns', async () => {
  let from = sluice.proc.logs.length;
  s1.health = { status: 503, body: 'down' };
  const down = await sluice.proc.waitForLog((l) => /^Server web\/s1 is DOWN/.test(l.msg), 5000, from);
  assert.match(down.msg, /0 active and 2 backup servers left/);
  await workersCaughtUp(sock.path);
  assert.equal(counts(await spread(sluice.port('fe'), 12)), counts(new Map([['b1', 12]])));
  from = sluice.proc.logs.length;
  s1.health = { status: 200, body: 'ok' };
  await sluice.proc.waitForLog((l) => /^Server web\/s1 is UP/.test(l.msg), 5000, from);
  await workersCaughtUp(sock.path);
  assert.equal(counts(await spread(sluice.port('fe'), 12)), counts(new Map([['s1', 12]])));
});

test('option allbackups: every backup takes traffic while the active server is DOWN', async () => {
  let from = sluice.proc.logs.length;
  a1.health = { status: 503, body: 'down' };
  await sluice.proc.waitForLog((l) => /^Server all\/a1 is DOWN/.test(l.msg), 5000, from);
  await workersCaughtUp(sock.path);
  const seen = await spread(sluice.port('fe_all'), 20);
  assert.equal(seen.get('a1'), undefined, counts(seen));
  assert.ok((seen.get('b1') ?? 0) >= 5 && (seen.get('b2') ?? 0) >= 5, `not shared: ${counts(seen)}`);
  from = sluice.proc.logs.length;
  a1.health = { status: 200, body: 'ok' };
  await sluice.proc.waitForLog((l) => /^Server all\/a1 is UP/.test(l.msg), 5000, from);
  await workersCaughtUp(sock.path);
  assert.equal(counts(await spread(sluice.port('fe_all'), 12)), counts(new Map([['a1', 12]])));
});
