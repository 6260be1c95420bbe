// retry-on <keywords...>: which failures send a request to a server again. Not cumulative: each
// statement replaces the previous set, as in HAProxy.
import type { RetryOnModel } from '../model';
import type { ProxyDraft } from './draft';
import type { Stmt } from './stmt';

export const RETRY_ON_STATUSES = [401, 403, 404, 408, 421, 425, 429, 500, 501, 502, 503, 504];

const NONE: RetryOnModel = {
  connFailure: false,
  emptyResponse: false,
  junkResponse: false,
  responseTimeout: false,
  zeroRttRejected: false,
  statuses: [],
};

export function parseRetryOn(s: Stmt, draft: ProxyDraft): void {
  if (s.args.length < 2) {
    s.alert(0, "'retry-on' expects at least one keyword (none, conn-failure, empty-response, ...).");
    return;
  }
  const r = { ...NONE, statuses: [] as number[] };
  let ok = true;
  for (let i = 1; i < s.args.length; i++) {
    const w = s.args[i] as string;
    switch (w) {
      case 'none':
        if (s.args.length > 2) {
          s.alert(i, "'retry-on' : 'none' cannot be combined with other keywords.");
          ok = false;
        }
        break;
      case 'conn-failure':
        r.connFailure = true;
        break;
      case 'empty-response':
        r.emptyResponse = true;
        break;
      case 'junk-response':
        r.junkResponse = true;
        break;
      case 'response-timeout':
        r.responseTimeout = true;
        break;
      case '0rtt-rejected':
        r.zeroRttRejected = true;
        break;
      case 'all-retryable-errors':
        r.connFailure = r.emptyResponse = r.junkResponse = r.responseTimeout = r.zeroRttRejected = true;
        for (const c of [500, 502, 503, 504]) if (!r.statuses.includes(c)) r.statuses.push(c);
        break;
      default: {
        const code = /^[0-9]{3}$/.test(w) ? Number(w) : NaN;
        if (RETRY_ON_STATUSES.includes(code)) {
          if (!r.statuses.includes(code)) r.statuses.push(code);
        } else {
          s.alert(i, `'retry-on' : unknown keyword '${w}'.`);
          ok = false;
        }
      }
    }
  }
  if (ok) draft.retryOn = { ...r, statuses: r.statuses.sort((a, b) => a - b) };
}
