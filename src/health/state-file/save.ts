// sluice writes its server-state files itself when it stops gracefully (HAProxy leaves that to
// the operator: `show servers state > file` before each reload). The global file gets every
// backend, a backend's local file gets that backend; several backends may share one file. Each
// file is written to a temporary name beside it and renamed over it, so a crash mid-write leaves
// the previous file, never half of a new one.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Model } from '../../config/model';
import type { Logger } from '../../log';
import type { ServerStateStoreImpl } from '../store';
import { formatServersState } from './format';
import { localStatePath } from './load';

/** path → backends whose servers it holds (null: every backend) */
export function stateFileTargets(model: Model): Map<string, Set<string> | null> {
  const targets = new Map<string, Set<string> | null>();
  const global = model.global.serverStateFile;
  if (global !== undefined && global !== null) targets.set(global, null);
  for (const b of model.backends) {
    const path = localStatePath(model, b);
    if (path === null) continue;
    const set = targets.get(path);
    if (set === null) continue; // already the global file: it has every backend
    if (set === undefined) targets.set(path, new Set([b.name]));
    else set.add(b.name);
  }
  return targets;
}

/** writes every state file; returns the paths written. Failures are logged, never thrown. */
export function saveServerStates(model: Model, store: ServerStateStoreImpl, log?: Logger): string[] {
  const written: string[] = [];
  const all = store.list();
  const now = store.now();
  for (const [path, backends] of stateFileTargets(model)) {
    const servers = backends === null ? all : all.filter((s) => backends.has(s.backend));
    if (writeAtomic(path, formatServersState(servers, now), log)) written.push(path);
  }
  if (written.length > 0) log?.info({ files: written }, `server states saved to ${written.join(', ')}`);
  return written;
}

function writeAtomic(path: string, text: string, log?: Logger): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode: 0o644 });
    renameSync(tmp, path);
    return true;
  } catch (err) {
    log?.warn(
      { path, err },
      `can't write server state file '${path}': ${err instanceof Error ? err.message : String(err)}`,
    );
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was created
    }
    return false;
  }
}
