// Where a front's own HTTP parser decides before sluice sees the request, the table records what
// that parser does instead of the case's generic expectation. Every entry is still asserted: a
// change in uWS or llhttp shows up as a failing case. CLOSE and HANG entries are still checked
// for "nothing reached the backend"; the few `accept` entries are tolerances of the front's
// parser that sluice cannot see (it gets the decoded body), listed in docs/hardening.md.
import type { Expect } from './cases';
import { CLOSE, HANG } from './cases';
import { loadUws } from '../../src/http/fronts/uws-loader';

const R505: Expect = { kind: 'reject', status: [505] };

const ids = (s: string): string[] => s.split(/\s+/).filter((x) => x.length > 0);

/** What both uWS builds do alike. */
const UWS_BOTH: readonly [string, Expect][] = [
  // syntax neither build recognises (chunk extensions, a lone CR, a leading empty line): uWS
  // waits for more bytes until its idle timeout
  ...ids('c13a c13b c23c c32d c38').map((id): [string, Expect] => [id, HANG]),
  // uWS aborts the connection when a request arrives pipelined behind one still in progress (its
  // answer is lost too); what was already dispatched may or may not reach the backend first
  ['c16', { kind: 'accept', requests: 1, atMost: true }],
  ['c15', { kind: 'accept', requests: 1, atMost: true }],
  // tolerated by uWS's parser (chunk syntax; an empty field name ends its header section): sluice
  // only sees the decoded request and re-frames it, so the backend reads what sluice forwarded;
  // the request pipelined behind never reaches it. Counted over both runs (alone and with the
  // probe behind).
  ...ids('c10b c10e c10f c11a c11b c12a c12b c12c c25a').map((id): [string, Expect] => [
    id,
    { kind: 'accept', requests: 2, atMost: true },
  ]),
];

/** uWebSockets.js 20.30 (@trufflesuite/uws-js-unofficial, Node 20 on bookworm): closes, or waits
 *  for more bytes until its idle timeout (10 s), instead of answering 400. */
const UWS_20_30: ReadonlyMap<string, Expect> = new Map<string, Expect>([
  ...UWS_BOTH,
  // framing errors in the head: uWS closes at once
  ...ids('c1a c1b c2b c3a c4a c4b c4c c4d c4e c4g c4h c31a c31d').map((id): [string, Expect] => [id, CLOSE]),
  // bad chunked bodies uWS detects: close (the head may have reached the backend, never the end)
  ...ids('c10a c10c c10d c10g c10h c13c').map((id): [string, Expect] => [id, CLOSE]),
  // header/request-line syntax uWS does not recognise: it waits for more bytes (idle timeout)
  ...ids(
    'c8a c8c c8f c8g c8h c9 c20 c21 c22 c23a c23b c24a c24b c24d c25b c25c c25d c25e c25f c25g c25h c26a c27a c31b c31c c32a c32b c32c c32e c32f c33a c33b c33c c33d c33e c33f c35a c35b c35d c35e c35f c36a c43',
  ).map((id): [string, Expect] => [id, HANG]),
  // not served by uWS 20.30 at all (use `front node`): HTTP/1.0, absolute-form
  ['c28', HANG],
  ['c34', HANG],
  ['c39b', { kind: 'accept', requests: 1, atMost: true }],
]);

/** uWebSockets.js 20.57 (@btc-vision/uwebsockets.js, Node 20-25 on glibc >= 2.38, e.g. trixie):
 *  answers 400 where 20.30 closed or hung, and 505 to every request line it cannot read. */
const UWS_20_57: ReadonlyMap<string, Expect> = new Map<string, Expect>([
  ...UWS_BOTH,
  // a request line (or line ending) it cannot parse, HTTP/1.0 included, is "505"
  ...ids(
    'c9 c23a c28 c31b c31c c32a c32b c32c c32e c32f c33c c33d c33e c34 c35a c35b c35d c35e c35f c36a',
  ).map((id): [string, Expect] => [id, R505]),
  // it refuses a trailer section (505) instead of dropping the trailer
  ['c14', R505],
  // a bad request pipelined behind a good one: uWS answers its 400 and closes before sluice's
  // response to the first goes out, so the client sees only the 400
  ...ids('c39a c39b').map((id): [string, Expect] => [
    id,
    { kind: 'accept', requests: 1, atMost: true, status: 400 },
  ]),
]);

/** What a uWS build's own parser does. */
export function uwsObservedFor(version: string): ReadonlyMap<string, Expect> {
  return version === '20.57' ? UWS_20_57 : UWS_20_30;
}

/** What the loaded uWS build's own parser does (only asked when one loads). */
export function uwsObserved(): ReadonlyMap<string, Expect> {
  return uwsObservedFor(loadUws().version);
}

/** node:http (llhttp). */
export const NODE_OBSERVED: ReadonlyMap<string, Expect> = new Map<string, Expect>([
  // CONNECT goes to node's 'connect' event, which sluice does not serve: the socket is closed
  ['c35c', CLOSE],
  ['c35d', CLOSE],
  // llhttp accepts repeated spaces in the request line; the request is re-serialized upstream
  // (both runs, and the probe pipelined behind the second)
  ['c32a', { kind: 'accept', requests: 3, status: 200 }],
  // llhttp refuses Content-Length in a trailer section (the head was already forwarded)
  ['c14', { kind: 'reject', status: [400] }],
]);
