import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { backendModel, bindModel, frontendModel, ifTerm, timeouts } from '../../helpers/model';
import { Fixtures, accepted, closed, counters, readBytes, readToEnd, readUntilClose } from './harness';

const fx = new Fixtures();
after(() => fx.closeAll());

function tcpFrontend(defaultBackend = 'be') {
  return frontendModel({ name: 'fe', mode: 'tcp', defaultBackend, timeouts: timeouts({ client: 10_000 }) });
}

function tcpBackend(name: string, servers: number[]) {
  return backendModel({ name, mode: 'tcp', servers, timeouts: timeouts({ connect: 1000, server: 10_000 }) });
}

describe('tcp proxy: forwarding', () => {
  it('echoes bytes through the proxy and counts the session', async () => {
    const up = await fx.echo();
    const p = await fx.proxy(tcpFrontend(), [tcpBackend('be', [up.port])]);
    const c = await p.connect();
    c.write('hello');
    assert.equal((await readBytes(c, 5)).toString(), 'hello');
    c.end();
    await closed(c);
    await p.listener.drain();
    const k = counters(p.backend('be'), 0);
    assert.deepEqual([k.stot, k.bin, k.bout, k.econ], [1, 5, 5, 0]);
    assert.equal(p.backend('be').servers[0]?.conns, 0, 'slot released');
  });

  it('carries 50 MiB both ways with backpressure and exact byte counts', async () => {
    const up = await fx.echo();
    const p = await fx.proxy(tcpFrontend(), [tcpBackend('be', [up.port])]);
    const c = await p.connect();
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31) & 0xff;
    const total = 50 * chunk.length;
    const sent = createHash('sha256');
    const got = createHash('sha256');
    let received = 0;
    c.on('data', (b: Buffer) => {
      received += b.length;
      got.update(b);
    });
    const ended = once(c, 'end');
    for (let i = 0; i < 50; i++) {
      chunk[0] = i;
      sent.update(chunk);
      if (!c.write(Buffer.from(chunk))) await once(c, 'drain');
    }
    c.end();
    await ended;
    assert.equal(received, total);
    assert.equal(got.digest('hex'), sent.digest('hex'));
    await closed(c);
    await p.listener.drain();
    const k = counters(p.backend('be'), 0);
    assert.equal(k.bin, total);
    assert.equal(k.bout, total);
  });

  it('client half-close: the server sees the end and can still answer', async () => {
    const up = await fx.upstream((s) => {
      let n = 0;
      s.on('data', (b: Buffer) => (n += b.length));
      s.on('end', () => s.end(`got:${n}`));
    });
    const p = await fx.proxy(tcpFrontend(), [tcpBackend('be', [up.port])]);
    const c = await p.connect();
    c.end('hello');
    assert.equal(await readToEnd(c), 'got:5');
    await closed(c);
  });

  it('server half-close: the client sees the end and can still send', async () => {
    let late = '';
    let upEnded = (): void => {};
    const upDone = new Promise<void>((r) => (upEnded = r));
    const up = await fx.upstream((s) => {
      s.end('bye');
      s.on('data', (b: Buffer) => (late += b.toString()));
      s.on('end', () => upEnded());
    });
    const p = await fx.proxy(tcpFrontend(), [tcpBackend('be', [up.port])]);
    const c = await p.connect();
    assert.equal(await readToEnd(c), 'bye');
    c.end('late data');
    await upDone;
    assert.equal(late, 'late data');
    await closed(c);
  });

  it('roundrobin spreads sessions over two servers', async () => {
    const a = await fx.named('A');
    const b = await fx.named('B');
    const p = await fx.proxy(tcpFrontend(), [tcpBackend('be', [a.port, b.port])]);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await p.connect();
      seen.push((await readBytes(c, 1)).toString());
      c.destroy();
    }
    assert.deepEqual(
      seen.filter((x) => x === 'A').length,
      2,
      `expected two sessions per server, got ${seen.join('')}`,
    );
    assert.notEqual(seen[0], seen[1]);
    await p.listener.drain();
    const be = p.backend('be');
    assert.equal(counters(be, 0).stot + counters(be, 1).stot, 4);
    assert.equal(counters(be, 0).bout + counters(be, 1).bout, 4, 'one name byte per session');
    assert.equal(counters(be, 0).bin + counters(be, 1).bin, 0);
  });

  it('use_backend picks the first rule whose src ACL matches', async () => {
    const a = await fx.named('A');
    const b = await fx.named('B');
    const d = await fx.named('D');
    const fe = frontendModel({
      name: 'fe',
      mode: 'tcp',
      defaultBackend: 'd',
      timeouts: timeouts({ client: 10_000 }),
      useBackend: [
        { backend: 'a', cond: ifTerm({ fetch: 'src', match: 'ip', patterns: ['10.0.0.0/8'] }), origin: o() },
        { backend: 'b', cond: ifTerm({ fetch: 'src', match: 'ip', patterns: ['127.0.0.0/8'] }), origin: o() },
      ],
    });
    const p = await fx.proxy(fe, [
      tcpBackend('a', [a.port]),
      tcpBackend('b', [b.port]),
      tcpBackend('d', [d.port]),
    ]);
    const c = await p.connect();
    assert.equal((await readBytes(c, 1)).toString(), 'B');
  });

  it('closes the client when no backend applies', async () => {
    const fe = frontendModel({ name: 'fe', mode: 'tcp', defaultBackend: null });
    const p = await fx.proxy(fe, []);
    const c = await p.connect();
    assert.equal(await readUntilClose(c), '');
  });

  it('binds every bind line and rejects a bind that is in use', async () => {
    const taken = net.createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const fe = frontendModel({
        name: 'fe',
        mode: 'tcp',
        defaultBackend: 'be',
        binds: [bindModel(), bindModel({ port })],
      });
      await assert.rejects(
        fx.proxy(fe, [tcpBackend('be', [1])]),
        /tcp frontend 'fe': cannot bind 127\.0\.0\.1:\d+/,
      );
      const two = frontendModel({
        name: 'fe2',
        mode: 'tcp',
        defaultBackend: 'be',
        binds: [bindModel(), bindModel()],
      });
      const up = await fx.echo();
      const p = await fx.proxy(two, [tcpBackend('be', [up.port])]);
      assert.equal(p.listeners.length, 2);
      const ports = p.listeners.map((l) => l.port);
      assert.ok(ports.every((x) => x > 0) && ports[0] !== ports[1]);
      const c = await fx.connect(ports[1] as number);
      c.write('x');
      assert.equal((await readBytes(c, 1)).toString(), 'x');
    } finally {
      taken.close();
    }
  });

  it('drain() waits for a live session; stopAccepting() refuses new ones; close() kills', async () => {
    const up = await fx.echo();
    const p = await fx.proxy(tcpFrontend(), [tcpBackend('be', [up.port])]);
    const c = await p.connect();
    c.write('a');
    await readBytes(c, 1);
    p.listener.stopAccepting();
    let drained = false;
    const d = p.listener.drain().then(() => (drained = true));
    // a full round trip through the live session happens while drain() is pending
    c.write('b');
    assert.equal((await readBytes(c, 1)).toString(), 'b');
    assert.equal(drained, false);
    await assert.rejects(fx.connect(p.port), /ECONNREFUSED/);
    c.end();
    await d;
    assert.equal(drained, true);

    const up2 = await fx.silent();
    const p2 = await fx.proxy(tcpFrontend(), [tcpBackend('be', [up2.port])]);
    const c2 = await p2.connect();
    const upstreamSide = await accepted(up2, 1);
    p2.listener.close();
    await Promise.all([closed(c2), closed(upstreamSide), p2.listener.drain()]);
  });
});

function o() {
  return { file: 'test.cfg', line: 1 };
}
