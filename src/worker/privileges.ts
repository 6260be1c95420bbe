// global `user` / `group`: workers bind first (ports below 1024 need root), then give root up for
// good. Node has no getpwnam(), but setuid/setgid accept names and resolve them.
import type { GlobalModel } from '../config/model';
import type { Logger } from '../log';

function id(name: string): string | number {
  return /^[0-9]+$/.test(name) ? Number(name) : name;
}

/** Node refuses setuid/setgid/setgroups (ERR_INVALID_STATE) when it links a libuv that may use
 *  io_uring: Debian trixie's own nodejs 20 does, official Node builds do not. */
const IO_URING_HINT =
  ' This Node.js build cannot change credentials: run sluice on an official Node.js build ' +
  '(nodejs.org, the node Docker images) or start it as the unprivileged user without user/group.';

function attempt(what: string, change: () => void): void {
  try {
    change();
  } catch (err) {
    const hint = (err as NodeJS.ErrnoException).code === 'ERR_INVALID_STATE' ? IO_URING_HINT : '';
    throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}${hint}`);
  }
}

/** Throws when a change fails: a worker that cannot drop privileges must not serve as root.
 *  Whether root may serve without `user` was decided by the primary (primary/run-as-root.ts). */
export function dropPrivileges(global: GlobalModel, log: Logger): void {
  if (typeof process.getuid !== 'function' || typeof process.setuid !== 'function') return;
  const { user, group } = global;
  if (user === null && group === null) return;
  // Order matters: once the uid is dropped, changing groups is no longer permitted.
  if (group !== null) attempt(`cannot switch to group '${group}'`, () => process.setgid?.(id(group)));
  // Root's supplementary groups must not survive the switch. The target user's own supplementary
  // groups are not added (Node's initgroups is deprecated): set `group` when one is needed.
  attempt('cannot drop supplementary groups', () => process.setgroups?.([process.getgid?.() ?? 0]));
  if (user !== null) attempt(`cannot switch to user '${user}'`, () => process.setuid?.(id(user)));
  log.debug({ uid: process.getuid(), gid: process.getgid?.() }, 'privileges dropped');
}
