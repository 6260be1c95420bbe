// Passive health (`observe layer4|layer7`): outcomes of live traffic, reported by every worker,
// counted here in the one place that decides. After `error-limit` consecutive errors the server's
// `on-error` action applies, as HAProxy's health analyzer does (src/check.c __health_adjust):
// every action switches checks to fastinter; fail-check counts as one failed check; sudden-death
// leaves one failed check before DOWN, then fails one; mark-down drops the server at once.
import { DEFAULT_ERROR_LIMIT, DEFAULT_ON_ERROR } from '../config/model';
import type { ObserveEvent } from '../ipc';
import type { CheckResult } from './check-status';
import type { ServerState } from './server-state';
import type { ServerStateStoreImpl } from './store';

/** HAProxy's layer-7 verdict on a response status: these are not the server's fault */
export function goodStatus(status: number): boolean {
  return (status >= 100 && status <= 499) || status === 501 || status === 505;
}

export function observe(
  store: ServerStateStoreImpl,
  events: readonly ObserveEvent[],
  reschedule: (s: ServerState) => void,
): void {
  for (const e of events) {
    const s = store.state(e.backend, e.server);
    if (s === undefined || !s.checkEnabled) continue;
    const mode = s.model.observe ?? null;
    if (mode === null) continue;
    // layer4 observation ignores what the server answered, only whether it could be reached
    if (mode === 'layer4' && e.layer === 7) continue;
    const ok = e.layer === 4 ? e.ok : e.ok && goodStatus(e.status);
    if (ok) {
      s.observedErrors = 0;
      continue;
    }
    s.observedErrors++;
    if (s.observedErrors < (s.model.errorLimit ?? DEFAULT_ERROR_LIMIT)) continue;
    const n = s.observedErrors;
    s.observedErrors = 0;
    const action = s.model.onError ?? DEFAULT_ON_ERROR;
    s.fastUntilSuccess = true;
    if (action !== 'fastinter') {
      if (action === 'sudden-death' && s.health > s.rise) s.health = s.rise + 1;
      if (action === 'mark-down') s.health = s.rise;
      // HAProxy's analyze status of the last error (a worker that sent none: the generic ones)
      const last = e.reason ?? (e.layer === 4 ? 'L4 unsuccessful connection' : 'Wrong http response');
      const r: CheckResult = {
        ok: false,
        status: 'L7STS',
        code: null,
        info: `Detected ${n} consecutive errors, last one was: ${last}`,
        durationMs: 0,
      };
      failAnalyzed(store, s, r);
    }
    reschedule(s);
  }
}

/** a failed "check" of HAProxy's health analyzer: same counter, its own reason text */
function failAnalyzed(store: ServerStateStoreImpl, s: ServerState, r: CheckResult): void {
  const oper = s.oper;
  s.chkfail++;
  s.checkDesc = r.info;
  s.fail();
  const reason = `reason: Health analyze, info: "${r.info}"`;
  if (!store.operMaybeChanged(s, oper, reason)) {
    store.logHealthCheck(s, false, reason);
  }
  store.changed(s);
}
