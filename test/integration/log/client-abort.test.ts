// A client that closes (FIN) or resets (RST) its connection before a request is complete, on the
// node front, logged and counted as HAProxy 2.6 does (checked against it): before or inside a
// head — null connections included — a `<BADREQ>` line with CR-- and 400 (the 400 is also sent
// when the connection can still carry it), one ereq, nothing upstream, and `option dontlognull`
// drops the line of a connection that sent nothing but not its count. Inside a body, the request
// line says CD-- with status -1 (CH-- once the request is sent and the response awaited) and
// ereq does not move.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { parseResponse, startServer } from '../../helpers/http-harness';
import {
  BADREQ_TEXT,
  HTTP_DEFAULTS,
  logDir,
  startLoggingProxy,
  type LogDir,
  type LoggingProxy,
} from './harness';

/** sends `bytes`, then ends (FIN) or resets (RST) the connection; resolves with what came back */
function abortAfter(port: number, bytes: string, how: 'fin' | 'rst', waitFor?: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const s = net.connect(port, '127.0.0.1', () => {
      if (bytes !== '') s.write(bytes);
      const close = (): void => {
        if (how === 'fin') s.end();
        else s.resetAndDestroy();
      };
      // when a response must come first (keep-alive), close once it is in
      if (waitFor === undefined) setImmediate(close);
      else s.on('data', () => waitFor.test(got) && close());
    });
    s.setEncoding('latin1');
    s.on('data', (d: string) => (got += d));
    s.on('error', () => undefined);
    s.on('close', () => resolve(got));
  });
}

