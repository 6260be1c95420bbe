// Admin actions posted by the stats page (`stats admin if <cond>`): the form HAProxy's page posts,
// `action=<a>&b=<backend or #iid>&s=<server>[&s=...]`, applied through the server state store like
// the runtime API's commands. The answer is HAProxy's `st=` code for the page to show.
import type { RuntimeServices } from './services';

export type AdminResult = 'DONE' | 'PART' | 'NONE' | 'ERRP';

const ACTIONS = new Set(['ready', 'drain', 'maint', 'dhlth', 'ehlth', 'shutdown']);

/** A form body is untrusted: anything unexpected is ERRP, never an exception. */
export function applyAdminForm(body: string, rt: RuntimeServices): AdminResult {
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(body);
  } catch {
    return 'ERRP';
  }
  const action = form.get('action') ?? '';
  const b = form.get('b') ?? '';
  const servers = form.getAll('s');
  if (!ACTIONS.has(action) || b === '') return 'ERRP';
  const be = rt.model.backends.find((x) => x.name === b || `#${x.id}` === b);
  const store = rt.store();
  if (be === undefined || store === null) return 'ERRP';
  if (servers.length === 0) return 'NONE';
  let done = 0;
  // the event log names only servers that exist: the form's other values are client bytes
  const known: string[] = [];
  for (const s of servers) {
    if (store.find(be.name, s) === undefined) continue;
    known.push(s);
    let err: string | null = null;
    switch (action) {
      case 'ready':
        err = store.setAdmin(be.name, s, 'READY');
        break;
      case 'drain':
        err = store.setAdmin(be.name, s, 'DRAIN');
        break;
      case 'maint':
        err = store.setAdmin(be.name, s, 'MAINT');
        break;
      case 'dhlth':
      case 'ehlth':
        err = store.setHealthEnabled(be.name, s, action === 'ehlth');
        break;
      case 'shutdown':
        rt.hub.runtimeOp({ kind: 'shutdown-sessions', backend: be.name, server: s });
        break;
    }
    if (err === null) done++;
  }
  const result = done === servers.length ? 'DONE' : done === 0 ? 'NONE' : 'PART';
  const unknown = servers.length - known.length;
  rt.log.info({ action, backend: be.name, servers: known, unknown, result }, 'stats page admin action');
  return result;
}
