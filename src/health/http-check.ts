// `option httpchk` / `http-check send|expect`: one HTTP/1.x request per check, the verdict on the
// status line (and the body when an expect needs it). As in HAProxy, without `http-check expect`
// a 2xx or 3xx status passes.
import type { HttpCheckExpect, HttpCheckModel } from '../config/model';
import type { CheckResult } from './check-status';
import type { ReplyJudge } from './probe';

type Verdict = Omit<CheckResult, 'durationMs'>;

export function buildCheckRequest(hc: HttpCheckModel): Buffer {
  const lines = [`${hc.method} ${hc.uri} ${hc.version}`];
  const headers = hc.headers ?? [];
  const hasHost = headers.some(([n]) => n.toLowerCase() === 'host');
  if (hc.host !== null && !hasHost) lines.push(`Host: ${hc.host}`);
  for (const [n, v] of headers) lines.push(`${n}: ${v}`);
  const body = hc.body ?? null;
  if (body !== null) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  // the check reads one response then closes; saying so lets the server close first
  lines.push('Connection: close');
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`, 'latin1');
}

interface Head {
  readonly code: number;
  readonly reason: string;
  readonly bodyStart: number;
  readonly contentLength: number | null;
}

function parseHead(data: Buffer): Head | 'invalid' | null {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const text = data.subarray(0, end).toString('latin1');
  const [statusLine = '', ...rest] = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (m === null) return 'invalid';
  let contentLength: number | null = null;
  for (const h of rest) {
    const cl = /^content-length:\s*(\d+)\s*$/i.exec(h);
    if (cl !== null) contentLength = Number(cl[1]);
  }
  return { code: Number(m[1]), reason: m[2] ?? '', bodyStart: end + 4, contentLength };
}

export function statusMatches(pattern: string, code: number): boolean {
  for (const part of pattern.split(',')) {
    const r = /^(\d{3})(?:-(\d{3}))?$/.exec(part.trim());
    if (r === null) continue;
    const lo = Number(r[1]);
    const hi = r[2] === undefined ? lo : Number(r[2]);
    if (code >= lo && code <= hi) return true;
  }
  return false;
}

function safeRegex(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern);
  } catch {
    return null;
  }
}

function needsBody(e: HttpCheckExpect | null): boolean {
  return e !== null && (e.kind === 'string' || e.kind === 'rstring');
}

/**
 * `serverUp`: with `http-check disable-on-404`, a 404 from a server that is UP passes
 * conditionally (L7OKC: the server goes NOLB); from a DOWN server it is judged like any status.
 */
export function httpJudge(hc: HttpCheckModel, serverUp = false): ReplyJudge {
  const expect = hc.expect ?? null;
  const soft404 = hc.disableOn404 === true && serverUp;
  return (data, ended) => {
    const head = parseHead(data);
    if (head === null) {
      return ended ? { ok: false, status: 'L7RSP', code: null, info: 'incomplete response' } : null;
    }
    if (head === 'invalid') return { ok: false, status: 'L7RSP', code: null, info: 'invalid status line' };
    if (soft404 && head.code === 404) return { ok: true, status: 'L7OKC', code: 404, info: head.reason };
    if (!needsBody(expect)) return judgeStatus(expect, head);
    const body = data.subarray(head.bodyStart);
    const complete = ended || (head.contentLength !== null && body.length >= head.contentLength);
    if (!complete) return null;
    return judgeBody(expect as HttpCheckExpect, head, body.toString('latin1'));
  };
}

function judgeStatus(expect: HttpCheckExpect | null, head: Head): Verdict {
  let ok: boolean;
  if (expect === null) ok = head.code >= 200 && head.code < 400;
  else {
    const hit =
      expect.kind === 'status'
        ? statusMatches(expect.pattern, head.code)
        : (safeRegex(expect.pattern)?.test(String(head.code)) ?? false);
    ok = hit !== expect.negate;
  }
  return ok
    ? { ok: true, status: 'L7OK', code: head.code, info: '' }
    : { ok: false, status: 'L7STS', code: head.code, info: head.reason };
}

function judgeBody(expect: HttpCheckExpect, head: Head, body: string): Verdict {
  const hit =
    expect.kind === 'string'
      ? body.includes(expect.pattern)
      : (safeRegex(expect.pattern)?.test(body) ?? false);
  if (hit !== expect.negate) return { ok: true, status: 'L7OK', code: head.code, info: '' };
  const what = expect.negate ? 'matched' : 'did not match';
  return {
    ok: false,
    status: 'L7RSP',
    code: head.code,
    info: `HTTP check ${what} content '${expect.pattern}'`,
  };
}
