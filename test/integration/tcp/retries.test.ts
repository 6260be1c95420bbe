import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendModel, frontendModel, timeouts } from '../../helpers/model';
import type { RedispatchModel } from '../../../src/config/model';
import { Fixtures, closed, counters, elapsedSince, readBytes, readUntilClose } from './harness';

const fx = new Fixtures();
after(() => fx.closeAll());

function proxyTo(ports: number[], retries: number, redispatch: RedispatchModel) {
  return fx.proxy(
    frontendModel({ name: 'fe', mode: 'tcp', defaultBackend: 'be', timeouts: timeouts({ client: 10_000 }) }),
    [
      backendModel({
        name: 'be',
        mode: 'tcp',
        servers: ports,
        retries,
        redispatch,
        timeouts: timeouts({ connect: 100, server: 10_000 }),
      }),
    ],
  );
}

describe('tcp proxy: connection retries', () => {
  it('retries a refused server `retries` times after a turn-around pause, then closes', async () => {
    const refused = await fx.refusedPort();
    const p = await proxyTo([refused], 2, { enabled: false, interval: -1 });
    const c = await p.connect();
    const t0 = process.hrtime.bigint();
    c.write('lost');
    assert.equal(await readUntilClose(c), '');
    await p.listener.drain();
    const k = counters(p.backend('be'), 0);
    assert.deepEqual(
      { econ: k.econ, wretr: k.wretr, wredis: k.wredis, stot: k.stot },
      {
        econ: 3,
        wretr: 2,
        wredis: 0,
        stot: 0,
      },
    );
    // two turn-arounds of min(timeout connect, 1 s) = 100 ms each
    assert.ok(elapsedSince(t0) >= 180, `gave up after ${elapsedSince(t0)} ms`);
    assert.equal(p.backend('be').servers[0]?.conns, 0, 'slot released');
  });

  it('retries 0 means a single attempt', async () => {
    const refused = await fx.refusedPort();
    const p = await proxyTo([refused], 0, { enabled: false, interval: -1 });
    const c = await p.connect();
    await closed(c);
    await p.listener.drain();
    assert.equal(counters(p.backend('be'), 0).econ, 1);
  });

  it('option redispatch sends the last retry to a working server', async () => {
    const refused = await fx.refusedPort();
    const up = await fx.echo();
    const p = await proxyTo([refused, up.port], 1, { enabled: true, interval: -1 });
    // roundrobin makes one of two sessions start on the refused server
    for (let i = 0; i < 2; i++) {
      const c = await p.connect();
      c.write(`m${i}`);
      assert.equal((await readBytes(c, 2)).toString(), `m${i}`);
      c.end();
      await closed(c);
    }
    await p.listener.drain();
    const be = p.backend('be');
    const bad = counters(be, 0);
    const good = counters(be, 1);
    assert.deepEqual(
      { econ: bad.econ, wredis: bad.wredis, wretr: bad.wretr },
      { econ: 1, wredis: 1, wretr: 0 },
    );
    assert.equal(good.stot, 2);
    assert.equal(good.bin, 4);
    assert.equal(be.servers[0]?.conns, 0);
    assert.equal(be.servers[1]?.conns, 0);
  });

  it('without redispatch the retry stays on the refused server and the session fails', async () => {
    const refused = await fx.refusedPort();
    const up = await fx.echo();
    const p = await proxyTo([refused, up.port], 1, { enabled: false, interval: -1 });
    const outcomes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const c = await p.connect();
      c.write('z');
      c.end();
      outcomes.push(await readUntilClose(c));
    }
    assert.deepEqual(outcomes.sort(), ['', 'z']);
    await p.listener.drain();
    assert.deepEqual([counters(p.backend('be'), 0).econ, counters(p.backend('be'), 0).wretr], [2, 1]);
  });
});
