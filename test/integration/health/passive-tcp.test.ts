// observe layer4 in mode tcp: sessions that cannot reach their server count as errors in the
// primary, and error-limit + on-error mark-down take the server DOWN while its active check (on
// another port) still passes.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { freePort, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';

describe('passive layer-4 observation in mode tcp', () => {
  const cleanup: (() => Promise<unknown> | void)[] = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('connection failures on live sessions mark the server DOWN', async () => {
    // the check port answers; the traffic port refuses
    const checkSrv = net.createServer((s) => s.end());
    await new Promise<void>((r) => checkSrv.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => checkSrv.close(() => r())));
    const checkPort = (checkSrv.address() as AddressInfo).port;
    const deadPort = await freePort();
    const s: StartedSluice = await startSluice(
      `defaults
  mode tcp
  timeout connect 500ms
  timeout client 5s
  timeout server 5s
listen tcpfe
  bind 127.0.0.1:${await freePort()}
  retries 0
  server s1 127.0.0.1:${deadPort} check port ${checkPort} inter 10s observe layer4 error-limit 3 on-error mark-down
`,
      { workers: 2 },
    );
    cleanup.push(() => s.stop());
    const from = s.proc.logs.length;
    for (let i = 0; i < 6; i++) {
      await new Promise<void>((resolve) => {
        const c = net.connect(s.port('tcpfe'), '127.0.0.1');
        c.on('error', () => resolve());
        c.on('close', () => resolve());
      });
    }
    const down = await s.proc.waitForLog(
      (l) => typeof l.msg === 'string' && l.msg.startsWith('Server tcpfe/s1 is DOWN'),
      10_000,
      from,
    );
    assert.match(String(down.msg), /Health analyze/);
  });
});
