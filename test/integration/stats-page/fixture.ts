// One sluice with a stats page (auth, admin), a read-only page and a plain frontend, for the stats
// page tests; plus small readers of the page's HTML.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startSluice } from '../../helpers/sluice-process';
import type { StartedSluice } from '../../helpers/sluice-process';
import { request, startServer } from '../../helpers/http-harness';

export const AUTH = `Basic ${Buffer.from('admin:s3cret').toString('base64')}`;

export interface StatsFixture {
  readonly sluice: StartedSluice;
  readonly sock: string;
  close(): Promise<void>;
}

export async function startStatsFixture(workers = 2): Promise<StatsFixture> {
  const server = await startServer((_req, res) => res.end('ok'));
  const dir = mkdtempSync(join(tmpdir(), 'sluice-page-'));
  const sock = join(dir, 'admin.sock');
  let sluice: StartedSluice;
  try {
    sluice = await startSluice(
      `global
    stats socket ${sock} level admin
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:${await freePort()}
    default_backend be
listen stats
    bind 127.0.0.1:${await freePort()}
    stats enable
    stats uri /stats
    stats refresh 5s
    stats auth admin:s3cret
    stats admin if TRUE
listen ro
    bind 127.0.0.1:${await freePort()}
    stats uri /ro
    stats hide-version
    stats admin if { src 10.0.0.1 }
backend be
    server s1 127.0.0.1:${server.port}
    server s2 127.0.0.1:${await freePort()} disabled
    server s3 127.0.0.1:${await freePort()} backup
`,
      { workers },
    );
  } catch (err) {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    sluice,
    sock,
    async close() {
      await sluice.stop();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function page(
  port: number,
  path: string,
  opts: { auth?: string | null; method?: string; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const auth = opts.auth === undefined ? AUTH : opts.auth;
  const r = await request(port, {
    path,
    method: opts.method ?? 'GET',
    headers: {
      ...(auth === null ? {} : { authorization: auth }),
      ...(opts.body === undefined
        ? {}
        : {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(opts.body),
          }),
    },
    body: opts.body,
  });
  return { status: r.status, headers: r.headers, text: r.body.toString() };
}

/** the class of a server's row on the page, or null when the row is not there */
export function rowClass(html: string, backend: string, server: string): string | null {
  const re = new RegExp(
    `<tr class="([a-z_]+)"><td class="ac">(?:<input[^>]*> )?<a name="${backend}/${server}">`,
  );
  return re.exec(html)?.[1] ?? null;
}
