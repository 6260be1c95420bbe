// Where a front's own HTTP parser decides before sluice sees the request, the table records what
// that parser does instead of the case's generic expectation. Every entry is still asserted: a
// change in uWS or llhttp shows up as a failing case. CLOSE and HANG entries are still checked
// for "nothing reached the backend"; the few `accept` entries are tolerances of the front's
// parser that sluice cannot see (it gets the decoded body), listed in docs/hardening.md.
import type { Expect } from './cases';
import { CLOSE, HANG } from './cases';

const ids = (s: string): string[] => s.split(/\s+/).filter((x) => x.length > 0);

/** uWebSockets.js 20.30/20.57 (src/HttpParser.h): closes, or waits for more bytes until its idle
 *  timeout (10 s), instead of answering 400. */
export const UWS_OBSERVED: ReadonlyMap<string, Expect> = new Map<string, Expect>([
  // framing errors in the head: uWS closes at once
  ...ids('c1a c1b c2b c3a c4a c4b c4c c4d c4e c4g c4h c31a c31d').map((id): [string, Expect] => [id, CLOSE]),
  // bad chunked bodies uWS detects: close (the head may have reached the backend, never the end)
  ...ids('c10a c10c c10d c10g c10h c13c').map((id): [string, Expect] => [id, CLOSE]),
  // header/request-line syntax uWS does not recognise: it waits for more bytes (idle timeout)
  ...ids(
    'c8a c8c c8f c8g c8h c9 c13a c13b c20 c21 c22 c23a c23b c23c c24a c24b c24d c25b c25c c25d c25e c25f c25g c25h c26a c27a c31b c31c c32a c32b c32c c32d c32e c32f c33a c33b c33c c33d c33e c33f c35a c35b c35d c35e c35f c36a c43',
  ).map((id): [string, Expect] => [id, HANG]),
  // not served by uWS at all (use `front node`): HTTP/1.0, absolute-form, a leading empty line
  ['c28', HANG],
  ['c34', HANG],
  ['c38', HANG],
  // uWS aborts the connection when a request arrives pipelined behind one still in progress (its
  // answer is lost too); what was already dispatched may or may not reach the backend first
  ['c16', { kind: 'accept', requests: 1, atMost: true }],
  ['c39b', { kind: 'accept', requests: 1, atMost: true }],
  ['c15', { kind: 'accept', requests: 1, atMost: true }],
  // tolerated by uWS's parser (chunk syntax; an empty field name ends its header section): sluice
  // only sees the decoded request and re-frames it, so the backend reads what sluice forwarded.
  // Counted over both runs (alone and with the probe behind).
  ...ids('c10b c10e c10f c11a c11b c12a c12b c12c c25a').map((id): [string, Expect] => [
    id,
    { kind: 'accept', requests: 2, atMost: true },
  ]),
]);

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
