import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, startServer } from '../../helpers/http-harness';
import {
  HTTP_DEFAULTS as DEFAULTS,
  startLoggingProxy,
  startSyslogReceiver,
  type LoggingProxy,
  type SyslogReceiver,
} from './harness';

/** a port nothing listens on: connecting to it is refused */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('HTTP access logs', () => {
  let upstream: Awaited<ReturnType<typeof startServer>>;
  let syslog: SyslogReceiver;
  let proxy: LoggingProxy;
  let dir: string;
  let dead: number;

  before(async () => {
    upstream = await startServer((_req, res) => {
      res.end('hello');
    });
    syslog = await startSyslogReceiver();
    dir = mkdtempSync(join(tmpdir(), 'sluice-log-'));
    dead = await closedPort();
    proxy = await startLoggingProxy(`${DEFAULTS}
frontend fe_httplog
    bind 127.0.0.1:0 front node
    log udp@127.0.0.1:${syslog.port} local0
    option httplog
    default_backend be
frontend fe_escape
    bind 127.0.0.1:0 front node
    log udp@127.0.0.1:${syslog.port} format raw local0
    log-format "%{+Q}r %{+Q}[hdr(user-agent)] %ST"
    default_backend be
frontend fe_json
    bind 127.0.0.1:0
    log ${join(dir, 'access.log')} format raw local0
    default_backend be
frontend fe_dead
    bind 127.0.0.1:0 front node
    log ${join(dir, 'dead.log')} format raw local0
    default_backend be_dead
backend be
    server s1 127.0.0.1:${upstream.port}
backend be_dead
    retries 0
    server s1 127.0.0.1:${dead}
`);
  });

  after(async () => {
    await proxy.close();
    await upstream.close();
    await syslog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('option httplog sends HAProxy’s line over UDP, framed as RFC 3164 with PRI local0.info', async () => {
    const res = await request(proxy.port('fe_httplog'), { path: '/hello?x=1' });
    assert.equal(res.status, 200);
    const [line] = await syslog.waitFor(1);
    assert.match(
      line as string,
      /^<134>[A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d \S+ sluice\[\d+\]: 127\.0\.0\.1:\d+ \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] fe_httplog be\/s1 0\/\d+\/\d+\/\d+\/\d+ 200 5 - - ---- \d+\/\d+\/1\/1\/0 0\/0 "GET \/hello\?x=1 HTTP\/1\.1"$/,
    );
  });

  test('request bytes that could forge a line or a quote are #XX-encoded', async () => {
    const before = syslog.lines.length;
    const res = await new Promise<string>((resolve, reject) => {
      const s = net.connect(proxy.port('fe_escape'), '127.0.0.1');
      let data = '';
      s.on('data', (d: Buffer) => (data += d.toString('latin1')));
      s.on('end', () => resolve(data));
      s.on('error', reject);
      // write, not end: a half-closed client may be dropped before its answer
      s.write(
        Buffer.from(
          'GET /a?q=%22 HTTP/1.1\r\nHost: x\r\nUser-Agent: ua" 200 forged#\xff\r\nConnection: close\r\n\r\n',
          'latin1',
        ),
      );
    });
    assert.match(res, /^HTTP\/1\.1 200/);
    const lines = await syslog.waitFor(before + 1);
    const line = lines[before] as string;
    assert.equal(line, '"GET /a?q=%22 HTTP/1.1" "ua#22 200 forged#23#FF" 200');
  });

  test('default JSON line to a file: HAProxy variable names, normal end "----"', async () => {
    const res = await request(proxy.port('fe_json'), { path: '/j' });
    assert.equal(res.status, 200);
    await proxy.logged('fe_json', 1);
    await proxy.access.flush();
    const lines = readFileSync(join(dir, 'access.log'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    const v = JSON.parse(lines[0] as string) as Record<string, unknown>;
    assert.equal(v.ci, '127.0.0.1');
    assert.equal(v.ft, 'fe_json');
    assert.equal(v.b, 'be');
    assert.equal(v.s, 's1');
    assert.equal(v.ST, 200);
    assert.equal(v.B, 5);
    assert.equal(v.tsc, '----');
    assert.equal(v.r, 'GET /j HTTP/1.1');
    assert.ok(typeof v.Tc === 'number' && v.Tc >= 0);
    assert.ok(typeof v.Ta === 'number' && v.Ta >= (v.Tr as number));
  });

  test('a refused server connection logs 503 with termination state SC and Tc -1', async () => {
    const res = await request(proxy.port('fe_dead'), { path: '/' });
    assert.equal(res.status, 503);
    await proxy.logged('fe_dead', 1);
    await proxy.access.flush();
    const v = JSON.parse(readFileSync(join(dir, 'dead.log'), 'utf8').trim()) as Record<string, unknown>;
    assert.equal(v.ST, 503);
    assert.equal(v.tsc, 'SC--');
    assert.equal(v.s, 's1');
    assert.equal(v.Tc, -1);
    assert.equal(v.Tr, -1);
  });
});
