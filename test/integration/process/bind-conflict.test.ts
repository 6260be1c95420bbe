// A port someone else holds must stop sluice at start-up with a clear message, never be shared
// silently through SO_REUSEPORT.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { freePort, runSluice, startSluice, writeConfig } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { answeringListen, DEFAULTS, get } from './fixtures';

describe('sluice bind conflicts', () => {
  const holders: Server[] = [];
  const running: StartedSluice[] = [];
  const cleanups: (() => void)[] = [];
  after(() => {
    for (const h of holders) h.close();
    for (const s of running) s.proc.kill();
    for (const c of cleanups) c();
  });

  it('a port held by another program: exit 1 naming the address, no worker started', async () => {
    const holder = createServer();
    holders.push(holder);
    const port = await freePort();
    await new Promise<void>((r) => holder.listen(port, '127.0.0.1', r));
    const cfg = writeConfig(`${DEFAULTS}${answeringListen('web', port, 'x')}`);
    cleanups.push(cfg.cleanup);

    const r = await runSluice(['-w', '1', '-f', cfg.file]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(`cannot bind 127\\.0\\.0\\.1:${port} for proxy 'web': address already in use`),
    );
    assert.doesNotMatch(r.stdout, /sluice started/);
  });

  it('a port held by a running sluice: the second instance exits 1, the first keeps serving', async () => {
    const port = await freePort();
    const first = await startSluice(`${DEFAULTS}${answeringListen('web', port, 'first')}`, { workers: 1 });
    running.push(first);
    const cfg = writeConfig(`${DEFAULTS}${answeringListen('web', port, 'second')}`);
    cleanups.push(cfg.cleanup);

    const r = await runSluice(['-w', '1', '-f', cfg.file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /address already in use/);
    for (let i = 0; i < 5; i++) assert.deepEqual(await get(port), { status: 200, body: 'first' });
    assert.equal((await first.stop()).code, 0);
  });
});
