// hard-stop-after bounds a graceful stop that connections would otherwise hold open forever.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { DEFAULTS, get, within } from './fixtures';

describe('sluice hard-stop-after', () => {
  const running: StartedSluice[] = [];
  const upstream = http.createServer(() => {
    // never answers: the request stays in flight
  });
  after(() => {
    for (const s of running) s.proc.kill();
    upstream.closeAllConnections();
    upstream.close();
  });

  it('kills workers still busy when hard-stop-after expires, then exits', async () => {
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((r) => (arrived = r));
    upstream.on('request', () => arrived());
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const upstreamPort = (upstream.address() as AddressInfo).port;
    const port = await freePort();
    const s = await startSluice(
      `global
    hard-stop-after 300ms
${DEFAULTS}
listen web
    bind 127.0.0.1:${port}
    server app 127.0.0.1:${upstreamPort}
`,
      { workers: 1 },
    );
    running.push(s);
    const pending = get(port, undefined, 10_000).catch((err: Error) => err);
    await within(
      Promise.race([requestArrived, pending.then(() => assert.fail('request ended early'))]),
      5000,
      'the request upstream',
    );

    const t0 = Date.now();
    s.proc.child.kill('SIGTERM');
    const expired = await s.proc.waitForMsg('hard-stop-after expired: killing workers');
    assert.deepEqual(expired.workers, s.started.pids);
    const exit = await s.proc.waitForExit();
    assert.equal(exit.code, 0);
    assert.ok(Date.now() - t0 >= 250, 'did not stop before hard-stop-after');
    assert.ok((await pending) instanceof Error, 'the in-flight request was cut');
  });

  it('a second SIGTERM kills busy workers at once when no hard-stop-after is set', async () => {
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((r) => (arrived = r));
    upstream.on('request', () => arrived());
    const upstreamPort = (upstream.address() as AddressInfo).port;
    const port = await freePort();
    const s = await startSluice(
      `${DEFAULTS}\nlisten web\n    bind 127.0.0.1:${port}\n    server app 127.0.0.1:${upstreamPort}\n`,
      {
        workers: 1,
      },
    );
    running.push(s);
    const pending = get(port, undefined, 10_000).catch((err: Error) => err);
    await within(
      Promise.race([requestArrived, pending.then(() => assert.fail('request ended early'))]),
      5000,
      'the request upstream',
    );
    s.proc.child.kill('SIGTERM');
    await s.proc.waitForMsg('worker stopping');
    s.proc.child.kill('SIGTERM');
    await s.proc.waitForMsg('second stop signal: killing workers now');
    assert.deepEqual(await s.proc.waitForExit(5000), { code: 0, signal: null });
    assert.ok((await pending) instanceof Error, 'the in-flight request was cut');
  });
});
