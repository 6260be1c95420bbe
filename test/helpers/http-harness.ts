// In-process harness for HTTP/TCP integration tests: compiles a config text with the real
// compiler, starts its frontends in this process (as a worker would), and offers raw-socket and
// HTTP helpers. Configs bind 127.0.0.1:0; ports are read back from the listeners.
import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileText } from '../../src/config';
import { createBackends } from '../../src/backend';
import type { BackendRuntime } from '../../src/backend';
import { startHttpFrontend } from '../../src/http';
import { startTcpFrontend } from '../../src/tcp';
import type { Listener } from '../../src/worker/listener';
import type { WorkerContext } from '../../src/worker/context';
import { logger } from '../../src/log';
import type { HttpObserver } from '../../src/http/record';

export interface Proxy {
  /** port of the first listener of a frontend */
  port(frontend: string): number;
  readonly listeners: Map<string, Listener[]>;
  readonly backends: ReadonlyMap<string, BackendRuntime>;
  close(): Promise<void>;
}

export async function startProxy(cfg: string, opts: { httpObservers?: HttpObserver[] } = {}): Promise<Proxy> {
  const result = compileText(cfg, 'test.cfg', {});
  if (result.model === null) {
    throw new Error(
      'config rejected:\n' + result.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'),
    );
  }
  const model = result.model;
  const backends = createBackends(model.backends);
  const ctx: WorkerContext = {
    generation: 1,
    model,
    backends,
    log: logger('test'),
    httpObservers: opts.httpObservers ?? [],
  };
  const listeners = new Map<string, Listener[]>();
  for (const fe of model.frontends) {
    const ls = fe.mode === 'http' ? await startHttpFrontend(fe, ctx) : await startTcpFrontend(fe, ctx);
    listeners.set(fe.name, ls);
  }
  return {
    listeners,
    backends,
    port(name: string): number {
      const ls = listeners.get(name);
      if (!ls || ls.length === 0) throw new Error(`no listener for ${name}`);
      return (ls[0] as Listener).port;
    },
    async close(): Promise<void> {
      // the upstream pool is shared by the whole process (as in a worker): it stays open
      for (const ls of listeners.values()) for (const l of ls) l.close();
    },
  };
}

/** A real upstream HTTP server on 127.0.0.1:0. */
export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ port: number; server: http.Server; connections: () => number; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  let conns = 0;
  server.on('connection', () => conns++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    connections: () => conns,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A raw TCP server whose connection handler writes whatever bytes the test wants. */
export async function startRawServer(
  onConn: (sock: net.Socket, data: Buffer) => void,
): Promise<{ port: number; received: Buffer[]; close: () => Promise<void> }> {
  const received: Buffer[] = [];
  const socks = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    socks.add(sock);
    sock.on('close', () => socks.delete(sock));
    sock.on('error', () => {});
    let first = true;
    sock.on('data', (d) => {
      received.push(d);
      if (first) {
        first = false;
        onConn(sock, d);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((r) => {
        for (const s of socks) s.destroy();
        server.close(() => r());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  rawHead: string;
  body: Buffer;
  /** the connection was closed by the proxy */
  closed: boolean;
}

/** Sends raw bytes, collects everything until the peer closes or `idleMs` passes without data. */
export function rawExchange(port: number, bytes: string | Buffer, idleMs = 1500): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    let t = setTimeout(() => s.destroy(), idleMs);
    s.on('data', (d) => {
      chunks.push(d);
      clearTimeout(t);
      t = setTimeout(() => s.destroy(), idleMs);
    });
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(t);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** Parses the first response of a raw byte string (content-length or chunked). */
export function parseResponse(buf: Buffer): RawResponse | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const rawHead = buf.subarray(0, end).toString('latin1');
  const lines = rawHead.split('\r\n');
  const status = Number((lines[0] ?? '').split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = buf.subarray(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    const out: Buffer[] = [];
    let p = 0;
    while (p < body.length) {
      const le = body.indexOf('\r\n', p);
      const size = parseInt(body.subarray(p, le).toString(), 16);
      if (size === 0) break;
      out.push(body.subarray(le + 2, le + 2 + size));
      p = le + 2 + size + 2;
    }
    body = Buffer.concat(out);
  } else if (headers['content-length'] !== undefined) {
    body = body.subarray(0, Number(headers['content-length']));
  }
  return { status, headers, rawHead, body, closed: false };
}

/** A plain HTTP request through node's client (fresh connection each time by default). */
export function request(
  port: number,
  opts: {
    method?: string;
    path?: string;
    headers?: http.OutgoingHttpHeaders;
    body?: Buffer | string;
    agent?: http.Agent | false;
  } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/',
        headers: opts.headers,
        agent: opts.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
