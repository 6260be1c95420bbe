// Config texts and small HTTP helpers shared by the process tests.
import http from 'node:http';

export const DEFAULTS = `
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
`;

/** A proxy that answers every request itself: no upstream needed. */
export function answeringListen(name: string, port: number, body: string): string {
  return `
listen ${name}
    bind 127.0.0.1:${port}
    http-request return status 200 content-type text/plain string "${body}"
`;
}

export interface Reply {
  readonly status: number;
  readonly body: string;
}

/** One GET on a fresh connection (no agent reuse, so every request meets the listeners anew). */
export function get(port: number, path = '/', timeoutMs = 5000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET :${port}${path} timed out`)));
    req.on('error', reject);
  });
}

/** Rejects when `p` has not settled within `ms`: no wait in these tests is unbounded. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
