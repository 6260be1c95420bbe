// A worker that dies is replaced and traffic goes on; a worker that cannot start stops it all.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, runSluice, startSluice, writeConfig } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { answeringListen, DEFAULTS, get } from './fixtures';

describe('sluice worker supervision', () => {
  const running: StartedSluice[] = [];
  const cleanups: (() => void)[] = [];
  after(() => {
    for (const s of running) s.proc.kill();
    for (const c of cleanups) c();
  });

  it('a killed worker is respawned and the port answers again', async () => {
    const port = await freePort();
    const s = await startSluice(`${DEFAULTS}${answeringListen('web', port, 'alive')}`, { workers: 1 });
    running.push(s);
    assert.deepEqual(await get(port), { status: 200, body: 'alive' });

    const [victim] = s.started.pids as number[];
    assert.ok(typeof victim === 'number');
    const from = s.proc.logs.length;
    process.kill(victim, 'SIGKILL');
    const exited = await s.proc.waitForMsg('worker exited unexpectedly', undefined, from);
    assert.equal(exited.worker, victim);
    assert.equal(exited.signal, 'SIGKILL');
    assert.equal(exited.respawnInMs, 100);
    const ready = await s.proc.waitForMsg('worker respawned and listening', undefined, from);
    assert.notEqual(ready.worker, victim);
    assert.deepEqual(await get(port), { status: 200, body: 'alive' });

    // A second crash soon after doubles the delay.
    const from2 = s.proc.logs.length;
    process.kill(ready.worker as number, 'SIGKILL');
    const again = await s.proc.waitForMsg('worker exited unexpectedly', undefined, from2);
    assert.equal(again.respawnInMs, 200);
    await s.proc.waitForMsg('worker respawned and listening', undefined, from2);
    assert.deepEqual(await get(port), { status: 200, body: 'alive' });
    assert.equal((await s.stop()).code, 0);
  });

  it('a worker failing at start-up (privileges cannot be dropped) stops everything with exit 1', async () => {
    const port = await freePort();
    const cfg = writeConfig(
      `global\n    user sluice-no-such-user-42\n${DEFAULTS}${answeringListen('web', port, 'x')}`,
    );
    cleanups.push(cfg.cleanup);
    const r = await runSluice(['-w', '2', '-f', cfg.file], { timeoutMs: 20_000 });
    assert.equal(r.code, 1);
    // (on a Node build that refuses credential changes altogether, the ALERT says that instead)
    assert.match(
      r.stderr,
      /\[ALERT\].*(user|uid|setuid|privilege|sluice-no-such-user-42|cannot change credentials)/i,
    );
    assert.doesNotMatch(r.stdout, /sluice started/);
    assert.doesNotMatch(r.stdout, /worker respawned/);
  });
});
