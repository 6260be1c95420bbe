// At startup, before any worker exists, the primary applies the server-state files to its store:
// `load-server-state-from-file global` reads `server-state-file`, `local` reads the backend's own
// file. A missing, unreadable or malformed file is logged and startup goes on with the
// configuration's states: a stale file must never keep the proxy from starting.
import { readFileSync } from 'node:fs';
import type { BackendModel, Model } from '../../config/model';
import { resolveStatePath } from '../../config/model';
import type { Logger } from '../../log';
import type { ServerStateStoreImpl } from '../store';
import { applyStateLine } from './apply';
import { parseStateFile, type ParsedStateFile, type StateLine } from './parse';

export interface LoadReport {
  /** "backend/server" of every server a line was applied to */
  readonly applied: string[];
  /** lines naming a server this configuration does not have */
  readonly unknown: string[];
}

type Read = (path: string) => string;
const readText: Read = (path) => readFileSync(path, 'utf8');

/** the local file a backend reads (and sluice writes), or null when it uses none */
export function localStatePath(model: Model, b: BackendModel): string | null {
  if (b.loadServerState !== 'local') return null;
  return resolveStatePath(model.global.serverStateBase, b.serverStateFileName ?? b.name);
}

export function loadServerStates(
  model: Model,
  store: ServerStateStoreImpl,
  log?: Logger,
  read: Read = readText,
): LoadReport {
  const report: LoadReport = { applied: [], unknown: [] };
  const files = new Map<string, ParsedStateFile | null>();
  const open = (path: string): ParsedStateFile | null => {
    if (!files.has(path)) files.set(path, readStateFile(path, read, log));
    return files.get(path) ?? null;
  };
  for (const b of model.backends) {
    if (b.loadServerState === 'global') {
      const path = model.global.serverStateFile;
      const file = path === undefined || path === null ? null : open(path);
      if (file !== null) applyBackend(store, b, byName(file, b), report, log, false);
    } else {
      const path = localStatePath(model, b);
      const file = path === null ? null : open(path);
      if (file !== null) applyBackend(store, b, forLocalBackend(file, b, log), report, log, true);
    }
  }
  if (files.size > 0) {
    log?.info(
      { applied: report.applied.length, unknown: report.unknown.length, files: [...files.keys()] },
      `server states loaded: ${report.applied.length} server(s) applied, ${report.unknown.length} line(s) for unknown servers ignored.`,
    );
  }
  return report;
}

function readStateFile(path: string, read: Read, log?: Logger): ParsedStateFile | null {
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const msg = `Can't open server state file '${path}': ${err instanceof Error ? err.message : String(err)}`;
    // no file yet is the normal first start
    if (code === 'ENOENT') log?.info({ path }, msg);
    else log?.warn({ path, code }, msg);
    return null;
  }
  const parsed = parseStateFile(text);
  for (const p of parsed.problems) log?.warn({ path }, `server state file '${path}': ${p}`);
  return parsed.version === null ? null : parsed;
}

function byName(file: ParsedStateFile, b: BackendModel): StateLine[] {
  return file.lines.filter((l) => l.beName === b.name);
}

/**
 * HAProxy's checks for a local file: the backend name must match; a line whose only the id
 * matches is taken when the backend's id was forced in the configuration that wrote it.
 */
function forLocalBackend(file: ParsedStateFile, b: BackendModel, log?: Logger): StateLine[] {
  const out: StateLine[] = [];
  for (const l of file.lines) {
    const idOk = l.beId === b.id;
    const nameOk = l.beName === b.name;
    if (!idOk && !nameOk) continue;
    if (!idOk) {
      log?.warn(
        { backend: b.name },
        `Proxy '${b.name}': backend ID mismatch: from server state file: '${l.beId}', from running config '${b.id}'`,
      );
    } else if (!nameOk) {
      log?.warn(
        { backend: b.name },
        `Proxy '${b.name}': backend name mismatch: from server state file: '${l.beName}', from running config '${b.name}'`,
      );
      if (!l.bkForcedId) continue;
    }
    out.push(l);
  }
  return out;
}

function applyBackend(
  store: ServerStateStoreImpl,
  b: BackendModel,
  lines: readonly StateLine[],
  report: LoadReport,
  log: Logger | undefined,
  warnUnknown: boolean,
): void {
  const now = store.now();
  for (const l of lines) {
    const s = store.state(b.name, l.srvName);
    if (s === undefined) {
      report.unknown.push(`${b.name}/${l.srvName}`);
      // as HAProxy: silent for the global file (it holds every backend), a warning for a local one
      if (warnUnknown) {
        log?.warn(
          { backend: b.name, server: l.srvName },
          `Proxy '${b.name}': can't find server '${l.srvName}' in backend '${b.name}'`,
        );
      }
      continue;
    }
    applyStateLine(s, l, now);
    report.applied.push(`${b.name}/${l.srvName}`);
    store.changed(s);
  }
}
