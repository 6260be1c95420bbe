// HAProxy's check status codes (check_status column of `show stat`) and the reason text its logs
// print for each. A probe reports one of these; the state machine only looks at `ok`.

export type CheckStatusCode =
  'INI' | 'L4OK' | 'L4TOUT' | 'L4CON' | 'L7OK' | 'L7OKC' | 'L7TOUT' | 'L7RSP' | 'L7STS' | 'SOCKERR';

export const CHECK_STATUS_TEXT: Readonly<Record<CheckStatusCode, string>> = {
  INI: 'Initializing',
  L4OK: 'Layer4 check passed',
  L4TOUT: 'Layer4 timeout',
  L4CON: 'Layer4 connection problem',
  L7OK: 'Layer7 check passed',
  L7OKC: 'Layer7 check conditionally passed',
  L7TOUT: 'Layer7 timeout',
  L7RSP: 'Layer7 invalid response',
  L7STS: 'Layer7 wrong status',
  SOCKERR: 'Socket error',
};

/** What one probe (TCP, HTTP or agent) found. */
export interface CheckResult {
  readonly ok: boolean;
  readonly status: CheckStatusCode;
  /** HTTP status for HTTP checks, null otherwise */
  readonly code: number | null;
  /** extra detail HAProxy prints as `info: "..."` (e.g. "Connection refused"), or '' */
  readonly info: string;
  readonly durationMs: number;
}

/** `reason: Layer7 wrong status, code: 500, info: "x", check duration: 3ms` as HAProxy logs it */
export function describeResult(r: CheckResult): string {
  let s = `reason: ${CHECK_STATUS_TEXT[r.status]}`;
  if (r.code !== null) s += `, code: ${r.code}`;
  if (r.info !== '') s += `, info: "${r.info}"`;
  return `${s}, check duration: ${r.durationMs}ms`;
}
