// The socket part every active probe shares: connect within a deadline, optionally write a request
// and read a reply within another, and turn whatever happens (refused, unresolvable, reset, silence)
// into a CheckResult. Never throws and always settles: a check can fail, it cannot hang.
import { Socket } from 'node:net';
import type { CheckResult, CheckStatusCode } from './check-status';

export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
}

/** Judges the bytes read so far: a result when it can decide, null to keep reading. */
export type ReplyJudge = (data: Buffer, ended: boolean) => Omit<CheckResult, 'durationMs'> | null;

/** Replies are small; a server streaming more than this is judged on what arrived. */
export const MAX_REPLY_BYTES = 16_384;

export function probe(
  t: ProbeTarget,
  request: Buffer | null,
  judge: ReplyJudge | null,
  timeoutStatus: CheckStatusCode,
): Promise<CheckResult> {
  const start = Date.now();
  return new Promise((resolve) => {
    const sock = new Socket();
    let done = false;
    let connected = false;
    let buf: Buffer = Buffer.alloc(0);
    const finish = (r: Omit<CheckResult, 'durationMs'>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ ...r, durationMs: Date.now() - start });
    };
    let timer = setTimeout(
      () => finish({ ok: false, status: 'L4TOUT', code: null, info: '' }),
      t.connectTimeoutMs,
    );
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected) {
        finish({ ok: false, status: 'L4CON', code: null, info: errText(err) });
      } else {
        // a reset after the request was sent: judge what came, else an invalid reply
        const r = judge?.(buf, true) ?? null;
        finish(r ?? { ok: false, status: 'L7RSP', code: null, info: errText(err) });
      }
    });
    sock.on('connect', () => {
      connected = true;
      clearTimeout(timer);
      if (judge === null) {
        finish({ ok: true, status: 'L4OK', code: null, info: '' });
        return;
      }
      // silence is a timeout (L7TOUT), not an empty reply; a partial one is judged on what came
      const timedOut = { ok: false, status: timeoutStatus, code: null, info: '' } as const;
      timer = setTimeout(
        () => finish(buf.length === 0 ? timedOut : (judge(buf, true) ?? timedOut)),
        t.readTimeoutMs,
      );
      if (request !== null && request.length > 0) sock.write(request);
    });
    sock.on('data', (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      const full = buf.length >= MAX_REPLY_BYTES;
      if (full) buf = buf.subarray(0, MAX_REPLY_BYTES);
      const r = judge?.(buf, full) ?? null;
      if (r !== null) finish(r);
      else if (full) finish({ ok: false, status: 'L7RSP', code: null, info: 'reply too large' });
    });
    sock.on('end', () => {
      const r = judge?.(buf, true) ?? null;
      finish(r ?? { ok: false, status: 'L7RSP', code: null, info: 'connection closed by server' });
    });
    // a DNS failure surfaces as an 'error' with ENOTFOUND: counted as a connection problem
    sock.connect({ host: t.host, port: t.port });
  });
}

function errText(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'Connection refused';
    case 'ECONNRESET':
      return 'Connection reset by peer';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'Name resolution failed';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'No route to host';
    default:
      return err.message;
  }
}
