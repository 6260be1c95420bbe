// nginx as a second peer proxy (master + one worker), where nginx has an equivalent.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NGINX_STDOUT_FIFO, nginxPeerUnsupported, nginxProxyConfig } from '../cfg/nginx';
import { failureSummary, portOpen, spawnPinned, stdoutFifo, stopProcess, waitUntil } from '../util/child';
import { childPids, processTree } from '../util/proc';
import type { StartResult, TargetContext } from './types';

const NGINX_PREFIX = '/usr/share/nginx';

function hasStreamModule(): boolean {
  return existsSync(join(NGINX_PREFIX, 'modules', 'ngx_stream_module.so'));
}

export async function startNginx(ctx: TargetContext): Promise<StartResult> {
  const why = nginxPeerUnsupported(ctx.scenario, hasStreamModule());
  if (why !== null) return { ok: false, skipped: why };
  const file = join(ctx.dir, 'nginx-proxy.conf');
  writeFileSync(
    file,
    nginxProxyConfig(ctx.scenario, ctx.dir, ctx.ports, ctx.maxconn, ctx.accessLog !== 'off'),
  );
  const fifo =
    ctx.scenario.proxy === 'logged-stdout' && ctx.accessLog !== 'off'
      ? stdoutFifo(join(ctx.dir, NGINX_STDOUT_FIFO))
      : null;
  const proc = spawnPinned('nginx', ['-c', file, '-p', NGINX_PREFIX], ctx.cpus);
  try {
    await waitUntil('nginx to listen', proc, () => portOpen(ctx.ports.listen));
  } catch (err) {
    await stopProcess(proc, processTree(proc.pid), 1_000);
    fifo?.release();
    return {
      ok: false,
      skipped: `nginx did not start: ${failureSummary(err instanceof Error ? err.message : String(err))}`,
    };
  }
  return {
    ok: true,
    target: {
      name: 'nginx',
      port: ctx.ports.listen,
      pid: proc.pid,
      workerPids: () => childPids(proc.pid),
      stop: () => stopProcess(proc, processTree(proc.pid)),
    },
  };
}
