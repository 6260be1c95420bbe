// `bind :0` with several workers: the primary picks one port and every worker binds it, so a
// respawned worker comes back on the same port and no worker is stranded on a port nobody knows.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { DEFAULTS, get } from './fixtures';

const CFG = `${DEFAULTS}
listen web
    bind 127.0.0.1:0
    http-request return status 200 content-type text/plain string "alive"
`;

describe('bind port 0 under the process model', () => {
  const running: StartedSluice[] = [];
  after(() => {
    for (const s of running) s.proc.kill();
  });

  it('every worker, and every respawned worker, serves the one reported port', async () => {
    const s = await startSluice(CFG, { workers: 2 });
    running.push(s);
    const port = s.port('web');
    assert.ok(port > 0);
    for (const victim of s.started.pids as number[]) {
      const from = s.proc.logs.length;
      // with one worker gone, the survivor alone must answer on the reported port
      process.kill(victim, 'SIGKILL');
      await s.proc.waitForMsg('worker exited unexpectedly', undefined, from);
      for (let i = 0; i < 5; i++) assert.deepEqual(await get(port), { status: 200, body: 'alive' });
      const ready = await s.proc.waitForMsg('worker respawned and listening', undefined, from);
      const listeners = ready.listeners as { port: number }[] | undefined;
      if (listeners !== undefined)
        assert.ok(
          listeners.every((l) => l.port === port),
          'respawned on the same port',
        );
    }
    assert.equal((await s.stop()).code, 0);
  });
});
