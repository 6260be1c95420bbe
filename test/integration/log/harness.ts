// In-process proxy with access logs, as a worker builds it: compiles a config, creates the
// backends, the AccessLogs observer and the statistics collector, starts every frontend. Plus a
// UDP syslog receiver.
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { compileText } from '../../../src/config';
import { createBackends } from '../../../src/backend';
import { startHttpFrontend } from '../../../src/http';
import { startTcpFrontend } from '../../../src/tcp';
import { AccessLogs, logger } from '../../../src/log';
import { StatsCollector } from '../../../src/stats/collector';
import type { Listener } from '../../../src/worker/listener';
import type { WorkerContext } from '../../../src/worker/context';
import type { HttpRequestRecord } from '../../../src/http/record';
import type { TcpSessionRecord } from '../../../src/tcp/record';

/** the defaults section the HTTP log tests share */
export const HTTP_DEFAULTS = `
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
`;

/** `<BADREQ>` in HAProxy's httplog format: `fe/<NOSRV>`, -1 timers but Ta, PR--, no captures */
export const BADREQ_TEXT = (fe: string, status: number, tsc: string): RegExp =>
  new RegExp(
    `^127\\.0\\.0\\.1:\\d+ \\[[^\\]]+\\] ${fe} ${fe}/<NOSRV> -1/-1/-1/-1/\\d+ ${status} 0 - - ${tsc} \\d+/\\d+/0/0/0 0/0 "<BADREQ>"$`,
  );

/** a temporary directory for a test's log files */
export interface LogDir {
  /** the path of a log file in it, for a `log <path>` line */
  file(name: string): string;
  /** the non-empty lines of a log file, once the proxy's access logs are flushed */
  lines(proxy: LoggingProxy, name: string): Promise<string[]>;
  remove(): void;
}

export function logDir(prefix: string): LogDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    file: (name) => join(dir, name),
    async lines(proxy, name) {
      await proxy.access.flush();
      return readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((l) => l !== '');
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface LoggingProxy {
  port(frontend: string): number;
  readonly access: AccessLogs;
  /** the worker's counters (frontends' ereq, hrsp_4xx...) */
  readonly stats: StatsCollector;
  /** a frontend's ereq counter */
  ereq(frontend: string): number;
  /** resolves once `n` requests/sessions of a frontend were handed to the access logs */
  logged(frontend: string, n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startLoggingProxy(cfg: string): Promise<LoggingProxy> {
  const r = compileText(cfg, 'test.cfg', {});
  if (r.model === null) throw new Error(r.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
  const model = r.model;
  const backends = createBackends(model.backends);
  const log = logger('test');
  const access = new AccessLogs(model, backends, log);
  const stats = new StatsCollector(backends, 0);
  // runs after AccessLogs (observers are called in order): the line is then in its sink
  const counts = new Map<string, number>();
  const waiters = new Set<() => void>();
  const seen = (fe: string): void => {
    counts.set(fe, (counts.get(fe) ?? 0) + 1);
    for (const w of [...waiters]) w();
  };
  const counter = {
    onHttpRequest: (rec: HttpRequestRecord) => seen(rec.frontend),
    onTcpSession: (rec: TcpSessionRecord) => seen(rec.frontend),
  };
  const ctx: WorkerContext = {
    generation: 1,
    model,
    backends,
    log,
    httpObservers: [access, stats, counter],
    tcpObservers: [access, stats, counter],
  };
  const listeners = new Map<string, Listener[]>();
  for (const fe of model.frontends) {
    listeners.set(
      fe.name,
      fe.mode === 'http' ? await startHttpFrontend(fe, ctx) : await startTcpFrontend(fe, ctx),
    );
  }
  return {
    access,
    stats,
    port: (name) => (listeners.get(name)?.[0] as Listener).port,
    ereq: (frontend) => stats.snapshot().frontends[frontend]?.ereq ?? 0,
    logged(frontend, n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if ((counts.get(frontend) ?? 0) < n) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${n} records of ${frontend}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const ls of listeners.values()) for (const l of ls) l.close();
      await access.flush();
      access.close();
    },
  };
}

export interface SyslogReceiver {
  readonly port: number;
  readonly lines: string[];
  /** resolves once at least n datagrams arrived; rejects after timeoutMs */
  waitFor(n: number, timeoutMs?: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function startSyslogReceiver(): Promise<SyslogReceiver> {
  const sock = dgram.createSocket('udp4');
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  sock.on('message', (m) => {
    lines.push(m.toString('utf8'));
    for (const w of [...waiters]) w();
  });
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', res));
  return {
    port: (sock.address() as AddressInfo).port,
    lines,
    waitFor(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (lines.length < n) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(lines.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${n} datagrams, got ${JSON.stringify(lines)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((res) => sock.close(() => res())),
  };
}
