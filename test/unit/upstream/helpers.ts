// Raw-byte servers and a recording handler for the upstream client tests.

import * as net from 'node:net';
import type {
  UpstreamCall,
  UpstreamError,
  UpstreamHandler,
  UpstreamRequestHead,
  UpstreamResponseHead,
  UpstreamTimeouts,
} from '../../../src/http/upstream';
import type { UpstreamPool } from '../../../src/http/upstream';

export interface RawServer {
  readonly port: number;
  /** connections accepted so far */
  connections(): number;
  close(): Promise<void>;
}

/** a server on 127.0.0.1:0; `onSocket` gets each accepted socket and its 1-based index */
export async function startServer(onSocket: (s: net.Socket, n: number) => void): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((s) => {
    count++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    onSocket(s, count);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Calls `onRequest` for every body-less request head read from the socket, with its request line.
 * The server answers only once it has the request, like a real one.
 */
export function onRequests(s: net.Socket, onRequest: (requestLine: string, n: number) => void): void {
  let buf = '';
  let n = 0;
  s.setEncoding('latin1');
  s.on('data', (d: string) => {
    buf += d;
    let end = buf.indexOf('\r\n\r\n');
    while (end !== -1) {
      const head = buf.slice(0, end);
      buf = buf.slice(end + 4);
      onRequest(head.slice(0, head.indexOf('\r\n')), ++n);
      end = buf.indexOf('\r\n\r\n');
    }
  });
}

/**
 * Replies `responses[target]` to each request; for targets in `closeAfter` the server then closes
 * (close-delimited bodies, servers that hang up).
 */
export function routes(
  responses: Record<string, string | Buffer>,
  closeAfter: ReadonlySet<string> = new Set(),
): (s: net.Socket) => void {
  return (s) =>
    onRequests(s, (line) => {
      const target = line.split(' ')[1] ?? '';
      const r = responses[target];
      if (r !== undefined) s.write(r);
      if (closeAfter.has(target)) s.end();
    });
}

export interface Outcome {
  interims: { status: number; reason: string; headers: string[] }[];
  head: UpstreamResponseHead | null;
  chunks: Buffer[];
  chunkCount: number;
  body: string;
  trailers: string[] | null;
  error: UpstreamError | null;
  ended: boolean;
}

export function req(target: string, extra: Partial<UpstreamRequestHead> = {}): UpstreamRequestHead {
  return { method: 'GET', target, headers: ['host', 'test'], body: 'none', close: false, ...extra };
}

export const TIMEOUTS: UpstreamTimeouts = { connect: 2000, server: 5000 };

/** runs one exchange and resolves on onEnd or onError (and fails loudly on a second terminal call) */
export function run(
  pool: UpstreamPool,
  port: number,
  head: UpstreamRequestHead,
  timeouts: UpstreamTimeouts = TIMEOUTS,
  onData?: (chunk: Buffer, o: Outcome) => boolean,
): { call: UpstreamCall; done: Promise<Outcome> } {
  const o: Outcome = {
    interims: [],
    head: null,
    chunks: [],
    chunkCount: 0,
    body: '',
    trailers: null,
    error: null,
    ended: false,
  };
  let settle: (o: Outcome) => void = () => undefined;
  let terminal = 0;
  const done = new Promise<Outcome>((resolve) => (settle = resolve));
  const handler: UpstreamHandler = {
    onInterim: (status, reason, headers) => o.interims.push({ status, reason, headers }),
    onHead: (h) => {
      if (o.head !== null) throw new Error('onHead twice');
      o.head = h;
    },
    onData: (chunk) => {
      o.chunkCount++;
      // a custom onData streams: keeping every chunk would hide whether the client buffers
      if (onData !== undefined) return onData(chunk, o);
      // copied: the bytes are only valid during the call
      o.chunks.push(Buffer.from(chunk));
      return true;
    },
    onEnd: (trailers) => {
      if (++terminal > 1) throw new Error('second terminal callback');
      o.ended = true;
      o.trailers = trailers;
      o.body = Buffer.concat(o.chunks).toString('latin1');
      settle(o);
    },
    onError: (err) => {
      if (++terminal > 1) throw new Error('second terminal callback');
      o.error = err;
      o.body = Buffer.concat(o.chunks).toString('latin1');
      settle(o);
    },
  };
  const call = pool.request({ host: '127.0.0.1', port, key: `t/${port}` }, timeouts, head, handler);
  return { call, done };
}

/** waits (bounded) for a condition that an I/O event will make true */
export async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}
