// The fast backend every proxy forwards to: nginx when installed (it serves fixed bodies at a
// rate no single-worker proxy reaches), else the uWS server of uws-server.ts in its own process.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nginxBackendConfig } from '../cfg/nginx';
import { BODY_SIZES } from '../scenarios';
import type { BackendKind } from '../options';
import { freePort, hasCommand, portOpen, spawnPinned, stopProcess, waitUntil } from '../util/child';
import { processTree } from '../util/proc';

export interface Backend {
  readonly kind: 'nginx' | 'uws';
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startBackend(
  want: BackendKind,
  dir: string,
  cpus: string | null,
  maxConnections: number,
): Promise<Backend> {
  const port = await freePort();
  const useNginx = want === 'nginx' || (want === 'auto' && hasCommand('nginx'));
  if (useNginx) {
    const root = join(dir, 'nginx-backend');
    mkdirSync(join(root, 'www'), { recursive: true });
    writeFileSync(join(root, 'www', '16k'), Buffer.alloc(BODY_SIZES['16k'], 'x'));
    writeFileSync(join(root, 'www', '1m'), Buffer.alloc(BODY_SIZES['1m'], 'x'));
    const conf = join(root, 'nginx.conf');
    writeFileSync(conf, nginxBackendConfig(root, port, maxConnections));
    const proc = spawnPinned('nginx', ['-c', conf, '-p', root], cpus);
    await waitUntil('the nginx backend to listen', proc, () => portOpen(port));
    return { kind: 'nginx', port, pid: proc.pid, stop: () => stopProcess(proc, processTree(proc.pid)) };
  }
  const proc = spawnPinned(process.execPath, [join(__dirname, 'uws-server.js'), String(port)], cpus);
  await waitUntil('the uWS backend to listen', proc, () => proc.stdout.includes('listening'));
  return { kind: 'uws', port, pid: proc.pid, stop: () => stopProcess(proc) };
}
