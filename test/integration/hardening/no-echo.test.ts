// Nothing a client sends comes back in a page sluice generates, and nothing internal leaks out:
// requests carrying control bytes, HTML/script and an 8 KiB value in the target and the headers
// are answered 400, 403, 404 (`http-request return`), 502, 503 and 504 on both fronts, and no
// response contains those bytes, a file path or a stack frame. The same requests' access log lines
// (default JSON and `option httplog`) stay one line each, valid, with the bytes escaped.
// The httplog escaping of a *valid* request is in test/integration/log/http-log.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoggingProxy } from '../log/harness';
import type { LoggingProxy } from '../log/harness';
import { rawExchange } from '../../helpers/http-harness';
import { uwsAvailable } from '../../../src/http/fronts/uws-loader';

const MARK = 'SLUICEXSS';
const HTML = `<script>alert("${MARK}")</script>`;
const HUGE = 'Z'.repeat(8000);
const FRONTS = ['uws', 'node'].filter((f) => f === 'node' || uwsAvailable());

/** A server that answers garbage (→ 502) under /bad and never answers (→ 504) under /mute. */
function startBadServer(): Promise<net.Server> {
  const srv = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', (d: Buffer) => {
      if (d.includes('/bad')) s.end('NOT HTTP AT ALL\r\n\r\n');
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

function closedPort(): Promise<number> {
  const srv = http.createServer();
  return new Promise((resolve) =>
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    }),
  );
}

function frontends(front: string, dir: string): string {
  const routes = `
    bind 127.0.0.1:0 front ${front}
    http-request deny if { path_beg /deny }
    http-request return status 404 if { path_beg /nf }
    use_backend be_dead if { path_beg /dead }
    default_backend be_bad`;
  return `
frontend ${front}_json
${routes}
    log ${join(dir, `${front}.json.log`)} format raw local0
frontend ${front}_http
${routes}
    log ${join(dir, `${front}.http.log`)} format raw local0
    option httplog
`;
}

/** [expected status, raw request] — valid requests unless the status is 400 */
function cases(): [number, string][] {
  const evil = `X-Evil: ${HTML}\r\nX-Huge: ${HUGE}\r\nUser-Agent: ${HTML}\r\n`;
  const valid = (path: string): string =>
    `GET ${path}?q=${MARK}%3Cscript%3E&h=${HUGE} HTTP/1.1\r\nHost: x\r\n${evil}Connection: close\r\n\r\n`;
  return [
    [403, valid('/deny/x')],
    [404, valid('/nf/x')],
    [503, valid('/dead/x')],
    [502, valid('/bad/x')],
    [504, valid('/mute/x')],
    // the target carries a DEL and a raw '"' with HTML: sluice's own target check
    [400, `GET /x/${HTML}\x7f${MARK} HTTP/1.1\r\nHost: x\r\n${evil}Connection: close\r\n\r\n`],
    // a header value carrying DEL, which uWS passes to sluice
    [400, `GET /x HTTP/1.1\r\nHost: x\r\nX-Ctl: ${HTML}\x7f${MARK}\r\nConnection: close\r\n\r\n`],
  ];
}

for (const front of FRONTS) {
  describe(`no request bytes or internals in generated pages and logs, ${front} front`, () => {
    let bad: net.Server;
    let proxy: LoggingProxy;
    let dir: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'sluice-noecho-'));
      bad = await startBadServer();
      const dead = await closedPort();
      proxy = await startLoggingProxy(`
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 300ms
${frontends(front, dir)}
backend be_bad
    retries 0
    server s1 127.0.0.1:${(bad.address() as AddressInfo).port}
backend be_dead
    retries 0
    server s1 127.0.0.1:${dead}
`);
    });
    after(async () => {
      await proxy.close();
      await new Promise((r) => bad.close(r));
      if (process.env.KEEP_NOECHO === undefined) rmSync(dir, { recursive: true, force: true });
    });

    for (const kind of ['json', 'http'] as const) {
      test(`every error page is free of request bytes, paths and stack frames (${kind} log)`, async () => {
        const fe = `${front}_${kind}`;
        const list = cases();
        for (const [status, raw] of list) {
          const res = (await rawExchange(proxy.port(fe), Buffer.from(raw, 'latin1'), 1000)).toString(
            'latin1',
          );
          const what = `${JSON.stringify(raw.slice(0, 60))} → ${JSON.stringify(res.slice(0, 300))}`;
          assert.match(res, new RegExp(`^HTTP/1\\.1 ${status} `), what);
          for (const bad of [MARK, '<script', 'ZZZZZZZZ', '\x7f', '\x1b', '/work/', '/home/', 'node_modules'])
            assert.ok(!res.includes(bad), `response contains ${JSON.stringify(bad)}: ${what}`);
          assert.doesNotMatch(res, /\n\s*at \S+ \(|Error:/, what);
        }

        // every request one line: on the node front, llhttp rejects the two 400s itself and they
        // are logged as <BADREQ>; uWS hands them to sluice's checks, which log the request line
        const logged = list.length;
        await proxy.logged(fe, logged);
        await proxy.access.flush();
        const text = readFileSync(join(dir, `${front}.${kind}.log`), 'latin1');
        const lines = text.split('\n');
        assert.equal(lines.pop(), '', 'the file ends with a newline');
        assert.equal(lines.length, logged, `one line per request:\n${text.slice(0, 2000)}`);
        for (const line of lines) {
          // nothing can split a line or forge a field; no DEL or raw non-ASCII either
          assert.doesNotMatch(line, /[^\x20-\x7e]/, line.slice(0, 300));
          if (kind === 'json') {
            // whole and valid even past the target's `len` (1024 by default)
            const v = JSON.parse(line) as { r: unknown };
            assert.equal(typeof v.r, 'string');
          } else {
            // HAProxy's escaping: the quoted request field holds no raw '"' (the line is cut at
            // 1024, which may drop the closing quote)
            assert.ok((line.match(/"/g) ?? []).length <= 2, line.slice(0, 300));
          }
        }
      });
    }
  });
}
