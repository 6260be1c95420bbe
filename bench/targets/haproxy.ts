// HAProxy as the reference peer: `haproxy -f <the same file sluice gets> -db`, one thread.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { haproxyConfig } from '../cfg/haproxy';
import { failureSummary, portOpen, spawnPinned, stopProcess, waitUntil } from '../util/child';
import type { StartResult, TargetContext } from './types';

export async function startHaproxy(ctx: TargetContext): Promise<StartResult> {
  const file = join(ctx.dir, 'haproxy.cfg');
  writeFileSync(file, haproxyConfig(ctx.scenario, ctx.ports, ctx.maxconn, ctx.accessLog));
  const proc = spawnPinned('haproxy', ['-f', file, '-db'], ctx.cpus);
  try {
    await waitUntil('haproxy to listen', proc, () => portOpen(ctx.ports.listen));
  } catch (err) {
    await stopProcess(proc, [], 1_000);
    return {
      ok: false,
      skipped: `haproxy did not start: ${failureSummary(err instanceof Error ? err.message : String(err))}`,
    };
  }
  return {
    ok: true,
    target: {
      name: 'haproxy',
      port: ctx.ports.listen,
      pid: proc.pid,
      // -db without -W: a single process holds every connection.
      workerPids: () => [proc.pid],
      stop: () => stopProcess(proc),
    },
  };
}
