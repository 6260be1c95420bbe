// Content switching, http-request rules, balancing and what each front accepts, end to end.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Proxy } from '../../helpers/http-harness';
import { startProxy, startServer, rawExchange, parseResponse, request } from '../../helpers/http-harness';
import { loadUws, uwsAvailable } from '../../../src/http/fronts/uws-loader';

type Server = Awaited<ReturnType<typeof startServer>>;

function named(name: string): Promise<Server> {
  return startServer((req, res) => {
    res.setHeader('x-server', name);
    res.end(JSON.stringify({ name, url: req.url, headers: req.headers }));
  });
}

for (const front of ['uws', 'node'] as const) {
  describe(
    `routing and rules, ${front} front`,
    { skip: front === 'uws' && !uwsAvailable() ? 'uWebSockets.js does not load here' : false },
    () => {
      let a: Server;
      let b: Server;
      let api: Server;
      let proxy: Proxy;
      let port: number;
      const dir = mkdtempSync(join(tmpdir(), 'sluice-routing-'));
      const errfile = join(dir, '503.http');
      writeFileSync(
        errfile,
        'HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\n\r\nsorry, come back later\n',
      );

      before(async () => {
        a = await named('a');
        b = await named('b');
        api = await named('api');
        proxy = await startProxy(`
defaults
  mode http
  timeout connect 2s
  timeout client 10s
  timeout server 10s

frontend fe
  bind 127.0.0.1:0 front ${front}
  acl is_api path_beg /api/
  acl is_admin path_beg /admin
  acl from_local src 127.0.0.0/8
  http-request deny if is_admin !from_local
  http-request deny deny_status 429 if { path /limited }
  http-request return status 200 content-type text/plain string "pong\\n" if { path /ping }
  http-request redirect scheme https code 301 if { path_beg /secure }
  http-request redirect prefix /v2 if { path_beg /old }
  http-request set-header x-via sluice
  http-request del-header x-remove-me
  use_backend api if is_api
  use_backend empty if { path_beg /empty }
  default_backend web

backend web
  balance roundrobin
  server a 127.0.0.1:${a.port}
  server b 127.0.0.1:${b.port}

backend api
  http-request set-header x-api yes
  server api 127.0.0.1:${api.port}

backend empty
  errorfile 503 ${errfile}
`);
        port = proxy.port('fe');
      });
      after(async () => {
        await proxy.close();
        await a.close();
        await b.close();
        await api.close();
      });

      test('roundrobin alternates between the two servers', async () => {
        const names: string[] = [];
        for (let i = 0; i < 6; i++)
          names.push(String((await request(port, { path: '/' })).headers['x-server']));
        assert.deepEqual(names, ['a', 'b', 'a', 'b', 'a', 'b']);
      });

      test('use_backend routes by ACL and backend rules apply', async () => {
        const r = await request(port, { path: '/api/users', headers: { 'x-remove-me': '1' } });
        const j = JSON.parse(r.body.toString()) as { name: string; headers: Record<string, string> };
        assert.equal(j.name, 'api');
        assert.equal(j.headers['x-api'], 'yes');
        assert.equal(j.headers['x-via'], 'sluice');
        assert.equal(j.headers['x-remove-me'], undefined);
      });

      test('deny, return and redirect answer without reaching a server', async () => {
        const ping = await request(port, { path: '/ping' });
        assert.equal(ping.status, 200);
        assert.equal(ping.body.toString(), 'pong\n');
        assert.equal(ping.headers['x-server'], undefined);
        const limited = await request(port, { path: '/limited' });
        assert.equal(limited.status, 429);
        const admin = await request(port, { path: '/admin' });
        assert.equal(admin.status, 200, 'local clients pass the admin ACL');
        const sec = await request(port, { path: '/secure/x?y=1', headers: { host: 'shop.test' } });
        assert.equal(sec.status, 301);
        assert.equal(sec.headers.location, 'https://shop.test/secure/x?y=1');
        const old = await request(port, { path: '/old/page?q=1' });
        assert.equal(old.status, 302);
        assert.equal(old.headers.location, '/v2/old/page?q=1');
      });

      test('a backend without servers answers 503 with its errorfile', async () => {
        const r = await request(port, { path: '/empty' });
        assert.equal(r.status, 503);
        assert.equal(r.body.toString(), 'sorry, come back later\n');
      });

      test('Expect: 100-continue gets an interim 100 before the body is sent', async () => {
        const raw = await rawExchange(
          port,
          'POST /api/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n',
          300,
        );
        assert.match(raw.toString('latin1'), /^HTTP\/1\.1 100 Continue\r\n/);
      });

      if (front === 'uws') {
        // what uWS's own parser does differs between the two builds sluice loads (README)
        const v20_30 = uwsAvailable() && loadUws().version === '20.30';
        test(`uWS ${v20_30 ? 'never answers' : 'answers 505 to'} HTTP/1.0 and absolute-form requests (documented)`, async () => {
          for (const raw of [
            'GET / HTTP/1.0\r\nHost: x\r\n\r\n',
            'GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n',
          ]) {
            const res = await rawExchange(port, raw, 1000);
            if (v20_30) assert.equal(res.length, 0, raw);
            else assert.equal(parseResponse(res)?.status, 505, raw);
          }
        });

        test(`uWS ${v20_30 ? 'never answers' : 'serves'} a request whose Content-Length has 10 digits or more (documented)`, async () => {
          const big = await rawExchange(
            port,
            'POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\nabc',
            1000,
          );
          // the api server answers without reading the body
          if (v20_30) assert.equal(big.length, 0);
          else assert.equal(parseResponse(big)?.status, 200);
          const ok = parseResponse(
            await rawExchange(port, 'POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc', 300),
          );
          assert.ok(ok);
          assert.equal(ok.status, 200);
        });
      } else {
        test('node front serves HTTP/1.0 (closing after) and absolute-form with the target authority as Host', async () => {
          const r10 = await rawExchange(port, 'GET /api/x HTTP/1.0\r\n\r\n', 2000);
          const p10 = parseResponse(r10);
          assert.ok(p10);
          assert.equal(p10.status, 200);
          assert.equal(p10.headers.connection, 'close');
          const abs = parseResponse(
            await rawExchange(
              port,
              'GET http://real.test:8080/api/q?z=1 HTTP/1.1\r\nHost: fake.test\r\n\r\n',
              300,
            ),
          );
          assert.ok(abs);
          const j = JSON.parse(abs.body.toString()) as { url: string; headers: Record<string, string> };
          assert.equal(j.url, '/api/q?z=1');
          assert.equal(j.headers.host, 'real.test:8080');
        });
      }
    },
  );
}
