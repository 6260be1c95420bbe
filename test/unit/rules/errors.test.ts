import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorFileModel } from '../../../src/config/model';
import {
  ERROR_CATALOGUE,
  SILENT_CLOSE_STATUS,
  compileErrorReplies,
  errorReply,
  hasErrorPage,
  parseErrorFile,
  reasonPhrase,
} from '../../../src/http/errors';
import type { LocalReply } from '../../../src/http/exchange';

// Content-length values of HAProxy's built-in pages (haproxy src/http.c): a byte-exact cross-check.
const HAPROXY_LENGTHS: Record<number, number> = {
  200: 58,
  400: 90,
  401: 112,
  403: 93,
  404: 83,
  405: 146,
  407: 112,
  408: 110,
  410: 114,
  413: 106,
  414: 110,
  421: 104,
  422: 116,
  425: 80,
  429: 117,
  431: 106,
  500: 97,
  501: 136,
  502: 107,
  503: 107,
  504: 92,
};

test('every built-in page has HAProxy byte length and headers', () => {
  for (const status of [
    200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 414, 425, 429, 431, 500, 501, 502, 503, 504,
  ]) {
    assert.ok(hasErrorPage(status), String(status));
    const r = errorReply(status);
    assert.equal(r.status, status);
    assert.equal(Buffer.byteLength(r.body), HAPROXY_LENGTHS[status], `body length of ${status}`);
    assert.deepEqual(r.headers, ['cache-control', 'no-cache', 'content-type', 'text/html']);
  }
  assert.equal(ERROR_CATALOGUE.length, Object.keys(HAPROXY_LENGTHS).length);
});

test('503 and 400 pages are exact', () => {
  assert.equal(
    errorReply(503).body,
    '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n',
  );
  assert.equal(
    errorReply(400).body,
    '<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n',
  );
});

test('only 400 and 408 close the connection', () => {
  for (const e of ERROR_CATALOGUE)
    assert.equal(errorReply(e.status).close, e.status === 400 || e.status === 408, String(e.status));
});

test('replies are cached and frozen', () => {
  assert.equal(errorReply(403), errorReply(403));
  assert.ok(Object.isFrozen(errorReply(403)));
});

test('reasonPhrase uses the page phrase, then the generic table, then the class', () => {
  assert.equal(reasonPhrase(503), 'Service Unavailable');
  assert.equal(reasonPhrase(400), 'Bad request');
  assert.equal(reasonPhrase(413), 'Payload Too Large');
  assert.equal(reasonPhrase(302), 'Found');
  assert.equal(reasonPhrase(301), 'Moved Permanently');
  assert.equal(reasonPhrase(204), 'No Content');
  assert.equal(reasonPhrase(299), 'Success');
  assert.equal(reasonPhrase(599), 'Server Error');
  assert.equal(reasonPhrase(42), 'Other');
});

test('a status without a page still gets a well-formed page', () => {
  const r = errorReply(418);
  assert.equal(r.status, 418);
  assert.equal(r.body, "<html><body><h1>418 I'm a teapot</h1>\n</body></html>\n");
});

const ef = (status: number, raw: string): ErrorFileModel => ({ status, file: `/etc/${status}.http`, raw });

test('parseErrorFile parses status line, headers and body', () => {
  const r = parseErrorFile(
    'HTTP/1.1 503 Service Unavailable\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello',
  ) as LocalReply;
  assert.equal(typeof r, 'object');
  assert.equal(r.status, 503);
  assert.deepEqual(r.headers, ['cache-control', 'no-cache', 'content-type', 'text/html']);
  assert.equal(r.body, 'hello');
  assert.equal(r.close, true);
  const lfOnly = parseErrorFile('HTTP/1.0 200 OK\nX-A: b\n\nbody\n') as LocalReply;
  assert.equal(lfOnly.status, 200);
  assert.deepEqual(lfOnly.headers, ['x-a', 'b']);
  assert.equal(lfOnly.body, 'body\n');
  assert.equal(lfOnly.close, false);
});

test('parseErrorFile reports malformed files', () => {
  assert.match(parseErrorFile('garbage\r\n\r\n') as string, /invalid status line/);
  assert.match(parseErrorFile('HTTP/1.1 503 x\r\nNoColon\r\n\r\n') as string, /malformed header/);
  assert.match(parseErrorFile('HTTP/1.1 503 x\r\nContent-Type: a') as string, /empty line/);
  assert.match(
    parseErrorFile('HTTP/1.1 503 x\r\nContent-Length: 3\r\n\r\nhello') as string,
    /content-length \(5 != 3\)/,
  );
  assert.match(parseErrorFile('HTTP/1.1 503 x\r\nTransfer-Encoding: chunked\r\n\r\n') as string, /chunk/);
  assert.match(parseErrorFile('HTTP/1.1 100 Continue\r\n\r\n') as string, /status code/);
  assert.match(parseErrorFile('HTTP/1.1 204 No Content\r\n\r\nx') as string, /payload not expected/);
});

test('an empty errorfile closes silently', () => {
  const r = errorReply(408, [ef(408, '')]);
  assert.equal(r.status, SILENT_CLOSE_STATUS);
  assert.equal(r.close, true);
});

test('errorReply prefers the proxy errorfile for that status, last one wins', () => {
  const files = [
    ef(503, 'HTTP/1.1 503 A\r\n\r\nfirst'),
    ef(503, 'HTTP/1.1 503 B\r\n\r\nsecond'),
    ef(403, 'broken'),
  ];
  assert.equal(errorReply(503, files).body, 'second');
  assert.equal(errorReply(404, files).body, errorReply(404).body);
  assert.equal(errorReply(403, files), errorReply(403), 'malformed errorfile falls back to the page');
  const compiled = compileErrorReplies(files);
  assert.equal(compiled(503).body, 'second');
  assert.equal(compiled(502), errorReply(502));
  assert.equal(compiled(418).status, 418);
});
