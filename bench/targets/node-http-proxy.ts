// node http-proxy as a peer, on the scenarios it can express: plain HTTP forwarding (no access
// log, ACLs or rewrites, no TCP mode, no health checks, no idle-connection measurement).
import { join } from 'node:path';
import { failureSummary, portOpen, spawnPinned, stopProcess, waitUntil } from '../util/child';
import type { StartResult, TargetContext } from './types';

const SCRIPT = join(__dirname, '..', 'peers', 'node-http-proxy.js');

/** null when http-proxy can run the scenario, else why not */
export function nodeHttpProxyUnsupported(ctx: TargetContext): string | null {
  const s = ctx.scenario;
  if (s.kind === 'idle') return 'not measured for http-proxy (no idle-connection comparison)';
  if (s.proxy !== 'bare') return `http-proxy has no equivalent of the '${s.proxy}' configuration`;
  return null;
}

export function nodeHttpProxyInstalled(): boolean {
  try {
    require.resolve('http-proxy');
    return true;
  } catch {
    return false;
  }
}

export function nodeHttpProxyVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('http-proxy/package.json') as { version: string }).version;
}

export async function startNodeHttpProxy(ctx: TargetContext): Promise<StartResult> {
  const why = nodeHttpProxyUnsupported(ctx);
  if (why !== null) return { ok: false, skipped: why };
  const proc = spawnPinned(
    process.execPath,
    [SCRIPT, String(ctx.ports.listen), String(ctx.ports.backend)],
    ctx.cpus,
  );
  try {
    await waitUntil('http-proxy to listen', proc, () => portOpen(ctx.ports.listen));
  } catch (err) {
    await stopProcess(proc, [proc.pid], 1_000);
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, skipped: `http-proxy did not start: ${failureSummary(msg)}` };
  }
  return {
    ok: true,
    target: {
      name: 'http-proxy',
      port: ctx.ports.listen,
      pid: proc.pid,
      workerPids: () => [proc.pid],
      stop: () => stopProcess(proc),
    },
  };
}
