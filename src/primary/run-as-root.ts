// Root without `user` in global: every worker would serve client traffic as root. HAProxy allows
// it; sluice refuses unless the operator opts in, with the global keyword `insecure-run-as-root`
// (named after HAProxy's `insecure-fork-wanted` / `insecure-setuid-wanted`) or the command-line
// flag `--insecure-run-as-root` for configurations that must stay plain HAProxy. `group` alone
// does not count: it leaves the workers' uid at 0. Decided once, in the primary, before forking.
import type { GlobalModel } from '../config/model';

/** ok: nothing to say; refuse: do not start; warn: start, and say that workers keep root */
export type RootVerdict = 'ok' | 'refuse' | 'warn';

/** `uid` is process.getuid(), or null where the platform has none (nothing to decide there). */
export function runAsRootVerdict(
  global: Pick<GlobalModel, 'user' | 'insecureRunAsRoot'>,
  uid: number | null,
  optInFlag: boolean,
): RootVerdict {
  if (uid !== 0 || global.user !== null) return 'ok';
  return global.insecureRunAsRoot || optInFlag ? 'warn' : 'refuse';
}

const WHY = `running as root without 'user' in the global section: the workers would serve traffic as root.`;
const FIX =
  `Set 'user' and 'group' in the global section (workers drop privileges once their ports are ` +
  `bound), or opt in explicitly with 'insecure-run-as-root' in the global section or ` +
  `'--insecure-run-as-root' on the command line.`;

/** the ALERT printed when the primary refuses to start */
export const ROOT_REFUSED = `${WHY} Refusing to start. ${FIX}`;

/** the WARNING of `sluice -c`: the configuration is valid, but starting it here would fail */
export const ROOT_CHECK_WARNING = `${WHY} Starting it like this would be refused. ${FIX}`;

/** logged once by the primary when the operator opted in */
export const ROOT_OPTED_IN =
  'running as root (insecure-run-as-root): set "user" and "group" in the global section to drop privileges';
