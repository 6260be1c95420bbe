// Shared fixtures for the mode tcp tests: upstream servers, a proxy built straight from Model
// objects, and socket helpers that await events instead of sleeping.
import net from 'node:net';
import type { Server, Socket } from 'node:net';
import { once } from 'node:events';
import pino from 'pino';
import { createBackends } from '../../../src/backend';
import type { BackendRuntime, ServerCounters } from '../../../src/backend';
import type { BackendModel, FrontendModel, GlobalModel } from '../../../src/config/model';
import { startTcpFrontend } from '../../../src/tcp';
import type { WorkerContext } from '../../../src/worker/context';
import type { Listener } from '../../../src/worker/listener';
import { model } from '../../helpers/model';

/** Everything a test opened, closed in `after` */
export class Fixtures {
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly listeners: Listener[] = [];

  track(s: Socket): Socket {
    s.on('error', () => {});
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
    return s;
  }

  /** an upstream whose connections are handed to `onConn`; resolves with its port */
  async upstream(onConn: (s: Socket) => void): Promise<Upstream> {
    const conns: Socket[] = [];
    const srv = net.createServer({ allowHalfOpen: true }, (s) => {
      this.track(s);
      conns.push(s);
      onConn(s);
    });
    this.servers.push(srv);
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    return { port: (srv.address() as net.AddressInfo).port, conns, server: srv };
  }

  /** echoes bytes back and forwards the client's FIN once everything is echoed */
  echo(): Promise<Upstream> {
    return this.upstream((s) => s.pipe(s));
  }

  /** accepts and never sends or closes */
  silent(): Promise<Upstream> {
    return this.upstream((s) => s.resume());
  }

  /** says its name then echoes, so a test can tell which server it reached */
  named(name: string): Promise<Upstream> {
    return this.upstream((s) => {
      s.write(name);
      s.pipe(s);
    });
  }

  /** a port nobody listens on (bound then released) */
  async refusedPort(): Promise<number> {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
  }

  async proxy(
    fe: FrontendModel,
    backends: readonly BackendModel[],
    global: Partial<GlobalModel> = {},
  ): Promise<Proxy> {
    const m = model({ frontends: [fe], backends, global });
    const ctx: WorkerContext = {
      generation: 1,
      model: m,
      backends: createBackends(m.backends),
      log: pino({ level: 'silent' }),
    };
    const listeners = await startTcpFrontend(fe, ctx);
    this.listeners.push(...listeners);
    const first = listeners[0] as Listener;
    return {
      ctx,
      listeners,
      listener: first,
      port: first.port,
      backend: (name) => ctx.backends.get(name) as BackendRuntime,
      connect: () => this.connect(first.port),
    };
  }

  async connect(port: number): Promise<Socket> {
    const s = this.track(net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }));
    await once(s, 'connect');
    return s;
  }

  async closeAll(): Promise<void> {
    for (const l of this.listeners) l.close();
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

export interface Upstream {
  readonly port: number;
  /** connections accepted so far */
  readonly conns: Socket[];
  readonly server: Server;
}

export interface Proxy {
  readonly ctx: WorkerContext;
  readonly listeners: Listener[];
  readonly listener: Listener;
  readonly port: number;
  backend(name: string): BackendRuntime;
  connect(): Promise<Socket>;
}

/** resolves with exactly n bytes (rejects if the socket ends or closes first) */
export function readBytes(s: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let got = 0;
    const onData = (b: Buffer): void => {
      parts.push(b);
      got += b.length;
      if (got >= n) {
        cleanup();
        s.pause();
        const all = Buffer.concat(parts);
        if (all.length > n) s.unshift(all.subarray(n));
        resolve(all.subarray(0, n));
      }
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error(`socket ended after ${got} of ${n} bytes`));
    };
    const cleanup = (): void => {
      s.off('data', onData);
      s.off('end', onEnd);
      s.off('close', onEnd);
    };
    s.on('data', onData);
    s.on('end', onEnd);
    s.on('close', onEnd);
    s.resume();
  });
}

/** everything until the peer's FIN */
export async function readToEnd(s: Socket): Promise<string> {
  const parts: Buffer[] = [];
  s.on('data', (b: Buffer) => parts.push(b));
  s.resume();
  await once(s, 'end');
  return Buffer.concat(parts).toString();
}

/** everything received until the socket closes, however it closes (FIN or reset) */
export function readUntilClose(s: Socket): Promise<string> {
  const parts: Buffer[] = [];
  s.on('data', (b: Buffer) => parts.push(b));
  return closed(s).then(() => Buffer.concat(parts).toString());
}

/**
 * Resolves when the socket is fully closed. A FIN from the peer is answered with our own (test
 * sockets are half-open capable, so they would otherwise wait forever for us to end).
 */
export function closed(s: Socket): Promise<void> {
  if (s.destroyed) return Promise.resolve();
  if (s.readableEnded) s.end();
  else s.once('end', () => s.end());
  s.resume();
  return new Promise((r) => s.once('close', () => r()));
}

/** resolves when an upstream has accepted at least n connections */
export async function accepted(u: Upstream, n: number): Promise<Socket> {
  while (u.conns.length < n) await once(u.server, 'connection');
  return u.conns[n - 1] as Socket;
}

export function counters(be: BackendRuntime, i: number): ServerCounters {
  return (be.servers[i] as BackendRuntime['servers'][number]).counters;
}

export function elapsedSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
