// Cutting the sessions of a server: on-marked-down shutdown-sessions (the server went DOWN),
// on-marked-up shutdown-backup-sessions (the active server came back, so backup sessions end), and
// the operator's `shutdown sessions server`. Held requests stand for long-lived sessions.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { request } from '../../helpers/http-harness';
import { hasTool, netExchange, socat } from '../../helpers/stats-socket';
import { BASE_DEFAULTS, until, upstream } from './fixtures';
import type { Upstream } from './fixtures';

const send = hasTool('socat') ? socat : netExchange;

describe('shutting down the sessions of a server', () => {
  const cleanup: (() => Promise<unknown> | void)[] = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  async function setup(
    serverLines: (a: Upstream, b: Upstream) => string,
    workers = 2,
  ): Promise<{
    s: StartedSluice;
    a: Upstream;
    b: Upstream;
    sock: string;
  }> {
    const a = await upstream('a');
    const b = await upstream('b');
    const dir = mkdtempSync(join(tmpdir(), 'sluice-kill-'));
    const sock = join(dir, 'admin.sock');
    const s = await startSluice(
      `global
  stats socket ${sock} level admin
${BASE_DEFAULTS}
frontend fe
  bind 127.0.0.1:${await freePort()}
  default_backend be
backend be
  option httpchk GET /health
  retries 0
${serverLines(a, b)}
`,
      { workers },
    );
    cleanup.push(
      () => s.stop(),
      () => a.close(),
      () => b.close(),
      () => rmSync(dir, { recursive: true, force: true }),
    );
    return { s, a, b, sock };
  }

  it('on-marked-down shutdown-sessions ends the exchanges of a server that goes DOWN', async () => {
    const { s, a } = await setup(
      (
        a,
        b,
      ) => `  server a 127.0.0.1:${a.port} check inter 100ms fall 1 rise 1 on-marked-down shutdown-sessions
  server b 127.0.0.1:${b.port} check inter 100ms backup`,
    );
    a.hold = true;
    const inflight = request(s.port('fe'), { path: '/long' });
    await until(() => a.hits === 1, 5000, 'the request reaching a');
    a.health = { status: 500, body: 'sick' };
    const r = await inflight;
    assert.equal(r.status, 503, 'the held exchange was cut when a went DOWN');
    a.release();
  });

  it('without on-marked-down, an exchange in flight survives its server going DOWN', async () => {
    const { s, a } = await setup(
      (a, b) => `  server a 127.0.0.1:${a.port} check inter 100ms fall 1 rise 1
  server b 127.0.0.1:${b.port} check inter 100ms backup`,
    );
    a.hold = true;
    const inflight = request(s.port('fe'), { path: '/long' });
    await until(() => a.hits === 1, 5000, 'the request reaching a');
    const checksBefore = a.checks;
    a.health = { status: 500, body: 'sick' };
    await until(() => a.checks >= checksBefore + 3, 5000, 'a few failed checks');
    a.release();
    const r = await inflight;
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), 'a');
  });

  it('on-marked-up shutdown-backup-sessions ends backup exchanges when the active server returns', async () => {
    const { s, a, b } = await setup(
      (
        a,
        b,
      ) => `  server a 127.0.0.1:${a.port} check inter 100ms fall 1 rise 1 on-marked-up shutdown-backup-sessions
  server b 127.0.0.1:${b.port} check inter 100ms backup`,
    );
    const from = s.proc.logs.length;
    a.health = { status: 500, body: 'sick' };
    await s.proc.waitForLog(
      (l) => typeof l.msg === 'string' && l.msg.startsWith('Server be/a is DOWN'),
      5000,
      from,
    );
    // the DOWN state reaches the workers over IPC a moment after the log line
    let viaBackup = false;
    for (let i = 0; i < 100 && !viaBackup; i++)
      viaBackup = (await request(s.port('fe'))).body.toString() === 'b';
    assert.ok(viaBackup, 'traffic moved to the backup');
    b.hold = true;
    const hits = b.hits;
    const inflight = request(s.port('fe'), { path: '/long' });
    await until(() => b.hits === hits + 1, 5000, 'the request reaching the backup');
    a.health = { status: 200, body: 'ok' };
    const r = await inflight;
    assert.equal(r.status, 503, 'the backup exchange was cut when a came back UP');
    b.release();
  });

  it('shutdown sessions server cuts that server only', async () => {
    const { s, a, b, sock } = await setup(
      (a, b) => `  balance roundrobin
  server a 127.0.0.1:${a.port}
  server b 127.0.0.1:${b.port}`,
      1,
    );
    a.hold = true;
    b.hold = true;
    const reqs = [request(s.port('fe'), { path: '/1' }), request(s.port('fe'), { path: '/2' })];
    await until(() => a.hits >= 1 && b.hits >= 1, 5000, 'requests on both servers');
    assert.equal(await send(sock, 'shutdown sessions server be/a'), '\n');
    b.release();
    const rs = await Promise.all(reqs);
    const bodies = rs.map((r) => (r.status === 200 ? r.body.toString() : String(r.status))).sort();
    assert.deepEqual(bodies, ['503', 'b']);
    a.release();
  });
});
