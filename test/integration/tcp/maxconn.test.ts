import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendModel, frontendModel, serverModel, timeouts } from '../../helpers/model';
import { Fixtures, closed, readBytes, readUntilClose } from './harness';

const fx = new Fixtures();
after(() => fx.closeAll());

// the one place a wait cannot be an event: proving that nothing happens for a while
const QUIET_MS = 150;

async function limited(feMaxconn: number, globalMaxconn: number) {
  const up = await fx.echo();
  const p = await fx.proxy(
    frontendModel({
      name: 'fe',
      mode: 'tcp',
      defaultBackend: 'be',
      maxconn: feMaxconn,
      timeouts: timeouts(),
    }),
    [backendModel({ name: 'be', mode: 'tcp', servers: [up.port], timeouts: timeouts({ connect: 1000 }) })],
    { maxconn: globalMaxconn },
  );
  return { up, p };
}

for (const [label, fe, global] of [
  ['frontend maxconn', 1, 100],
  ['global maxconn when the frontend sets 0', 0, 1],
] as const) {
  describe(`tcp proxy: ${label}`, () => {
    it('holds the excess connection unserved until a session ends, then serves it', async () => {
      const { up, p } = await limited(fe, global);
      const a = await p.connect();
      a.write('a');
      assert.equal((await readBytes(a, 1)).toString(), 'a');

      const b = await p.connect();
      b.write('b');
      let bServed = false;
      const bEcho = readBytes(b, 1).then((d) => ((bServed = true), d.toString()));
      await new Promise((r) => setTimeout(r, QUIET_MS));
      assert.equal(bServed, false, 'the second client is not served while the first holds the only slot');
      assert.equal(up.conns.length, 1, 'no upstream connection for the parked client');
      // the first session is still fully alive
      a.write('c');
      assert.equal((await readBytes(a, 1)).toString(), 'c');

      a.end();
      await closed(a);
      assert.equal(await bEcho, 'b');
      assert.equal(up.conns.length, 2);
    });

    it('a parked connection is dropped when the listener stops accepting', async () => {
      const { p } = await limited(fe, global);
      const a = await p.connect();
      a.write('a');
      await readBytes(a, 1);
      const b = await p.connect();
      // the proxy has accepted b once a round trip on a, queued behind b's accept, completes
      a.write('x');
      await readBytes(a, 1);
      p.listener.stopAccepting();
      await closed(b);
      a.end();
      await p.listener.drain();
    });
  });
}

describe('tcp proxy: server maxconn and the backend queue', () => {
  async function oneSlot(queueMs: number | null) {
    const up = await fx.echo();
    const p = await fx.proxy(frontendModel({ name: 'fe', mode: 'tcp', defaultBackend: 'be' }), [
      backendModel({
        name: 'be',
        mode: 'tcp',
        servers: [serverModel({ name: 's1', port: up.port, maxconn: 1 })],
        timeouts: timeouts({ connect: 1000, queue: queueMs }),
      }),
    ]);
    return { up, p };
  }

  it('queues a session while the server is full and connects it when the slot frees', async () => {
    const { up, p } = await oneSlot(null);
    const a = await p.connect();
    a.write('a');
    await readBytes(a, 1);
    const b = await p.connect();
    b.write('b');
    const bEcho = readBytes(b, 1);
    // a round trip on a lets the proxy accept b and queue it
    a.write('x');
    await readBytes(a, 1);
    assert.equal(p.backend('be').queued, 1);
    a.end();
    await closed(a);
    assert.equal((await bEcho).toString(), 'b');
    assert.equal(up.conns.length, 2);
  });

  it('timeout queue closes a session that waited too long, and frees nothing it did not take', async () => {
    const { p } = await oneSlot(100);
    const a = await p.connect();
    a.write('a');
    await readBytes(a, 1);
    const b = await p.connect();
    assert.equal(await readUntilClose(b), '');
    assert.equal(p.backend('be').queued, 0);
    assert.equal(p.backend('be').servers[0]?.conns, 1, 'the live session keeps its slot');
    a.write('y');
    assert.equal((await readBytes(a, 1)).toString(), 'y');
  });
});
