// Upstreams and agents the health tests steer: an HTTP server whose health answer (status, body,
// silence) and traffic answer can be changed mid-test, and a TCP agent whose reply line can.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from '../../helpers/http-harness';
import { findRow, hasTool, netExchange, parseCsv, socat } from '../../helpers/stats-socket';

export interface Upstream {
  readonly name: string;
  port: number;
  checks: number;
  /** Date.now() at each health check request, in arrival order */
  readonly checkTimes: number[];
  /** the request line and Host header of the last health check */
  lastCheck: { method: string; url: string; version: string; host: string | undefined } | null;
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
    checkTimes: [],
    lastCheck: null,
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
      u.checkTimes.push(Date.now());
      u.lastCheck = {
        method: req.method ?? '',
        url: req.url,
        version: req.httpVersion,
        host: req.headers.host,
      };
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
  /** Date.now() at each connection, in order */
  readonly connTimes: number[];
  close(): Promise<void>;
}

export async function agent(reply: string | null): Promise<Agent> {
  const sockets = new Set<net.Socket>();
  const a: Agent = {
    port: 0,
    reply,
    connections: 0,
    connTimes: [],
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  const server = net.createServer((sock) => {
    a.connections++;
    a.connTimes.push(Date.now());
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    if (a.reply !== null) sock.end(a.reply);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  a.port = (server.address() as AddressInfo).port;
  return a;
}

/** bounded polling for a condition no event announces; `refresh` re-reads what cond looks at */
export async function until(
  cond: () => boolean,
  timeoutMs: number,
  what = 'condition',
  refresh?: () => Promise<void>,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
    await refresh?.();
  }
}

/** waits (bounded) for n more timestamps in `times` and returns the n - 1 gaps between them */
export async function nextGaps(times: readonly number[], n: number, what: string): Promise<number[]> {
  const from = times.length;
  await until(() => times.length >= from + n, 10_000, `${n} ${what}`);
  const t = times.slice(from, from + n);
  return t.slice(1).map((x, i) => x - (t[i] as number));
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

/** a stats socket path in a fresh temp dir, for `stats socket <path> level admin` */
export function statsSocketPath(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-health-'));
  return { path: join(dir, 'admin.sock'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** one runtime API command, through socat when installed (as operators do) */
export const send: (sock: string, command: string) => Promise<string> = hasTool('socat')
  ? (sock, command) => socat(sock, command)
  : (sock, command) => netExchange(sock, command);

/** the `show stat` row of one server */
export async function statRow(
  sock: string,
  backend: string,
  server: string,
): Promise<Record<string, string>> {
  return findRow(parseCsv(await send(sock, 'show stat')), backend, server);
}

/**
 * Resolves once every worker has applied the server states the primary had broadcast before this
 * call: `show stat` asks each worker for its counters over the same IPC channel the states went
 * down, in order, so a worker's answer comes after it applied them.
 */
export async function workersCaughtUp(sock: string): Promise<void> {
  await send(sock, 'show stat');
}

/** one sample of the Prometheus exporter (`http-request use-service prometheus-exporter`) */
export async function metric(port: number, name: string, backend: string, server: string): Promise<number> {
  const text = (await request(port, { path: '/metrics' })).body.toString();
  const m = new RegExp(`^${name}\\{proxy="${backend}",server="${server}"\\} (\\S+)$`, 'm').exec(text);
  if (m === null) throw new Error(`no ${name} for ${backend}/${server} in the exporter's output`);
  return Number(m[1]);
}
