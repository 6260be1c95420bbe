// Black-box: the real sluice command writes access logs to its own stdout, beside the pino event
// logs, and flushes them on a graceful stop.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request, startServer } from '../../helpers/http-harness';
import { freePort, startSluice, type StartedSluice } from '../../helpers/sluice-process';

describe('access logs on stdout of the sluice process', () => {
  let upstream: Awaited<ReturnType<typeof startServer>>;
  let sluice: StartedSluice;

  before(async () => {
    upstream = await startServer((_req, res) => res.end('ok'));
    sluice = await startSluice(
      `
global
    log stdout format raw local0
defaults
    mode http
    log global
    timeout connect 2s
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:${await freePort()}
    default_backend be
backend be
    server s1 127.0.0.1:${upstream.port}
`,
      { workers: 1 },
    );
  });

  after(async () => {
    await sluice.stop();
    await upstream.close();
  });

  test('one JSON access line per request; event logs stay pino JSON', async () => {
    const res = await request(sluice.port('fe'), { path: '/from-process' });
    assert.equal(res.status, 200);
    const stdout = sluice.proc.child.stdout;
    assert.ok(stdout !== null);
    const deadline = Date.now() + 10_000;
    const find = (): string | undefined => sluice.proc.text.find((l) => l.includes('/from-process'));
    while (find() === undefined && Date.now() < deadline) {
      await Promise.race([once(stdout, 'data'), new Promise((r) => setTimeout(r, 500))]);
    }
    const line = find();
    assert.ok(line !== undefined, sluice.proc.describe());
    const v = JSON.parse(line) as Record<string, unknown>;
    assert.equal(v.r, 'GET /from-process HTTP/1.1');
    assert.equal(v.ST, 200);
    assert.equal(v.ft, 'fe');
    // event logs: still pino objects with level and msg
    assert.equal(sluice.started.level, 'info');
    assert.ok(sluice.proc.logs.every((l) => typeof l.msg === 'string'));
    assert.ok(!sluice.proc.text.some((l) => l.includes('sluice started')));
  });
});
