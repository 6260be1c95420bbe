// Regression: on the node front, a chunked-syntax error inside a request body (the head was
// valid, so the request was already on its way to a server) got its 400, but the log line said
// the client aborted (CH/CD, status -1) and ereq was not counted. Now it is HAProxy's bad request
// during the body: PH with the 400 while no response has begun, PD once one has (the client is
// then cut off), one ereq either way, and the server never receives a complete request.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { parseResponse, rawExchange, startServer } from '../../helpers/http-harness';
import { HTTP_DEFAULTS, logDir, startLoggingProxy, type LogDir, type LoggingProxy } from './harness';

const HEAD = 'POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
/** chunk data longer than its size (rule 11): llhttp fails on the byte after the 5 */
const BAD_CHUNK = '5\r\nhelloXX\r\n0\r\n\r\n';

describe('node front: a bad chunk inside a request body is logged PH/PD and counted in ereq', () => {
  let upstream: Awaited<ReturnType<typeof startServer>>;
  let proxy: LoggingProxy;
  let dir: LogDir;
  let completeBodies = 0;

  before(async () => {
    upstream = await startServer((req, res) => {
      if (req.url === '/early') {
        // answers at once and keeps the response open: the error comes mid-response
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
      }
      req.on('data', () => undefined);
      req.on('end', () => {
        completeBodies++;
        if (!res.headersSent) res.end('whole body read');
      });
    });
    dir = logDir('sluice-body-error-');
    proxy = await startLoggingProxy(`${HTTP_DEFAULTS}
frontend fe
    bind 127.0.0.1:0 front node
    log ${dir.file('text.log')} format raw local0
    option httplog
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

  const ereq = (): number => proxy.ereq('fe');

  function lines(): Promise<string[]> {
    return dir.lines(proxy, 'text.log');
  }

  test('before any response: 400 to the client, PH-- with 400 in the log, ereq +1', async () => {
    const before = ereq();
    const raw = await rawExchange(proxy.port('fe'), HEAD + BAD_CHUNK);
    assert.equal(parseResponse(raw)?.status, 400);
    await proxy.logged('fe', 1);
    const text = await lines();
    assert.equal(text.length, 1, text.join('\n'));
    assert.match(text[0] as string, / fe be\/s1 \S+ 400 \d+ - - PH-- .* "POST \/up HTTP\/1\.1"$/);
    assert.equal(ereq(), before + 1);
    assert.equal(proxy.stats.snapshot().frontends.fe?.hrsp_4xx, 1);
    assert.equal(completeBodies, 0, 'the server never got a complete request');
  });

  test('after the response began: the client is cut off, PD-- with the 200 in the log, ereq +1', async () => {
    const before = ereq();
    const sock = connect(proxy.port('fe'), '127.0.0.1');
    let got = '';
    sock.setEncoding('latin1');
    const closed = new Promise<void>((resolve) => sock.on('close', () => resolve()));
    const headSeen = new Promise<void>((resolve) => {
      sock.on('data', (c: string) => {
        got += c;
        if (got.includes('partial')) resolve();
      });
    });
    sock.write(HEAD.replace('/up', '/early') + '3\r\nabc\r\n');
    await headSeen;
    sock.write(BAD_CHUNK);
    await closed;
    assert.match(got, /^HTTP\/1\.1 200 /);
    assert.doesNotMatch(got, /HTTP\/1\.1 400/, 'no error head in the middle of a response');
    await proxy.logged('fe', 2);
    const text = await lines();
    assert.equal(text.length, 2, text.join('\n'));
    assert.match(text[1] as string, / fe be\/s1 \S+ 200 \d+ - - PD-- .* "POST \/early HTTP\/1\.1"$/);
    assert.equal(ereq(), before + 1);
    assert.equal(completeBodies, 0, 'the server never got a complete request');
  });
});
