// JSON access-log lines are ASCII only: DEL and every character from U+0080 (surrogates too) are
// \uXXXX escapes, and every line still parses back to what the client sent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../../helpers/fuzz';
import { httpJson, jsonAscii } from '../../../src/log/json';
import { LogEntry } from '../../../src/log/entry';
import { framer } from '../../../src/log/syslog';
import { Exchange } from '../../../src/http/exchange';
import type { LogTarget } from '../../../src/config/model';

const RUNS = fuzzRuns(2000);

function asciiOnly(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    assert.ok(c < 0x7f, `char ${c.toString(16)} at ${i} in ${text}`);
  }
}

describe('jsonAscii', () => {
  it('is JSON.stringify, the same string, for printable ASCII, controls, quotes and backslashes', () => {
    for (const s of ['', 'GET / HTTP/1.1', 'a"b\\c', 'tab\there\r\n\u0000\u001f', '~ !#']) {
      assert.equal(jsonAscii(s), JSON.stringify(s));
    }
  });

  it('escapes DEL, latin-1, the BMP and astral characters as \\uXXXX', () => {
    assert.equal(jsonAscii('a\u007fb'), '"a\\u007fb"');
    assert.equal(jsonAscii('\u0080\u00e9\u00ff'), '"\\u0080\\u00e9\\u00ff"');
    assert.equal(jsonAscii('€'), '"\\u20ac"');
    // a pair is two escapes; JSON.parse joins them again
    assert.equal(jsonAscii('😀'), '"\\ud83d\\ude00"');
    assert.equal(jsonAscii('x"\u007f'), '"x\\"\\u007f"');
  });

  it('keeps lone surrogates valid JSON (escaped, as well-formed JSON.stringify does)', () => {
    assert.equal(jsonAscii('\ud800'), '"\\ud800"');
    assert.equal(jsonAscii('a\udc00\u00e9'), '"a\\udc00\\u00e9"');
    assert.equal(JSON.parse(jsonAscii('\ud800x\udfff')), '\ud800x\udfff');
  });

  it('property: parses back to the input, and every output character is below 0x7f', () => {
    // full 16-bit code units: lone and paired surrogates, controls, DEL, latin-1, anything
    const units = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 64 });
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 32 }),
      units.map((a) => String.fromCharCode(...a)),
    );
    fc.assert(
      fc.property(text, (s) => {
        const out = jsonAscii(s);
        asciiOnly(out);
        assert.equal(JSON.parse(out), s);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('JSON access lines', () => {
  function entry(url: string): LogEntry {
    const e = new LogEntry();
    e.ex = new Exchange('GET', url, '1.1', [], '10.0.0.1', 4242, 80, 'fe', false);
    Object.assign(e, { ci: '10.0.0.1', cp: 4242, ft: 'fe', b: 'be', s: 'srv', date: 0, ST: 200 });
    return e;
  }

  it('carry the request with DEL and non-ASCII escaped, and parse back to it', () => {
    const url = '/\u007f/caf\u00e9/\u20ac/😀?"<script>';
    const line = httpJson(entry(url));
    asciiOnly(line);
    assert.equal((JSON.parse(line) as { r: string }).r, `GET ${url} HTTP/1.1`);
    assert.ok(line.includes('\\u007f') && line.includes('\\ud83d\\ude00'));
  });

  it('a text line wrapped by `format json` is ASCII too', () => {
    const t: LogTarget = {
      target: 'stdout',
      kind: 'stdout',
      host: null,
      port: null,
      path: null,
      format: 'json',
      facility: 'local0',
      level: null,
      minLevel: null,
      origin: { file: 't.cfg', line: 1 },
    };
    const line = framer(t, 6, false, 'h\u00f4st', 7)('msg \u007f \u00e9', 0);
    asciiOnly(line);
    const o = JSON.parse(line) as { host: string; msg: string };
    assert.deepEqual([o.host, o.msg], ['h\u00f4st', 'msg \u007f \u00e9']);
  });
});
