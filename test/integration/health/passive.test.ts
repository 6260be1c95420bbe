// Passive health across workers: a server whose health URL answers 200 but whose live traffic
// gets 500s is marked DOWN by `observe layer7` + `error-limit`, the errors of every worker being
// counted together in the primary.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from '../../helpers/http-harness';
import { freePort, startSluice, type StartedSluice } from '../../helpers/sluice-process';
import { BASE_DEFAULTS, until, upstream, type Upstream } from './fixtures';

const LIMIT = 12;
let s1: Upstream;
let sluice: StartedSluice;

before(async () => {
  s1 = await upstream('s1');
  sluice = await startSluice(
    `global
  log stdout format raw local0
${BASE_DEFAULTS}  log global
frontend fe
  bind 127.0.0.1:${await freePort()}
  log-format "obs %pid %ST"
  default_backend web
backend web
  option httpchk GET /health
  server s1 127.0.0.1:${s1.port} check inter 100ms rise 2 fall 3 observe layer7 error-limit ${LIMIT} on-error mark-down
`,
    { workers: 4 },
  );
});

after(async () => {
  await sluice?.stop();
  await s1?.close();
});

/** pid of the worker behind each logged 500 */
function errorPids(): number[] {
  return sluice.proc.text
    .map((l) => /^obs (\d+) 500$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]));
}

test('500s on live traffic from 4 workers mark the server DOWN although its check passes', async () => {
  s1.trafficStatus = 500;
  const from = sluice.proc.logs.length;
  let sent = 0;
  let down = false;
  void sluice.proc
    .waitForLog((l) => /^Server web\/s1 is DOWN/.test(l.msg), 10_000, from)
    .then(
      () => (down = true),
      () => undefined,
    );
  // fresh client connections, 4 at a time: concurrent accepts spread over the workers
  while (!down && sent < LIMIT * 4) {
    const rs = await Promise.all(Array.from({ length: 4 }, () => request(sluice.port('fe'))));
    sent += rs.filter((r) => r.status === 500).length;
    if (sent >= LIMIT) await new Promise((r) => setTimeout(r, 50)); // let the last batches land
  }
  const line = await sluice.proc.waitForLog((l) => /^Server web\/s1 is DOWN/.test(l.msg), 5000, from);
  assert.match(
    line.msg,
    new RegExp(
      `reason: Health analyze, info: "Detected ${LIMIT} consecutive errors, last one was: Wrong http response"`,
    ),
  );
  // the health URL answered 200 all along
  assert.equal(s1.health?.status, 200);
  await until(() => errorPids().length >= sent, 5000, 'access log lines');
  const pids = new Set(errorPids());
  assert.ok(pids.size >= 2, `all errors came from one worker: ${[...pids].join(',')}`);
  // the primary summed them: the limit plus what was in flight, not the limit per worker
  assert.ok(sent <= LIMIT + 8, `${sent} errors before DOWN with error-limit ${LIMIT}`);
  s1.trafficStatus = 200;
  // the passing checks bring it back after rise successes
  await sluice.proc.waitForLog((l) => /^Server web\/s1 is UP/.test(l.msg), 5000, from);
});
