// Sends one case's raw bytes on a fresh connection and reports what came back: the first status,
// how many responses, and whether the peer closed within the observation window.
import net from 'node:net';
import type { Case, Expect, Outcome } from './cases';
import { NODE_OBSERVED, uwsObserved } from './front-parsers';
import { probe } from './cases';
import type { Recorded } from './recorder';

/** How long a silent, open connection is watched before the case counts as "no answer". */
export const IDLE_MS = 400;
/** The first answer of a case expected to get one may take this long on a loaded machine (CI
 *  runs two test files at once on two cores); a case expected to hang keeps IDLE_MS. */
export const ANSWER_MS = 5000;

/** The case's bytes; `probed` appends a valid pipelined request that must never be served. */
export function caseBytes(c: Case, probed: boolean): Buffer {
  return Buffer.from(probed ? c.raw + probe(c.id) : c.raw, 'latin1');
}

/** Reject cases run twice: alone (the status is judged) and with a pipelined probe behind. */
export function probed(c: Case): boolean {
  return c.expect.kind === 'reject' && c.noProbe !== true;
}

/** `firstMs`: how long to wait for the first byte or the close; `idleMs`: silence after data */
export function send(port: number, bytes: Buffer, idleMs = IDLE_MS, firstMs = idleMs): Promise<Outcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let closed = false;
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    let t = setTimeout(() => s.destroy(), firstMs);
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      clearTimeout(t);
      t = setTimeout(() => s.destroy(), idleMs);
    });
    s.on('end', () => {
      closed = true;
      s.destroy();
    });
    s.on('error', () => {
      closed = true;
    });
    s.on('close', () => {
      clearTimeout(t);
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));
      resolve({ status: statuses[0] ?? 0, responses: statuses.length, closed });
    });
  });
}

/** The outcome a front should produce for a case. */
export function expected(c: Case, front: 'uws' | 'node'): Expect {
  return (front === 'uws' ? uwsObserved().get(c.id) : NODE_OBSERVED.get(c.id)) ?? c.expect;
}

/** status, or 0 for "closed without a response", -1 for "no answer, still open" */
export function code(o: Outcome): number {
  return o.status !== 0 ? o.status : o.closed ? 0 : -1;
}

/**
 * null when the outcomes and what reached the backend match the case for this front, else why not.
 * `behind` is the run with the pipelined probe: it may end in the expected status or a bare close
 * (uWS aborts a connection with a request pipelined behind a pending response), never in more.
 */
export function judge(
  c: Case,
  front: 'uws' | 'node',
  got: Outcome,
  behind: Outcome | undefined,
  reached: readonly Recorded[],
): string | null {
  const want = expected(c, front);
  const complete = reached.filter((r) => r.complete);
  if (want.kind === 'reject') {
    if (complete.length > 0) return `forwarded ${complete.map((r) => r.url).join(', ')}`;
    if (reached.length > 0 && c.bodyError !== true) return `head forwarded: ${reached[0]?.url}`;
    if (!want.status.includes(code(got))) return `want ${want.status.join('/')}, got ${label(got)}`;
    if (!got.closed && code(got) !== -1) return 'connection left open after the error';
    if (behind !== undefined) {
      const b = code(behind);
      if (behind.responses > 1) return `answered ${behind.responses} times with a request pipelined behind`;
      if (b !== 0 && !want.status.includes(b)) return `with a request pipelined behind: ${label(behind)}`;
      if (!behind.closed && b !== -1) return 'connection left open after the error (pipelined)';
    }
    return null;
  }
  if (want.atMost === true ? complete.length > want.requests : complete.length !== want.requests) {
    return `want ${want.requests} request(s) forwarded, got ${complete.map((r) => r.url).join(', ') || 'none'}`;
  }
  if (want.status !== undefined && got.status !== want.status)
    return `want ${want.status}, got ${label(got)}`;
  return want.check !== undefined ? want.check(complete) : null;
}

export function label(o: Outcome): string {
  if (o.status === 0) return o.closed ? 'close' : 'no answer';
  const more = o.responses > 1 ? ` (+${o.responses - 1})` : '';
  return `${o.status}${more}${o.closed ? ', close' : ''}`;
}

/** The sluice configuration every case runs against (defaults: tune.bufsize 16384, maxhdr 101). */
export function conformanceConfig(front: string, backendPort: number): string {
  return `
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s
  timeout http-request 3s

frontend fe
  bind 127.0.0.1:0 front ${front}
  option forwardfor
  default_backend be

backend be
  server s1 127.0.0.1:${backendPort}
`;
}
