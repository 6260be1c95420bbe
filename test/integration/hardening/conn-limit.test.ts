// Global maxconn bounds the client connections a worker holds, across frontends (HAProxy's
// per-process limit). Connections over it wait unread, as in a listen backlog, on node binds and
// TCP frontends; uWS 20.57 closes them (it cannot leave one unread); uWS 20.30 cannot see them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { hasTool, netExchange, socat } from '../../helpers/stats-socket';
import { loadUws } from '../../../src/http/fronts/uws-loader';
import { Fixtures } from '../tcp/harness';
import type { Upstream } from '../tcp/harness';

const send = hasTool('socat') ? socat : netExchange;
/** how long a connection that should be held is watched for not getting through */
const HOLD_WINDOW_MS = 300;
/** the configured (hard) limit; the tests run at MAXCONN - 1, set at runtime, so they can raise it */
const MAXCONN = 3;
const LIMIT = MAXCONN - 1;

/** A keep-alive client connection on raw bytes: one request at a time. */
class Client {
  readonly sock: net.Socket;
  private buf = '';
  closed = false;

  private constructor(sock: net.Socket) {
    this.sock = sock;
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      this.buf += d;
      sock.emit('got');
    });
    sock.on('error', () => {});
    sock.on('close', () => {
      this.closed = true;
      sock.emit('got');
    });
  }

  static async open(port: number): Promise<Client> {
    const sock = net.connect(port, '127.0.0.1');
    await once(sock, 'connect');
    return new Client(sock);
  }

  send(path: string): void {
    this.sock.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  }

  /** the next complete response's status and body (the server answers with Content-Length),
   *  or null when the connection closes first */
  async response(): Promise<{ status: number; body: string } | null> {
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end >= 0) {
        const head = this.buf.slice(0, end);
        const len = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (this.buf.length >= end + 4 + len) {
          const body = this.buf.slice(end + 4, end + 4 + len);
          this.buf = this.buf.slice(end + 4 + len);
          return { status: Number(head.slice(9, 12)), body };
        }
      }
      if (this.closed) return null;
      // not events.once: it would reject on the reset a refused connection gets
      await new Promise((resolve) => this.sock.once('got', resolve));
    }
  }

  /** what arrived so far */
  get pending(): string {
    return this.buf;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.sock.end();
    await once(this.sock, 'close');
  }
}

describe('global maxconn: client connections per worker', () => {
  let sluice: StartedSluice;
  let dir: string;
  let sock: string;
  let server: http.Server;
  const fx = new Fixtures();
  let echo: Upstream;
  const clients: Client[] = [];

  const open = async (frontend: string): Promise<Client> => {
    const c = await Client.open(sluice.port(frontend));
    clients.push(c);
    return c;
  };
  /** a connection that has been served once and stays open, holding its slot */
  const held = async (frontend: string): Promise<Client> => {
    const c = await open(frontend);
    c.send('/held');
    assert.equal((await c.response())?.status, 200);
    return c;
  };

  before(async () => {
    server = http.createServer((req, res) => res.end(`ok ${req.url}`));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    echo = await fx.echo();
    dir = mkdtempSync(join(tmpdir(), 'sluice-connlimit-'));
    sock = join(dir, 'admin.sock');
    const upstream = (server.address() as AddressInfo).port;
    sluice = await startSluice(
      `global
    maxconn ${MAXCONN}
    stats socket ${sock} level admin
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe_node
    mode http
    bind 127.0.0.1:${await freePort()} front node
    default_backend be
frontend fe_uws
    mode http
    bind 127.0.0.1:${await freePort()}
    default_backend be
backend be
    mode http
    server s1 127.0.0.1:${upstream}
listen tcpfe
    mode tcp
    bind 127.0.0.1:${await freePort()}
    server e1 127.0.0.1:${echo.port}
`,
      { workers: 1 },
    );
    // lowered at runtime: the gate follows `set maxconn global` down as well as up
    assert.equal(await send(sock, `set maxconn global ${LIMIT}`), '\n');
  });

  after(async () => {
    for (const c of clients) c.sock.destroy();
    await sluice?.stop();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await fx.closeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  /** the limit filled by two served connections, and a third one sent `path` and left waiting */
  const overLimit = async (path: string): Promise<[Client, Client, Client]> => {
    const a = await held('fe_node');
    const b = await held('fe_node');
    const c = await open('fe_node');
    c.send(path);
    await sleep(HOLD_WINDOW_MS);
    assert.equal(c.pending, '', `a third connection was served over a global maxconn of ${LIMIT}`);
    assert.equal(c.closed, false, 'a connection over the limit must wait, not be closed');
    return [a, b, c];
  };

  it('a node-front connection over the limit waits unread until a slot frees', async () => {
    const [a, b, c] = await overLimit('/waiting');
    await a.close();
    assert.deepEqual(await c.response(), { status: 200, body: 'ok /waiting' });
    // the kept connections go on being served
    b.send('/again');
    assert.deepEqual(await b.response(), { status: 200, body: 'ok /again' });
    await b.close();
    await c.close();
  });

  it('the limit is shared by every frontend of the worker: a TCP session waits behind HTTP', async () => {
    const a = await held('fe_node');
    const b = await held('fe_node');
    const t = net.connect(sluice.port('tcpfe'), '127.0.0.1');
    t.on('error', () => {});
    await once(t, 'connect');
    t.write('hello');
    await sleep(HOLD_WINDOW_MS);
    assert.equal(echo.conns.length, 0, 'a TCP session passed a global maxconn held by two HTTP connections');
    await b.close();
    const [d] = (await once(t, 'data')) as [Buffer];
    assert.equal(d.toString(), 'hello');
    t.end();
    await once(t, 'close');
    await a.close();
  });

  it('set maxconn global raises the limit for the waiting connections at once', async () => {
    const [a, b, c] = await overLimit('/raised');
    assert.equal(await send(sock, `set maxconn global ${LIMIT + 1}`), '\n');
    assert.deepEqual(await c.response(), { status: 200, body: 'ok /raised' });
    assert.equal(await send(sock, `set maxconn global ${LIMIT}`), '\n');
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('a uWS connection over the limit is closed (20.57), or not seen at all (20.30)', async () => {
    const a = await held('fe_node');
    const b = await held('fe_node');
    const u = await open('fe_uws');
    u.send('/uws');
    if (loadUws().version === '20.57') {
      assert.equal(await u.response(), null, 'uWS 20.57 served a connection over global maxconn');
      await a.close();
      // a slot is free again once the worker has seen a's close, which may trail the client's
      // view of it by a turn of the worker's loop: bounded retries
      let after: { status: number; body: string } | null = null;
      for (let i = 0; i < 20 && after === null; i++) {
        const v = await open('fe_uws');
        v.send('/uws-after');
        after = await v.response();
        v.sock.destroy();
      }
      assert.deepEqual(after, { status: 200, body: 'ok /uws-after' });
    } else {
      // uWS 20.30 says nothing of a connection before its first request (no filter()): its
      // connections are not counted, as docs/hardening.md says
      assert.deepEqual(await u.response(), { status: 200, body: 'ok /uws' });
      await a.close();
    }
    // uWS does not answer a client's FIN by closing: the client resets
    u.sock.destroy();
    await b.close();
  });
});
