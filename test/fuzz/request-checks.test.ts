// fast-check fuzzing of the request validator: whatever the front hands over, checkRequest
// answers 0 or an error status and never throws. Bounded by default; FUZZ_RUNS=100000 by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../helpers/fuzz';
import { checkRequest } from '../../src/http/request-checks';
import { Exchange } from '../../src/http/exchange';

const RUNS = fuzzRuns(2000);
const STATUSES = new Set([0, 400, 414, 431, 501]);

const text = fc.string({ unit: 'binary', maxLength: 40 });
const name = fc.oneof(fc.constantFrom('host', 'content-length', 'transfer-encoding', 'connection'), text);
const value = fc.oneof(
  fc.constantFrom('5', 'chunked', 'a', '', '5, 5', 'gzip, chunked', 'close, host'),
  text,
);

/** seeds that once found a bug stay as regression cases */
const SEEDS: readonly [string, string, string[]][] = [
  ['POST', '/', ['host', 'x', 'content-length', '5', 'connection', 'content-length']],
  ['GET', '*', ['host', 'x']],
  ['GET', '/%00', ['host', 'x']],
  ['POST', '/', ['host', 'x', 'transfer-encoding', 'gzip, chunked']],
];

test('checkRequest never throws and answers a known status', () => {
  for (const [m, u, h] of SEEDS) assert.notEqual(checkRequest(mk(m, u, h), 101, 16384), 0);
  fc.assert(
    fc.property(
      fc.oneof(fc.constantFrom('GET', 'POST', 'OPTIONS', 'CONNECT'), text),
      fc.oneof(fc.constantFrom('/', '*', '/a?b', 'http://h/'), text),
      fc.array(fc.tuple(name, value), { maxLength: 8 }),
      fc.constantFrom('1.0', '1.1') as fc.Arbitrary<'1.0' | '1.1'>,
      (method, url, pairs, version) => {
        const ex = mk(method, url, pairs.flat(), version);
        const s = checkRequest(ex, 6, 1024);
        assert.ok(STATUSES.has(s), `status ${s}`);
        // a request we let through is framed one way only
        if (s === 0) {
          const te = ex.headers.filter((_, i, a) => i % 2 === 0 && a[i] === 'transfer-encoding');
          const cl = ex.headers.filter((_, i, a) => i % 2 === 0 && a[i] === 'content-length');
          assert.ok(te.length + cl.length <= 1, 'never both TE and CL, never two of either');
        }
      },
    ),
    { numRuns: RUNS },
  );
});

function mk(method: string, url: string, headers: string[], version: '1.0' | '1.1' = '1.1'): Exchange {
  return new Exchange(method, url, version, headers, '127.0.0.1', 1, 80, 'fe', false);
}
