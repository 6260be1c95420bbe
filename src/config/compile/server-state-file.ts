// `load-server-state-from-file` and `server-state-file-name` (defaults/backend/listen): which
// server-state file, if any, a backend takes its servers' states from at startup.
import type { ProxyDraft } from './draft';
import type { Stmt } from './stmt';

const MODES = ['global', 'local', 'none'] as const;

export function parseLoadServerState(s: Stmt, draft: ProxyDraft): void {
  const v = s.need(1, "'global', 'local' or 'none'");
  if (v === null || !s.noMore(2)) return;
  const mode = MODES.find((m) => m === v);
  if (mode === undefined) {
    s.alert(1, `'${s.kw}' expects 'global', 'local' or 'none'. Got '${v}'.`);
    return;
  }
  draft.loadServerState = mode;
}

/** no argument or `use-backend-name`: the file is named after the backend, as in HAProxy */
export function parseServerStateFileName(s: Stmt, draft: ProxyDraft): void {
  const v = s.args[1];
  if (!s.noMore(2)) return;
  draft.serverStateFileName = v === undefined || v === 'use-backend-name' ? null : v;
}
