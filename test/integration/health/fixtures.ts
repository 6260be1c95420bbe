// Upstreams and agents the health tests steer: an HTTP server whose health answer (status, body,
// silence) and traffic answer can be changed mid-test, and a TCP agent whose reply line can.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { request } from '../../helpers/http-harness';

export interface Upstream {
  readonly name: string;
  port: number;
  checks: number;
  hits: number;
  /** remote ports of the connections traffic came on (one keep-alive pool per worker) */
  readonly peers: Set<number>;
  /** status and body of GET /health; null = never answer (the check times out) */
  health: { status: number; body: string } | null;
  /** status of every other request */
  trafficStatus: number;
  /** when set, traffic requests are held until release() */
  hold: boolean;
  release(): void;
  close(): Promise<void>;
}

export async function upstream(name: string, port = 0): Promise<Upstream> {
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const u: Upstream = {
    name,
    port,
    checks: 0,
    hits: 0,
    peers: new Set(),
    health: { status: 200, body: 'ok' },
    trafficStatus: 200,
    hold: false,
    release: () => {
      for (const f of held.splice(0)) f();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  const server = http.createServer((req, res) => {
    if (req.url === '/health') {
      u.checks++;
      if (u.health !== null) res.writeHead(u.health.status).end(u.health.body);
      return;
    }
    u.hits++;
    u.peers.add(req.socket.remotePort ?? 0);
    const answer = (): void => {
      res.writeHead(u.trafficStatus, { 'content-type': 'text/plain' }).end(name);
    };
    if (u.hold) held.push(answer);
    else answer();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  u.port = (server.address() as AddressInfo).port;
  return u;
}

export interface Agent {
  port: number;
  /** the line sent to every connection; null = accept and say nothing */
  reply: string | null;
  connections: number;
  close(): Promise<void>;
}

export async function agent(reply: string | null): Promise<Agent> {
  const sockets = new Set<net.Socket>();
  const a: Agent = {
    port: 0,
    reply,
    connections: 0,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  const server = net.createServer((sock) => {
    a.connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    if (a.reply !== null) sock.end(a.reply);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  a.port = (server.address() as AddressInfo).port;
  return a;
}

/** bounded polling for a condition no event announces */
export async function until(cond: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** sends n sequential requests and counts which upstream (by body) answered each */
export async function spread(port: number, n: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = await request(port);
    const who = r.status === 200 ? r.body.toString() : `status ${r.status}`;
    seen.set(who, (seen.get(who) ?? 0) + 1);
  }
  return seen;
}

export const BASE_DEFAULTS = `defaults
  mode http
  timeout connect 500ms
  timeout client 5s
  timeout server 5s
`;
