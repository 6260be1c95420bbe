// sluice under test: the real CLI (primary + one cluster worker) on the scenario's config.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { haproxyConfig } from '../cfg/haproxy';
import { failureSummary, spawnPinned, stopProcess, waitUntil } from '../util/child';
import { childPids, processTree } from '../util/proc';
import type { StartResult, TargetContext } from './types';

/** The compiled CLI of the same build as the bench (dist/ or a dist-* dir). */
export const SLUICE_CLI = join(__dirname, '..', '..', 'src', 'cli', 'main-entry.js');

const STARTED = '"msg":"sluice started"';

/** The config stays plain HAProxy syntax (haproxy runs the same file), so the opt-in for running
 *  as root without `user` (these machines run as root) goes on the command line. */
const ROOT_OPT_IN = '--insecure-run-as-root';

export async function startSluice(ctx: TargetContext): Promise<StartResult> {
  const file = join(ctx.dir, 'sluice.cfg');
  writeFileSync(file, haproxyConfig(ctx.scenario, ctx.ports, ctx.maxconn, ctx.accessLog));
  const proc = spawnPinned(process.execPath, [SLUICE_CLI, ROOT_OPT_IN, '-w', '1', '-f', file], ctx.cpus);
  try {
    await waitUntil('sluice started', proc, () => proc.stdout.includes(STARTED), 20_000);
  } catch (err) {
    await stopProcess(proc, processTree(proc.pid), 1_000);
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, skipped: `sluice did not start on this config: ${failureSummary(why)}` };
  }
  return {
    ok: true,
    target: {
      name: 'sluice',
      port: ctx.ports.listen,
      pid: proc.pid,
      workerPids: () => childPids(proc.pid),
      stop: () => stopProcess(proc, processTree(proc.pid)),
    },
  };
}

/** True when `sluice -c` accepts this configuration text. */
export function sluiceAccepts(dir: string, text: string): boolean {
  const file = join(dir, 'probe.cfg');
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, [SLUICE_CLI, ROOT_OPT_IN, '-c', '-q', '-f', file], {
    stdio: 'ignore',
    timeout: 20_000,
  });
  return r.status === 0;
}
