// `http-request use-service <service> [if|unless <cond>]`. sluice's one built-in service is
// HAProxy's `prometheus-exporter`; the rule must be in a section that receives requests.
import { parseCondition } from './condition';
import { hasFrontend, type ProxyDraft } from './draft';
import type { Stmt } from './stmt';

const SERVICES = ['prometheus-exporter'];

export function parseUseService(s: Stmt, draft: ProxyDraft): void {
  const name = s.need(2, 'a service name');
  if (name === null) return;
  if (!SERVICES.includes(name)) {
    s.alert(
      2,
      `'http-request use-service' : unknown service '${name}' (sluice provides: ${SERVICES.join(', ')}).`,
    );
    return;
  }
  if (!hasFrontend(draft)) {
    s.alert(0, `'http-request use-service' is only supported in frontend and listen sections by sluice.`);
    return;
  }
  let cond = null;
  if (s.args.length > 3) {
    if (s.args[3] !== 'if' && s.args[3] !== 'unless') {
      s.alert(3, `'http-request use-service' : expects 'if' or 'unless' here, got '${s.args[3]}'.`);
      return;
    }
    cond = parseCondition(s, 3, draft);
    if (cond === null) return;
  }
  draft.services.push({ service: 'prometheus-exporter', cond, origin: s.origin });
}
