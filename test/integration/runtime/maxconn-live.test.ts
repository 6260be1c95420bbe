// `set maxconn frontend|global` take effect in the workers (not only in show stat), and frontends
// report current sessions (scur/smax) — HTTP and TCP — and TCP frontends their stot/bin/bout.
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
import { request } from '../../helpers/http-harness';
import { hasTool, netExchange, socat } from '../../helpers/stats-socket';

const send = hasTool('socat') ? socat : netExchange;
/** how long a request that should be held is watched for not getting through */
const HOLD_WINDOW_MS = 300;

/** an upstream that holds every request until the test releases it */
class HoldingServer {
  readonly server = http.createServer((_req, res) => {
    this.held.push(res);
    this.server.emit('held');
  });
  readonly held: http.ServerResponse[] = [];
  port = 0;
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }
  /** resolves once `n` requests in total have arrived (bounded by the test timeout) */
  async arrived(n: number): Promise<void> {
    while (this.held.length < n) await once(this.server, 'held');
  }
  releaseAll(): void {
    for (const res of this.held.splice(0)) res.end('ok');
  }
  close(): Promise<void> {
    this.releaseAll();
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** one column of a `show stat` row */
async function stat(sock: string, px: string, sv: string, field: string): Promise<string> {
  const text = await send(sock, 'show stat');
  const header = (text.split('\n')[0] as string).replace(/^# /, '').split(',');
  const row = text.split('\n').find((l) => l.startsWith(`${px},${sv},`));
  assert.ok(row !== undefined, `no row ${px}/${sv}`);
  return row.split(',')[header.indexOf(field)] as string;
}

describe('live maxconn and frontend sessions', () => {
  let sluice: StartedSluice;
  let dir: string;
  let sock: string;
  const upstream = new HoldingServer();
  let echo: net.Server;
  let echoPort: number;
  const echoConns = new Set<net.Socket>();

  before(async () => {
    await upstream.start();
    echo = net.createServer((s) => {
      echoConns.add(s);
      s.on('close', () => echoConns.delete(s));
      s.on('error', () => {});
      s.pipe(s);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'sluice-maxconn-'));
    sock = join(dir, 'admin.sock');
    // one worker: maxconn is a per-process limit, as in HAProxy
    sluice = await startSluice(
      `global
    stats socket ${sock} level admin
defaults
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    mode http
    bind 127.0.0.1:${await freePort()}
    default_backend be
backend be
    mode http
    server s1 127.0.0.1:${upstream.port}
listen tcpfe
    mode tcp
    bind 127.0.0.1:${await freePort()}
    server e1 127.0.0.1:${echoPort}
`,
      { workers: 1 },
    );
  });

  after(async () => {
    await sluice?.stop();
    await upstream.close();
    for (const s of echoConns) s.destroy();
    await new Promise<void>((r) => echo.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('set maxconn frontend 1 makes a second concurrent request wait; raising it lets it in', async () => {
    const port = sluice.port('fe');
    assert.equal(await send(sock, 'set maxconn frontend fe 1'), '\n');
    const a = request(port, { path: '/a' });
    await upstream.arrived(1);
    assert.equal(await stat(sock, 'fe', 'FRONTEND', 'scur'), '1');
    const b = request(port, { path: '/b' });
    await sleep(HOLD_WINDOW_MS);
    assert.equal(upstream.held.length, 1, 'the second request passed a frontend maxconn of 1');
    upstream.releaseAll();
    assert.equal((await a).status, 200);
    await upstream.arrived(1);
    upstream.releaseAll();
    assert.equal((await b).status, 200);
    // raised: two at once get through, and the peak shows it
    assert.equal(await send(sock, 'set maxconn frontend fe 5'), '\n');
    const both = [request(port), request(port)];
    await upstream.arrived(2);
    assert.equal(await stat(sock, 'fe', 'FRONTEND', 'scur'), '2');
    assert.equal(await stat(sock, 'fe', 'FRONTEND', 'smax'), '2');
    assert.equal(await stat(sock, 'fe', 'FRONTEND', 'slim'), '5');
    upstream.releaseAll();
    for (const r of await Promise.all(both)) assert.equal(r.status, 200);
    assert.equal(await stat(sock, 'fe', 'FRONTEND', 'scur'), '0');
  });

  it('a lowered limit holds new requests while a raised one admits the waiting', async () => {
    const port = sluice.port('fe');
    const first = request(port);
    await upstream.arrived(1);
    assert.equal(await send(sock, 'set maxconn frontend fe 1'), '\n');
    const second = request(port);
    await sleep(HOLD_WINDOW_MS);
    assert.equal(upstream.held.length, 1);
    // raising the limit lets the waiting request in without waiting for the first to end
    assert.equal(await send(sock, 'set maxconn frontend fe 2'), '\n');
    await upstream.arrived(2);
    upstream.releaseAll();
    for (const r of await Promise.all([first, second])) assert.equal(r.status, 200);
  });

  it('TCP frontends count sessions and bytes, and follow set maxconn global', async () => {
    const port = sluice.port('tcpfe');
    const c1 = net.connect(port, '127.0.0.1');
    await once(c1, 'connect');
    c1.write('hello');
    await once(c1, 'data');
    assert.equal(await stat(sock, 'tcpfe', 'FRONTEND', 'scur'), '1');
    // the frontend has no maxconn of its own: the global one applies
    assert.equal(await send(sock, 'set maxconn global 1'), '\n');
    const c2 = net.connect(port, '127.0.0.1');
    await once(c2, 'connect');
    c2.write('again');
    await sleep(HOLD_WINDOW_MS);
    assert.equal(echoConns.size, 1, 'a second TCP session passed a global maxconn of 1');
    c1.end();
    await once(c1, 'close');
    const [d] = (await once(c2, 'data')) as [Buffer];
    assert.equal(d.toString(), 'again');
    c2.end();
    await once(c2, 'close');
    assert.equal(await send(sock, 'set maxconn global 4096'), '\n');
    // the session records arrive when the sessions end: poll briefly, bounded
    for (let i = 0; i < 50 && (await stat(sock, 'tcpfe', 'FRONTEND', 'stot')) !== '2'; i++) await sleep(20);
    assert.equal(await stat(sock, 'tcpfe', 'FRONTEND', 'stot'), '2');
    assert.equal(await stat(sock, 'tcpfe', 'FRONTEND', 'bin'), '10');
    assert.equal(await stat(sock, 'tcpfe', 'FRONTEND', 'bout'), '10');
    assert.equal(await stat(sock, 'tcpfe', 'FRONTEND', 'scur'), '0');
    assert.equal(await stat(sock, 'tcpfe', 'FRONTEND', 'smax'), '1');
  });
});
