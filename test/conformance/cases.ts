// The malformed-HTTP/1 case table (../shared/corpus/http1-malformed-rules.md): raw request bytes,
// the rule number they exercise and what a strict front proxy must do. The conformance test runs
// it against both fronts; test/conformance/compare.ts runs it against HAProxy and nginx too.
import type { Recorded } from './recorder';

/** What came back on the client socket within the observation window. */
export interface Outcome {
  /** status of the first response, 0 when none */
  status: number;
  /** number of responses seen (pipelined cases) */
  responses: number;
  /** the peer closed the connection */
  closed: boolean;
}

export type Expect =
  /** refused: one of `status` (see CLOSE, HANG) then close; nothing complete reaches the backend */
  | { kind: 'reject'; status: readonly number[] }
  /** `requests` requests reach the backend complete; `check` inspects them (null = fine) */
  | {
      kind: 'accept';
      requests: number;
      /** `requests` is an upper bound: the front closes the client meanwhile, which may abort them */
      atMost?: boolean;
      status?: number;
      check?: (r: readonly Recorded[]) => string | null;
    };

/** A front-specific outcome where the front's own parser decides before sluice sees anything. */
export type FrontOverride = Expect;

/** status codes in a reject: 0 = closed without a response, -1 = no answer, connection left open */
export const CLOSE: Expect = { kind: 'reject', status: [0] };
export const HANG: Expect = { kind: 'reject', status: [-1] };

export interface Case {
  readonly id: string;
  readonly rule: number;
  readonly title: string;
  readonly raw: string;
  readonly expect: Expect;
  /** the error is in the body: the head may reach the backend, but never a complete request */
  readonly bodyError?: boolean;
  /** don't append the pipelined probe request (it would change what the case means) */
  readonly noProbe?: boolean;
  readonly uws?: FrontOverride;
  readonly node?: FrontOverride;
}

const H = 'Host: x\r\n';
const R400 = { kind: 'reject', status: [400] } as const;
const R501 = { kind: 'reject', status: [501] } as const;

/** Appended to every reject case: a front that resyncs on it after an error forwards it. */
export function probe(id: string): string {
  return `GET /${id}-smuggled HTTP/1.1\r\n${H}\r\n`;
}

function post(id: string, headers: string, body: string): string {
  return `POST /${id} HTTP/1.1\r\n${H}${headers}\r\n${body}`;
}

function te(id: string, rule: number, title: string, value: string, expect = R400 as Expect): Case {
  return {
    id,
    rule,
    title,
    raw: post(id, `Transfer-Encoding: ${value}\r\n`, '5\r\nhello\r\n0\r\n\r\n'),
    expect,
  };
}

function cl(id: string, title: string, value: string): Case {
  return { id, rule: 4, title, raw: post(id, `Content-Length: ${value}\r\n`, 'hello'), expect: R400 };
}

function chunked(id: string, rule: number, title: string, body: string): Case {
  return {
    id,
    rule,
    title,
    raw: post(id, 'Transfer-Encoding: chunked\r\n', body),
    expect: R400,
    bodyError: true,
  };
}

function header(id: string, rule: number, title: string, line: string, expect: Expect = R400): Case {
  return { id, rule, title, raw: `GET /${id} HTTP/1.1\r\n${H}${line}\r\n\r\n`, expect };
}

function line(id: string, rule: number, title: string, requestLine: string, expect: Expect = R400): Case {
  return { id, rule, title, raw: `${requestLine}\r\n${H}\r\n`, expect };
}

function hdr(r: Recorded, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < r.rawHeaders.length; i += 2) {
    if ((r.rawHeaders[i] as string).toLowerCase() === name) out.push(r.rawHeaders[i + 1] as string);
  }
  return out;
}

