// mode tcp listeners are cluster-shared handles (SCHED_NONE): every worker accepts on the same
// socket, and losing one worker leaves the port served by the others.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { freePort, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { within } from './fixtures';

function roundTrip(port: number, text: string): Promise<string> {
  return within(
    new Promise((resolve, reject) => {
      const sock = connect({ host: '127.0.0.1', port }, () => sock.end(text));
      let got = '';
      sock.setEncoding('utf8');
      sock.on('data', (c: string) => (got += c));
      sock.on('end', () => resolve(got));
      sock.on('error', reject);
    }),
    5000,
    `echo through :${port}`,
  );
}

describe('sluice mode tcp under the process model', () => {
  const running: StartedSluice[] = [];
  const sockets = new Set<Socket>();
  const echo = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.pipe(s);
  });
  after(() => {
    for (const s of running) s.proc.kill();
    for (const s of sockets) s.destroy();
    echo.close();
  });

  it('forwards through any worker and survives the loss of one', async () => {
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const echoPort = (echo.address() as AddressInfo).port;
    const port = await freePort();
    const s = await startSluice(
      `defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen echo
    bind 127.0.0.1:${port}
    server e1 127.0.0.1:${echoPort}
`,
      { workers: 2 },
    );
    running.push(s);
    assert.deepEqual(
      s.listeners.map((l) => [l.proxy, l.kind, l.port, l.front]),
      [['echo', 'tcp', port, 'net']],
    );
    for (let i = 0; i < 4; i++) assert.equal(await roundTrip(port, `ping ${i}`), `ping ${i}`);

    const [victim] = s.started.pids as number[];
    const from = s.proc.logs.length;
    process.kill(victim as number, 'SIGKILL');
    await s.proc.waitForMsg('worker exited unexpectedly', undefined, from);
    // The surviving worker still accepts on the shared socket, before and after the respawn.
    assert.equal(await roundTrip(port, 'during'), 'during');
    await s.proc.waitForMsg('worker respawned and listening', undefined, from);
    for (let i = 0; i < 4; i++) assert.equal(await roundTrip(port, `after ${i}`), `after ${i}`);
    assert.equal((await s.stop()).code, 0);
  });
});
