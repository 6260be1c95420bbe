// The issue's bad input for checks, through the real CLI: a check port that is closed, and a
// server name that resolves nowhere. Each is logged and counted (or, for a name at startup,
// refused as HAProxy refuses it), never a crash or a hung check. Agents that send garbage or never
// answer are in agent.test.ts; a name that stops resolving after startup in
// test/unit/health/checker.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from '../../helpers/http-harness';
import {
  freePort,
  runSluice,
  startSluice,
  writeConfig,
  type StartedSluice,
} from '../../helpers/sluice-process';
import {
  BASE_DEFAULTS,
  metric,
  send,
  statRow,
  statsSocketPath,
  until,
  upstream,
  workersCaughtUp,
  type Upstream,
} from './fixtures';

/** RFC 6761: `.invalid` names never resolve */
const NOWHERE = 'nowhere.invalid';

describe('a check port that is closed', () => {
  let s1: Upstream;
  let sluice: StartedSluice;
  const sock = statsSocketPath();

  before(async () => {
    s1 = await upstream('s1');
    const closed = await freePort();
    sluice = await startSluice(
      `global
  stats socket ${sock.path} level admin
${BASE_DEFAULTS}frontend fe
  bind 127.0.0.1:0
  http-request use-service prometheus-exporter if { path /metrics }
  default_backend web
backend web
  server s1 127.0.0.1:${s1.port} check port ${closed} inter 100ms rise 1 fall 1
`,
      { workers: 2 },
    );
  });

  after(async () => {
    await sluice?.stop();
    await s1?.close();
    sock.cleanup();
  });

  it('is a Layer4 connection problem, logged, counted in chkfail and the exporter, checked again', async () => {
    // the traffic port answers: only the check port can have made it DOWN
    const down = await sluice.proc.waitForLog((l) => /^Server web\/s1 is DOWN/.test(l.msg), 5000);
    assert.match(
      down.msg,
      /^Server web\/s1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: \d+ms\. 0 active and 0 backup servers left\./,
    );
    await sluice.proc.waitForMsg('backend web has no server available!', 5000);
    const first = await statRow(sock.path, 'web', 's1');
    assert.equal(first.status, 'DOWN');
    assert.equal(first.check_status, 'L4CON');
    assert.equal(first.last_chk, 'Connection refused');
    // the failures go on being counted: the checker neither stopped nor hung on the refusal
    const n = Number(first.chkfail);
    assert.ok(n >= 1, `chkfail ${first.chkfail}`);
    let later = first;
    await until(
      () => Number(later.chkfail) >= n + 3,
      5000,
      `chkfail rising past ${n + 2}`,
      async () => {
        later = await statRow(sock.path, 'web', 's1');
      },
    );
    const exported = await metric(sluice.port('fe'), 'haproxy_server_check_failures_total', 'web', 's1');
    assert.ok(exported >= n + 3, `exporter says ${exported}, show stat said ${later.chkfail}`);
    assert.equal(Number(later.chkdown), 1, 'DOWN once, not once per failed check');
    // no server left: a 503, from a proxy that is still running
    await workersCaughtUp(sock.path);
    assert.equal((await request(sluice.port('fe'))).status, 503);
    assert.equal(sluice.proc.exit, null);
  });
});

describe('a server name that resolves nowhere', () => {
  let s1: Upstream;
  const cleanups: (() => void)[] = [];
  const running: StartedSluice[] = [];

  before(async () => {
    s1 = await upstream('s1');
  });

  after(async () => {
    for (const p of running) await p.stop();
    await s1?.close();
    for (const c of cleanups) c();
  });

  const config = (server: string): string => `${BASE_DEFAULTS}frontend fe
  bind 127.0.0.1:0
  default_backend web
backend web
  ${server}
`;

  it('stops the startup with HAProxy alerts, as init-addr last,libc does by default', async () => {
    const cfg = writeConfig(config(`server s1 ${NOWHERE}:${s1.port} check inter 100ms`));
    cleanups.push(cfg.cleanup);
    const r = await runSluice(['-w', '1', '-f', cfg.file]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const line = config('').split('\n').indexOf('  ') + 1;
    assert.match(
      r.stderr,
      new RegExp(
        `\\[ALERT\\] +\\(\\d+\\) : parsing \\[${cfg.file.replace(/[.]/g, '\\.')}:${line}\\] : 'server s1' : could not resolve address '${NOWHERE}'\\.\\n`,
      ),
    );
    assert.match(r.stderr, /\[ALERT\] +\(\d+\) : Failed to initialize server\(s\) addr\.\n/);
    assert.doesNotMatch(r.stderr + r.stdout, /TypeError|Error:|\n +at /);
    assert.doesNotMatch(r.stdout, /sluice started/);
  });

  it('with init-addr libc,none: starts with the server in MAINT (resolution), until an address is set', async () => {
    const sock = statsSocketPath();
    cleanups.push(sock.cleanup);
    const sluice = await startSluice(
      `global
  stats socket ${sock.path} level admin
${config(`server s1 ${NOWHERE}:${s1.port} check inter 100ms rise 1 fall 1 init-addr libc,none`)}`,
      { workers: 1 },
    );
    running.push(sluice);
    const warned = sluice.proc.logs.find((l) => /could not resolve address/.test(l.msg));
    assert.match(
      warned?.msg ?? '',
      new RegExp(
        `^parsing \\[.*:\\d+\\] : 'server s1' : could not resolve address '${NOWHERE}', disabling server\\.$`,
      ),
    );
    assert.equal(warned?.level, 'warn');
    assert.equal((await statRow(sock.path, 'web', 's1')).status, 'MAINT (resolution)');
    assert.equal((await request(sluice.port('fe'))).status, 503);
    // not checked while it has no address
    assert.equal(s1.checks, 0);
    // `set server state ready` does not end a resolution MAINT (HAProxy keeps RMAINT too)
    assert.equal(await send(sock.path, 'set server web/s1 state ready'), '\n');
    assert.equal((await statRow(sock.path, 'web', 's1')).status, 'MAINT (resolution)');
    // an address from the operator does
    const from = sluice.proc.logs.length;
    assert.match(await send(sock.path, 'set server web/s1 addr 127.0.0.1'), /IP changed from/);
    await sluice.proc.waitForLog((l) => /^Server web\/s1 is UP \(leaving/.test(l.msg), 5000, from);
    await workersCaughtUp(sock.path);
    assert.equal((await request(sluice.port('fe'))).body.toString(), 's1');
  });

  it('with init-addr <ip>: the name that does not resolve is replaced by that address', async () => {
    const sluice = await startSluice(config(`server s1 ${NOWHERE}:${s1.port} init-addr libc,127.0.0.1`), {
      workers: 1,
    });
    running.push(sluice);
    const r = await request(sluice.port('fe'));
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), 's1');
  });
});
