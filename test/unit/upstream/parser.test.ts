// The parser alone: results must not depend on how TCP splits the bytes, and arbitrary bytes
// never throw (fuzzed with fast-check).

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../../helpers/fuzz';
import type { ResponseSink } from '../../../src/http/upstream/parser';
import { ResponseParser } from '../../../src/http/upstream/parser';
import type { UpstreamResponseHead } from '../../../src/http/upstream';

class Recorder implements ResponseSink {
  events: string[] = [];
  body = '';
  onParsedInterim(status: number, _reason: string, headers: string[]): void {
    this.events.push(`interim ${status} ${headers.join('|')}`);
  }
  onParsedHead(h: UpstreamResponseHead): void {
    this.events.push(`head ${h.status} ${h.reason} ${h.body} ${h.contentLength} ${h.headers.join('|')}`);
  }
  onParsedData(chunk: Buffer): void {
    this.body += chunk.toString('latin1');
  }
  onParsedEnd(trailers: string[] | null, extra: boolean): void {
    this.events.push(`end ${trailers === null ? '-' : trailers.join('|')} ${extra}`);
  }
}

function parse(raw: Buffer, cuts: number[], headRequest = false): { rec: Recorder; error: string | null } {
  const rec = new Recorder();
  const p = new ResponseParser(rec, 4096);
  p.reset(headRequest);
  let last = 0;
  for (const c of [...cuts.filter((x) => x > 0 && x < raw.length).sort((a, b) => a - b), raw.length]) {
    if (!p.execute(raw.subarray(last, c))) return { rec, error: p.error };
    last = c;
  }
  if (!p.complete) p.eof();
  return { rec, error: null };
}

const SAMPLES = [
  'HTTP/1.1 103 Early Hints\r\nlink: <a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 11\r\nX: y\r\n\r\nhello world',
  'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3;a="q\\"x";b=c\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: 1\r\n\r\n',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'HTTP/1.0 200 OK\r\nserver: old\r\n\r\nclose-delimited body',
  'HTTP/1.1 204 No Content\r\ncontent-length: 3\r\n\r\n',
];

test('every split of a valid response gives the same events as one read', () => {
  for (const s of SAMPLES) {
    const raw = Buffer.from(s, 'latin1');
    const whole = parse(raw, []);
    assert.equal(whole.error, null, s);
    assert.ok(
      whole.rec.events.some((e) => e.startsWith('end')),
      `no end for ${JSON.stringify(s)}`,
    );
    for (let i = 1; i < raw.length; i++) {
      const split = parse(raw, [i]);
      assert.deepEqual(split.rec.events, whole.rec.events, `split at ${i} of ${JSON.stringify(s)}`);
      assert.equal(split.rec.body, whole.rec.body);
    }
    fc.assert(
      fc.property(fc.array(fc.nat(raw.length), { maxLength: 12 }), (cuts) => {
        const r = parse(raw, cuts);
        assert.deepEqual(r.rec.events, whole.rec.events);
        assert.equal(r.rec.body, whole.rec.body);
      }),
      { numRuns: fuzzRuns(200) },
    );
  }
});

test('chunked sample decodes body and trailers', () => {
  const r = parse(Buffer.from(SAMPLES[1] as string, 'latin1'), []);
  assert.equal(r.rec.body, 'abc0123456789abcdef');
  assert.equal(r.rec.events[1], 'end t|1 false');
});

test('bytes after the end are reported, not parsed', () => {
  const r = parse(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n'), []);
  assert.deepEqual(r.rec.events.at(-1), 'end - true');
});

test('arbitrary bytes never throw and never end twice', () => {
  const prefix = Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.boolean(),
      fc.array(fc.nat(400)),
      (bytes, framed, cuts) => {
        const raw = framed ? Buffer.concat([prefix, bytes]) : Buffer.from(bytes);
        const r = parse(raw, cuts);
        assert.ok(r.rec.events.filter((e) => e.startsWith('end')).length <= 1);
      },
    ),
    { numRuns: fuzzRuns(2000) },
  );
});

test('chunk-size line grammar', () => {
  const ok = ['5', 'A', 'a;x', 'a ; x', 'a;x=y', 'a;x = y', 'a;x="y z"', 'a;x="\\""', 'a;x;y=z', '00000005'];
  const bad = ['', ' 5', '5 ', '+5', '0x5', '5;', '5;x=', '5;x="', '5;@', '5;x y', '5\x00', 'g'];
  for (const line of ok) {
    const r = parse(Buffer.from(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n${line}\r\n`), []);
    assert.equal(r.error, null, `rejected ${JSON.stringify(line)}`);
  }
  for (const line of bad) {
    const r = parse(Buffer.from(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n${line}\r\n`), []);
    assert.match(r.error ?? '', /chunk/, `accepted ${JSON.stringify(line)}`);
  }
});
