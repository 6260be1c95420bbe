// Which servers a strategy may choose from, shared by every algorithm so that backup handling and
// eligibility cannot drift between them.
import type { BalanceServer } from './types';

/** UP for load-balancing purposes, whether or not it has a free slot right now. */
export function isUp(s: BalanceServer): boolean {
  return s.usable && s.weight > 0;
}

export function hasFreeSlot(s: BalanceServer): boolean {
  return s.maxconn === 0 || s.conns < s.maxconn;
}

/** may take a new connection right now */
export function isEligible(s: BalanceServer): boolean {
  return s.usable && s.weight > 0 && (s.maxconn === 0 || s.conns < s.maxconn);
}

/**
 * The servers traffic goes to: every UP active server, or, when none is UP, the UP backup with the
 * lowest id — or every UP backup with `option allbackups`. Fullness does not matter here: when the
 * actives are merely full, requests queue for them rather than spill over to a backup.
 */
export function selectGroup(servers: readonly BalanceServer[]): BalanceServer[] {
  const active: BalanceServer[] = [];
  const backups: BalanceServer[] = [];
  let backup: BalanceServer | null = null;
  for (const s of servers) {
    if (!isUp(s)) continue;
    if (!s.backup) active.push(s);
    else {
      backups.push(s);
      if (backup === null || s.id < backup.id) backup = s;
    }
  }
  if (active.length > 0) return active;
  if (backup === null) return [];
  return backup.allBackups === true ? backups : [backup];
}
