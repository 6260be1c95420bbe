// Regression: requests that llhttp itself rejects on the node front (DEL in the target or a
// header value, an unknown version, a head that never completes) got their 400/505/408 but no log
// line and no count. Now each is one `<BADREQ>` line, as HAProxy logs it — termination PR (cR
// for the 408), no backend, no server, timers -1 but Ta — and one `ereq` on the frontend; nothing
// reaches the backend.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResponse, rawExchange, startServer } from '../../helpers/http-harness';
import {
  BADREQ_TEXT,
  HTTP_DEFAULTS,
  logDir,
  startLoggingProxy,
  type LogDir,
  type LoggingProxy,
} from './harness';

describe('node front: requests llhttp rejects are logged as <BADREQ> and counted in ereq', () => {
  let upstream: Awaited<ReturnType<typeof startServer>>;
  let proxy: LoggingProxy;
  let dir: LogDir;
  let requestsSeen = 0;

  before(async () => {
    upstream = await startServer((_req, res) => {
      requestsSeen++;
      res.end('hello');
    });
    dir = logDir('sluice-badreq-');
    proxy = await startLoggingProxy(`${HTTP_DEFAULTS}
frontend fe_text
    bind 127.0.0.1:0 front node
    log ${dir.file('text.log')} format raw local0
    option httplog
    default_backend be
frontend fe_json
    bind 127.0.0.1:0 front node
    log ${dir.file('json.log')} format raw local0
    default_backend be
frontend fe_slow
    bind 127.0.0.1:0 front node
    timeout http-request 200ms
    log ${dir.file('slow.log')} format raw local0
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

  /** the status sluice answers to these bytes on a fresh connection, which it then closes */
  async function answer(fe: string, raw: string, idleMs?: number): Promise<number | undefined> {
    return parseResponse(await rawExchange(proxy.port(fe), raw, idleMs))?.status;
  }

  function lines(file: string): Promise<string[]> {
    return dir.lines(proxy, file);
  }

  test('DEL in the target: 400, one httplog line "<BADREQ>" PR--, ereq +1, nothing upstream', async () => {
    const before = ereq('fe_text');
    assert.equal(await answer('fe_text', 'GET /a\x7fb HTTP/1.1\r\nHost: x\r\n\r\n'), 400);
    await proxy.logged('fe_text', 1);
    const text = await lines('text.log');
    assert.equal(text.length, 1, text.join('\n'));
    assert.match(text[0] as string, BADREQ_TEXT('fe_text', 400, 'PR--'));
    assert.equal(ereq('fe_text'), before + 1);
    assert.equal(proxy.stats.snapshot().frontends.fe_text?.hrsp_4xx, 1);
    assert.deepEqual([upstream.connections(), requestsSeen], [0, 0]);
  });

  test('DEL in a header value, default JSON line: r "<BADREQ>", ST 400, tsc PR--, ereq +1', async () => {
    const before = ereq('fe_json');
    assert.equal(await answer('fe_json', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x7fb\r\n\r\n'), 400);
    await proxy.logged('fe_json', 1);
    const json = await lines('json.log');
    assert.equal(json.length, 1, json.join('\n'));
    const v = JSON.parse(json[0] as string) as Record<string, unknown>;
    assert.deepEqual(
      [v.r, v.ST, v.tsc, v.ft, v.b, v.s, v.ci, v.Tq, v.Tw, v.Tc, v.Tr],
      ['<BADREQ>', 400, 'PR--', 'fe_json', 'fe_json', '<NOSRV>', '127.0.0.1', -1, -1, -1, -1],
    );
    assert.ok(typeof v.Ta === 'number' && v.Ta >= 0);
    assert.equal(ereq('fe_json'), before + 1);
    assert.deepEqual([upstream.connections(), requestsSeen], [0, 0]);
  });

  test('behind a good pipelined request: that one is served and logged, then the bad one', async () => {
    const before = ereq('fe_text');
    const from = (await lines('text.log')).length;
    const raw = await rawExchange(
      proxy.port('fe_text'),
      'GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /b\x7f HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    assert.match(raw.toString('latin1'), /^HTTP\/1\.1 200 [^]*HTTP\/1\.1 400 /);
    await proxy.logged('fe_text', 3);
    const text = (await lines('text.log')).slice(from);
    assert.equal(text.length, 2, text.join('\n'));
    assert.match(text[0] as string, / 200 5 - - ---- .* "GET \/ok HTTP\/1\.1"$/);
    assert.match(text[1] as string, BADREQ_TEXT('fe_text', 400, 'PR--'));
    assert.equal(ereq('fe_text'), before + 1);
    assert.equal(requestsSeen, 1);
    requestsSeen = 0;
  });

  test('an HTTP version sluice does not speak: 505 logged as <BADREQ>, ereq +1', async () => {
    const before = ereq('fe_json');
    assert.equal(await answer('fe_json', 'GET / HTTP/2.0\r\nHost: x\r\n\r\n'), 505);
    await proxy.logged('fe_json', 2);
    const v = JSON.parse((await lines('json.log'))[1] as string) as Record<string, unknown>;
    assert.deepEqual([v.r, v.ST, v.tsc], ['<BADREQ>', 505, 'PR--']);
    assert.equal(ereq('fe_json'), before + 1);
    assert.equal(requestsSeen, 0);
  });

  test('timeout http-request: 408 logged with cR and counted; dontlognull drops a silent one', async () => {
    const before = ereq('fe_slow');
    // a head that never ends: rawExchange returns once sluice closes after its 408
    assert.equal(await answer('fe_slow', 'GET / HTTP/1.1\r\nHost: x\r\n', 5000), 408);
    await proxy.logged('fe_slow', 1);
    // a connection that never sends a byte: counted as HAProxy counts it, not logged (dontlognull)
    assert.equal(await answer('fe_slow', '', 5000), 408);
    await proxy.logged('fe_slow', 2);
    const text = await lines('slow.log');
    assert.equal(text.length, 1, text.join('\n'));
    assert.match(text[0] as string, BADREQ_TEXT('fe_slow', 408, 'cR--'));
    assert.equal(ereq('fe_slow'), before + 2);
    assert.equal(requestsSeen, 0);
  });
});