function expectHeader(name: string, want: string | null): (r: readonly Recorded[]) => string | null {
  return (rs) => {
    const got = hdr(rs[0] as Recorded, name);
    if (want === null) return got.length === 0 ? null : `${name} forwarded: ${got.join(' | ')}`;
    return got.length === 1 && got[0] === want ? null : `${name}: want "${want}", got ${JSON.stringify(got)}`;
  };
}

export const CASES: readonly Case[] = [
  // ---- framing: Content-Length and Transfer-Encoding ----
  {
    id: 'c1a',
    rule: 1,
    title: 'CL then TE: chunked',
    raw: post('c1a', 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'),
    expect: R400,
  },
  {
    id: 'c1b',
    rule: 1,
    title: 'TE: chunked then CL',
    raw: post('c1b', 'Transfer-Encoding: chunked\r\nContent-Length: 5\r\n', '0\r\n\r\n'),
    expect: R400,
  },
  {
    id: 'c2a',
    rule: 2,
    title: 'two CL headers, 5 and 6',
    raw: post('c2a', 'Content-Length: 5\r\nContent-Length: 6\r\n', 'hello!'),
    expect: R400,
  },
  {
    id: 'c2b',
    rule: 2,
    title: 'CL: 5, 6',
    raw: post('c2b', 'Content-Length: 5, 6\r\n', 'hello!'),
    expect: R400,
  },
  {
    id: 'c3a',
    rule: 3,
    title: 'CL: 5, 5 (strict: rejected)',
    raw: post('c3a', 'Content-Length: 5, 5\r\n', 'hello'),
    expect: R400,
  },
  {
    id: 'c3b',
    rule: 3,
    title: 'two identical CL: 5 headers (strict: rejected)',
    raw: post('c3b', 'Content-Length: 5\r\nContent-Length: 5\r\n', 'hello'),
    expect: R400,
  },
  cl('c4a', 'CL: +5', '+5'),
  cl('c4b', 'CL: -1', '-1'),
  cl('c4c', 'CL: 0x10', '0x10'),
  cl('c4d', 'CL: 1_0', '1_0'),
  cl('c4e', 'CL: 5 5', '5 5'),
  cl('c4f', 'CL: (empty)', ''),
  cl('c4g', 'CL: 5abc', '5abc'),
  cl('c4h', 'CL: 16 digits', '1000000000000005'),
  te('c5a', 5, 'TE: gzip (chunked not last)', 'gzip'),
  te('c5b', 5, 'TE: chunked, gzip', 'chunked, gzip'),
  te('c6a', 6, 'TE: identity', 'identity', { kind: 'reject', status: [400, 501] }),
  te('c6b', 6, 'TE: gzip, chunked (coding not understood)', 'gzip, chunked', R501),
  te('c6c', 6, 'TE: chunked, identity', 'chunked, identity', { kind: 'reject', status: [400, 501] }),
  te('c7a', 7, 'TE: chunked, chunked', 'chunked, chunked'),
  {
    id: 'c7b',
    rule: 7,
    title: 'two TE: chunked headers',
    raw: post('c7b', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'),
    expect: R400,
  },
  {
    id: 'c8a',
    rule: 8,
    title: 'space before colon: "Transfer-Encoding : chunked"',
    raw: post('c8a', 'Transfer-Encoding : chunked\r\n', '0\r\n\r\n'),
    expect: R400,
  },
  te('c8b', 8, 'TE: xchunked', 'xchunked', { kind: 'reject', status: [400, 501] }),
  te('c8c', 8, 'TE: chunked + VT (\\x0b)', 'chunked\x0b'),
  te('c8d', 8, 'TE: ,chunked', ',chunked'),
  te('c8e', 8, 'TE: chunked,', 'chunked,'),
  {
    id: 'c8f',
    rule: 8,
    title: 'TE folded with obs-fold',
    raw: post('c8f', 'Transfer-Encoding:\r\n chunked\r\n', '0\r\n\r\n'),
    expect: R400,
  },
  te('c8g', 8, 'TE: chunked + NUL', 'chunked\x00'),
  te('c8h', 8, 'TE: chunked + form feed', 'chunked\x0c'),
  {
    id: 'c8i',
    rule: 8,
    title: 'TE: Chunked (valid: codings are case-insensitive)',
    raw: post('c8i', 'Transfer-Encoding: Chunked\r\n', '5\r\nhello\r\n0\r\n\r\n'),
    expect: { kind: 'accept', requests: 1, status: 200 },
    noProbe: true,
  },
  {
    id: 'c9',
    rule: 9,
    title: 'TE: chunked in an HTTP/1.0 request',
    raw: `POST /c9 HTTP/1.0\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
    expect: R400,
  },
  chunked('c10a', 10, 'chunk-size not hex', 'zz\r\nhello\r\n0\r\n\r\n'),
  chunked('c10b', 10, 'empty chunk-size', '\r\nhello\r\n0\r\n\r\n'),
  chunked('c10c', 10, 'chunk-size 0x5', '0x5\r\nhello\r\n0\r\n\r\n'),
  chunked('c10d', 10, 'chunk-size +5', '+5\r\nhello\r\n0\r\n\r\n'),
  chunked('c10e', 10, 'chunk-size " 5"', ' 5\r\nhello\r\n0\r\n\r\n'),
  chunked('c10f', 10, 'chunk-size "5 "', '5 \r\nhello\r\n0\r\n\r\n'),
  chunked('c10g', 10, 'chunk-size 1_0', '1_0\r\nhello\r\n0\r\n\r\n'),
  chunked('c10h', 10, 'chunk-size of 17 hex digits', '10000000000000005\r\nhello\r\n0\r\n\r\n'),
  chunked('c11a', 11, 'chunk data longer than its size', '5\r\nhelloXX\r\n0\r\n\r\n'),
  chunked('c11b', 11, 'chunk data shorter than its size', '9\r\nhello\r\n0\r\n\r\n'),
  chunked('c12a', 12, 'chunk-size line ends in bare LF', '5\nhello\r\n0\r\n\r\n'),
  chunked('c12b', 12, 'chunk data ends in bare CR', '5\r\nhello\r0\r\n\r\n'),
  chunked('c12c', 12, 'chunk-size line ends in CR X', '5\rX\nhello\r\n0\r\n\r\n'),
  chunked('c13a', 13, 'bare ";" chunk extension', '5;\r\nhello\r\n0\r\n\r\n'),
  chunked('c13b', 13, 'chunk extension with a control byte', '5;a\x01b\r\nhello\r\n0\r\n\r\n'),
  {
    ...chunked('c13c', 13, '64 KiB chunk extension', `5;${'a'.repeat(65536)}\r\nhello\r\n0\r\n\r\n`),
    expect: { kind: 'reject', status: [400, 413, 431] },
  },
  {
    id: 'c14',
    rule: 14,
    title: 'trailer carrying Content-Length: never merged into the headers',
    raw: post('c14', 'Transfer-Encoding: chunked\r\n', '5\r\nhello\r\n0\r\nContent-Length: 50\r\n\r\n'),
    expect: {
      kind: 'accept',
      requests: 1,
      status: 200,
      check: (rs) =>
        (rs[0] as Recorded).body === 'hello' ? expectHeader('content-length', null)(rs) : 'body changed',
    },
    noProbe: true,
    bodyError: true,
  },
  {
    id: 'c15',
    rule: 15,
    title: 'GET with a CL body, then a pipelined GET',
    raw: `GET /c15 HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhelloGET /c15-second HTTP/1.1\r\n${H}\r\n`,
    expect: {
      kind: 'accept',
      requests: 2,
      status: 200,
      check: (rs) =>
        (rs[0] as Recorded).body === 'hello' && (rs[1] as Recorded).url === '/c15-second'
          ? null
          : 'body or second request mangled',
    },
    noProbe: true,
  },
  {
    id: 'c16',
    rule: 16,
    title: 'POST without CL or TE, then a pipelined GET',
    raw: `POST /c16 HTTP/1.1\r\n${H}\r\nGET /c16-second HTTP/1.1\r\n${H}\r\n`,
    expect: {
      kind: 'accept',
      requests: 2,
      status: 200,
      check: (rs) => ((rs[0] as Recorded).body === '' ? null : 'first request got a body'),
    },
    noProbe: true,
  },
  // ---- header syntax ----
  header('c20', 20, 'space before colon: "Host : x"', 'X-A : 1'),
  header('c21', 21, 'obs-fold', 'X-A: 1\r\n 2'),
  {
    id: 'c22',
    rule: 22,
    title: 'whitespace line after the request line',
    raw: `GET /c22 HTTP/1.1\r\n \r\n${H}\r\n`,
    expect: R400,
  },
  {
    id: 'c23a',
    rule: 23,
    title: 'bare LF line endings',
    raw: `GET /c23a HTTP/1.1\nHost: x\n\n`,
    expect: R400,
  },
  header('c23b', 23, 'one header ending in bare LF', 'X-A: 1\nX-B: 2'),
  header('c23c', 23, 'bare CR in a header line', 'X-A: 1\rX-B: 2'),
  header('c24a', 24, 'NUL in a value', 'X-A: a\x00b'),
  header('c24b', 24, '0x01 in a value', 'X-A: a\x01b'),
  header('c24c', 24, '0x7F (DEL) in a value', 'X-A: a\x7fb'),
  header('c24d', 24, 'ESC in a value', 'X-A: a\x1bb'),
  header('c25a', 25, 'empty field name', ': x'),
  header('c25b', 25, 'no colon', 'NoColon'),
  header('c25c', 25, 'space in the name', 'X A: 1'),
  header('c25d', 25, '" in the name', 'X"A: 1'),
  header('c25e', 25, '( in the name', 'X(A: 1'),
  header('c25f', 25, '/ in the name', 'X/A: 1'),
  header('c25g', 25, '@ in the name', 'X@A: 1'),
  header('c25h', 25, 'byte >= 0x80 in the name', 'X\xe9A: 1'),
  {
    id: 'c26a',
    rule: 26,
    title: '120 headers (tune.http.maxhdr 101)',
    raw: `GET /c26a HTTP/1.1\r\n${H}${Array.from({ length: 120 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`,
    expect: { kind: 'reject', status: [431] },
  },
  {
    id: 'c26b',
    rule: 26,
    title: 'one 20 KiB header (tune.bufsize 16384)',
    raw: `GET /c26b HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(20480)}\r\n\r\n`,
    expect: { kind: 'reject', status: [431] },
  },
  { id: 'c27a', rule: 27, title: 'Host missing', raw: 'GET /c27a HTTP/1.1\r\n\r\n', expect: R400 },
  header('c27b', 27, 'Host twice', 'Host: y'),
  ...(
    [
      ['c27c', 'a b'],
      ['c27d', 'ex.com/p'],
      ['c27e', 'user@h'],
      ['c27f', 'h:99999'],
      ['c27g', 'h:1:2'],
      ['c27h', '[::1'],
      ['c27i', ''],
    ] as const
  ).map(([id, v]): Case => ({
    id,
    rule: 27,
    title: `Host: "${v}"`,
    raw: `GET /${id} HTTP/1.1\r\nHost: ${v}\r\n\r\n`,
    expect: R400,
  })),
  {
    id: 'c28',
    rule: 28,
    title: 'absolute-form target whose authority differs from Host',
    raw: `GET http://a/c28 HTTP/1.1\r\nHost: b\r\n\r\n`,
    expect: { kind: 'accept', requests: 1, status: 200, check: expectHeader('host', 'a') },
    noProbe: true,
  },
  {
    id: 'c29a',
    rule: 29,
    title: 'Connection: close, X-Forwarded-For (stripping abuse)',
    raw: `GET /c29a HTTP/1.1\r\n${H}X-Forwarded-For: 6.6.6.6\r\nConnection: close, X-Forwarded-For\r\n\r\n`,
    expect: { kind: 'accept', requests: 1, status: 200, check: expectHeader('x-forwarded-for', '127.0.0.1') },
    noProbe: true,
  },
  {
    id: 'c29b',
    rule: 29,
    title: 'Keep-Alive, Proxy-Connection, TE, Upgrade are not forwarded',
    raw: `GET /c29b HTTP/1.1\r\n${H}Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: foo\r\n\r\n`,
    expect: {
      kind: 'accept',
      requests: 1,
      status: 200,
      check: (rs) => {
        for (const n of ['keep-alive', 'proxy-connection', 'te', 'upgrade']) {
          const e = expectHeader(n, null)(rs);
          if (e !== null) return e;
        }
        return null;
      },
    },
    noProbe: true,
  },
  {
    id: 'c29c',
    rule: 29,
    title: 'Connection: content-length (would unframe the body upstream)',
    raw: post('c29c', 'Content-Length: 5\r\nConnection: content-length\r\n', 'hello'),
    expect: R400,
  },
  {
    id: 'c29d',
    rule: 29,
    title: 'Connection: host',
    raw: `GET /c29d HTTP/1.1\r\n${H}Connection: host\r\n\r\n`,
    expect: R400,
  },
  {
    id: 'c30',
    rule: 30,
    title: 'client X-Forwarded-For is kept and ours appended',
    raw: `GET /c30 HTTP/1.1\r\n${H}X-Forwarded-For: 1.2.3.4\r\n\r\n`,
    expect: {
      kind: 'accept',
      requests: 1,
      status: 200,
      check: (rs) => {
        const v = hdr(rs[0] as Recorded, 'x-forwarded-for').join(', ');
        return v === '1.2.3.4, 127.0.0.1' ? null : `x-forwarded-for: ${v}`;
      },
    },
    noProbe: true,
  },
  // ---- request line ----
  line('c31a', 31, 'method G(T', 'G(T /c31a HTTP/1.1'),
  line('c31b', 31, 'method with 0x01', 'GE\x01T /c31b HTTP/1.1'),
  line('c31c', 31, 'non-ASCII method', 'G\xc9T /c31c HTTP/1.1'),
  line('c31d', 31, 'method with a comma', 'GET,POST /c31d HTTP/1.1'),
  line('c32a', 32, 'two spaces before the target', 'GET  /c32a HTTP/1.1'),
  line('c32b', 32, 'tab as separator', 'GET\t/c32b HTTP/1.1'),
  line('c32c', 32, 'missing target', 'GET HTTP/1.1'),
  line('c32d', 32, 'missing version', 'GET /c32d'),
  {
    id: 'c32e',
    rule: 32,
    title: 'request line ending in bare CR',
    raw: `GET /c32e HTTP/1.1\r${H}\r\n`,
    expect: R400,
  },
  line('c32f', 32, 'trailing space after the version', 'GET /c32f HTTP/1.1 '),
  line('c33a', 33, 'HTTP/1.2', 'GET /c33a HTTP/1.2', { kind: 'reject', status: [400, 505] }),
  line('c33b', 33, 'HTTP/2.0 over HTTP/1', 'GET /c33b HTTP/2.0', { kind: 'reject', status: [400, 505] }),
  line('c33c', 33, 'http/1.1 (lower case)', 'GET /c33c http/1.1'),
  line('c33d', 33, 'HTTP/01.1', 'GET /c33d HTTP/01.1'),
  line('c33e', 33, 'HTTP/1', 'GET /c33e HTTP/1'),
  line('c33f', 33, 'HTTP/3.0', 'GET /c33f HTTP/3.0', { kind: 'reject', status: [400, 505] }),
  {
    id: 'c34',
    rule: 34,
    title: 'HTTP/1.0 request without Host',
    raw: 'GET /c34 HTTP/1.0\r\n\r\n',
    expect: { kind: 'accept', requests: 1, status: 200 },
    noProbe: true,
  },
  line('c35a', 35, 'GET *', 'GET * HTTP/1.1'),
  line('c35b', 35, 'OPTIONS */x', 'OPTIONS */x HTTP/1.1'),
  line('c35c', 35, 'CONNECT /', 'CONNECT / HTTP/1.1'),
  line('c35d', 35, 'CONNECT host (no port)', 'CONNECT host HTTP/1.1'),
  line('c35e', 35, 'GET host:80', 'GET host:80 HTTP/1.1'),
  line('c35f', 35, 'GET admin', 'GET admin HTTP/1.1'),
  line('c36a', 36, 'NUL in the target', 'GET /c36a\x00 HTTP/1.1'),
  line('c36b', 36, '# in the target', 'GET /c36b#frag HTTP/1.1'),
  line('c36c', 36, '\\ in the target', 'GET /c36c\\..\\x HTTP/1.1'),
  line('c36d', 36, 'invalid %-escape', 'GET /c36d%zz HTTP/1.1'),
  line('c36e', 36, '%00 in the target', 'GET /c36e%00 HTTP/1.1'),
  line('c36f', 36, 'raw UTF-8 in the target', 'GET /c36f\xc3\xa9 HTTP/1.1'),
  line('c36g', 36, 'overlong UTF-8 in the target', 'GET /c36g\xc0\xaf HTTP/1.1'),
  {
    id: 'c37',
    rule: 37,
    title: 'target of 20 000 bytes (tune.bufsize 16384)',
    raw: `GET /c37${'a'.repeat(20000)} HTTP/1.1\r\n${H}\r\n`,
    expect: { kind: 'reject', status: [414] },
  },
  {
    id: 'c38',
    rule: 38,
    title: 'empty line before the request line (ignored)',
    raw: `\r\nGET /c38 HTTP/1.1\r\n${H}\r\n`,
    expect: { kind: 'accept', requests: 1, status: 200 },
    noProbe: true,
  },
  // ---- connection behaviour ----
  {
    id: 'c39a',
    rule: 39,
    title: 'valid, invalid, valid pipelined: answer the first, 400 and close on the second',
    raw: `GET /c39a HTTP/1.1\r\n${H}\r\nGET /c39a-bad HTTP/1.1\r\n${H}X-A: 1\x00\r\n\r\n${probe('c39a')}`,
    expect: { kind: 'accept', requests: 1, status: 200 },
    noProbe: true,
  },
  {
    id: 'c39b',
    rule: 39,
    title: 'framing error mid-pipeline (CL+TE), then a smuggled request',
    raw: `GET /c39b HTTP/1.1\r\n${H}\r\n${post('c39b-bad', 'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n')}${probe('c39b')}`,
    expect: { kind: 'accept', requests: 1, status: 200 },
    noProbe: true,
  },
  {
    id: 'c42a',
    rule: 42,
    title: 'Upgrade: h2c with HTTP2-Settings (h2c smuggling)',
    raw: `GET /c42a HTTP/1.1\r\n${H}Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n`,
    expect: {
      kind: 'accept',
      requests: 1,
      status: 200,
      check: (rs) => expectHeader('upgrade', null)(rs) ?? expectHeader('http2-settings', null)(rs),
    },
    noProbe: true,
  },
  {
    id: 'c42b',
    rule: 42,
    title: 'Upgrade: websocket on a POST with a body',
    raw: post('c42b', 'Connection: upgrade\r\nUpgrade: websocket\r\nContent-Length: 5\r\n', 'hello'),
    expect: { kind: 'accept', requests: 1, status: 200, check: expectHeader('upgrade', null) },
    noProbe: true,
  },
  {
    id: 'c43',
    rule: 43,
    title: 'HTTP/2 connection preface on an HTTP/1 port',
    raw: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    expect: { kind: 'reject', status: [400, 505] },
  },
];