describe('node front: a client closing or resetting before its request is complete', () => {
  let upstream: Awaited<ReturnType<typeof startServer>>;
  let proxy: LoggingProxy;
  let dir: LogDir;
  let complete = 0;
  let headArrived: () => void = () => undefined;

  before(async () => {
    upstream = await startServer((req, res) => {
      headArrived();
      if (req.url === '/hold') return; // never answers
      req.on('data', () => undefined);
      req.on('end', () => {
        complete++;
        res.end('ok');
      });
    });
    dir = logDir('sluice-client-abort-');
    proxy = await startLoggingProxy(`${HTTP_DEFAULTS}
frontend fe
    bind 127.0.0.1:0 front node
    log ${dir.file('fe.log')} format raw local0
    option httplog
    default_backend be
frontend fe_uws
    bind 127.0.0.1:0
    log ${dir.file('fe_uws.log')} format raw local0
    option httplog
    default_backend be
frontend fe_null
    bind 127.0.0.1:0 front node
    log ${dir.file('null.log')} format raw local0
    option httplog
    option dontlognull
    default_backend be
backend be
    server s1 127.0.0.1:${upstream.port}
`);
  });

  after(async () => {
    await proxy.close();
    await upstream.close();
    dir.remove();
  });

  const ereq = (fe: string): number => proxy.ereq(fe);
  const seen = new Map<string, number>();
  /** the lines `fe` logged since the last call, once `n` more records were handed over */
  async function next(n: number, fe = 'fe'): Promise<string[]> {
    const total = (seen.get(fe) ?? 0) + n;
    seen.set(fe, total);
    await proxy.logged(fe, total);
    const all = await dir.lines(proxy, `${fe}.log`);
    return all.slice(all.length - n);
  }

  const HEAD = 'GET /a HTTP/1.1\r\nHost: x\r\n';

  test('a head cut short by a FIN: 400 sent, <BADREQ> CR-- 400 logged, ereq +1', async () => {
    const before = ereq('fe');
    const got = await abortAfter(proxy.port('fe'), HEAD, 'fin');
    assert.equal(parseResponse(Buffer.from(got, 'latin1'))?.status, 400);
    const [line] = await next(1);
    assert.match(line as string, BADREQ_TEXT('fe', 400, 'CR--'));
    assert.equal(ereq('fe'), before + 1);
  });

  test('a head cut short by a reset: <BADREQ> CR-- 400 logged, ereq +1', async () => {
    const before = ereq('fe');
    await abortAfter(proxy.port('fe'), HEAD, 'rst');
    const [line] = await next(1);
    assert.match(line as string, BADREQ_TEXT('fe', 400, 'CR--'));
    assert.equal(ereq('fe'), before + 1);
  });

  test('null connections: logged CR-- 400 and counted; dontlognull drops the line, not the count', async () => {
    const before = ereq('fe');
    const got = await abortAfter(proxy.port('fe'), '', 'fin');
    assert.equal(parseResponse(Buffer.from(got, 'latin1'))?.status, 400);
    await abortAfter(proxy.port('fe'), '', 'rst');
    for (const line of await next(2)) assert.match(line, BADREQ_TEXT('fe', 400, 'CR--'));
    assert.equal(ereq('fe'), before + 2);

    await abortAfter(proxy.port('fe_null'), '', 'fin');
    await abortAfter(proxy.port('fe_null'), '', 'rst');
    await proxy.logged('fe_null', 2);
    assert.deepEqual(await dir.lines(proxy, 'null.log'), []);
    assert.equal(ereq('fe_null'), 2);
  });

  test('a second head cut short by a FIN: the first is answered and logged, then <BADREQ> CR--', async () => {
    const before = ereq('fe');
    const got = await abortAfter(
      proxy.port('fe'),
      `GET /first HTTP/1.1\r\nHost: x\r\n\r\n${HEAD}`,
      'fin',
      /^HTTP\/1\.1 200 [^]*\r\n\r\nok/,
    );
    assert.match(got, /^HTTP\/1\.1 200 /);
    const [first, bad] = await next(2);
    assert.match(first as string, / fe be\/s1 \S+ 200 \d+ - - ---- .* "GET \/first HTTP\/1\.1"$/);
    assert.match(bad as string, BADREQ_TEXT('fe', 400, 'CR--'));
    assert.equal(ereq('fe'), before + 1);
  });

  // the exchange decides these, whichever front carried the request
  for (const fe of ['fe', 'fe_uws']) {
    test(`${fe}: a body cut short by a FIN: the request is logged CD-- with -1, not counted in ereq`, async () => {
      const before = ereq(fe);
      const completeBefore = complete;
      // the FIN goes once the server has the head (before that, it would be CC: during connect)
      const arrived = new Promise<void>((r) => (headArrived = r));
      const s = net.connect(proxy.port(fe), '127.0.0.1', () => {
        s.write('POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello');
        void arrived.then(() => s.end());
      });
      s.on('error', () => undefined);
      s.resume();
      await new Promise((r) => s.on('close', r));
      const [line] = await next(1, fe);
      assert.match(
        line as string,
        new RegExp(` ${fe} be/s1 \\S+ -1 \\d+ - - CD-- .* "POST /up HTTP/1\\.1"$`),
      );
      assert.equal(ereq(fe), before);
      assert.equal(complete, completeBefore, 'the server never got a complete request');
    });

    test(`${fe}: a reset while the response head is awaited: the request is logged CH-- with -1`, async () => {
      const before = ereq(fe);
      const arrived = new Promise<void>((r) => (headArrived = r));
      const s = net.connect(proxy.port(fe), '127.0.0.1', () => {
        s.write('GET /hold HTTP/1.1\r\nHost: x\r\n\r\n');
        void arrived.then(() => s.resetAndDestroy());
      });
      s.on('error', () => undefined);
      await new Promise((r) => s.on('close', r));
      const [line] = await next(1, fe);
      assert.match(
        line as string,
        new RegExp(` ${fe} be/s1 \\S+ -1 \\d+ - - CH-- .* "GET /hold HTTP/1\\.1"$`),
      );
      assert.equal(ereq(fe), before);
    });
  }
});
