// `init-addr`: the address a server configured by name starts with. HAProxy resolves every server
// address once at startup, trying the server's methods in order — `last` (the address the state
// file kept), `libc` (the system resolver), an IP written inline, `none` (start in resolution
// maintenance) — and refuses to start when none of them gives one. The primary does the same
// before forking any worker, after the state files were applied (which is what `last` reads).
// Unlike HAProxy, a name that resolved stays a name: libc resolves it again at each connection
// and each check, so a name that stops resolving later is a failed check, not a stale address.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DEFAULT_INIT_ADDR } from '../config/model';
import type { Logger } from '../log';
import type { ServerState } from './server-state';
import type { ServerStateStoreImpl } from './store';

/** HAProxy's last word when some server got no address: the startup stops */
export const INIT_ADDR_FAILED = 'Failed to initialize server(s) addr.';

/** resolves or rejects; the system resolver by default (injected by tests) */
export type Lookup = (host: string) => Promise<unknown>;

const libc: Lookup = (host) => dnsLookup(host);

/**
 * Applies every server's `init-addr` to the store. Returns HAProxy's alert for each server left
 * without an address; any alert means the startup must stop.
 */
export async function initServerAddresses(
  store: ServerStateStoreImpl,
  log?: Logger,
  lookup: Lookup = libc,
): Promise<string[]> {
  const alerts: string[] = [];
  await Promise.all(
    store.states().map(async (s) => {
      const alert = await initOne(store, s, lookup, log);
      if (alert !== null) alerts.push(alert);
    }),
  );
  return alerts;
}

async function initOne(
  store: ServerStateStoreImpl,
  s: ServerState,
  lookup: Lookup,
  log?: Logger,
): Promise<string | null> {
  const host = s.model.host;
  // configured with an IP, or given one by the state file (`last`, applied before this)
  if (isIP(host) !== 0) return null;
  const where = `parsing [${s.model.origin.file}:${s.model.origin.line}] : 'server ${s.model.name}'`;
  for (const m of s.model.initAddr ?? DEFAULT_INIT_ADDR) {
    if (m === 'last') continue;
    if (m === 'libc') {
      if (await resolves(host, lookup)) return null;
    } else if (m === 'none') {
      log?.warn(
        { backend: s.backend, server: s.model.name, host },
        `${where} : could not resolve address '${host}', disabling server.`,
      );
      store.startUnresolved(s);
      return null;
    } else {
      store.startAt(s, m.slice('ip:'.length));
      return null;
    }
  }
  return `${where} : could not resolve address '${host}'.`;
}

async function resolves(host: string, lookup: Lookup): Promise<boolean> {
  try {
    await lookup(host);
    return true;
  } catch {
    return false;
  }
}
