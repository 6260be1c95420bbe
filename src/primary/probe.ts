// Binds every configured address once, exclusively, before any worker exists. uWS workers bind
// with SO_REUSEPORT, so without this a second sluice started on the same ports would silently
// share them with the first (and a reuseport-holding program would too). Linux refuses a plain
// bind on a port held by reuseport sockets, which turns both cases into a clear EADDRINUSE.
import { createServer } from 'node:net';
import type { BindModel, FrontendModel, Model } from '../config/model';

export interface BindFailure {
  readonly proxy: string;
  readonly address: string;
  readonly port: number;
  readonly code: string;
  readonly message: string;
}

export function formatAddress(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function describe(code: string): string {
  switch (code) {
    case 'EADDRINUSE':
      return 'address already in use (by another program or another sluice instance)';
    case 'EACCES':
      return 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)';
    case 'EADDRNOTAVAIL':
      return 'address not available on this host';
    default:
      return code;
  }
}

/** Binds exclusively; resolves the port actually bound (the kernel's pick for port 0) or an error code. */
function probeOne(address: string, port: number): Promise<{ port: number } | { code: string }> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => resolve({ code: err.code ?? err.message }));
    srv.listen({ host: address, port, exclusive: true }, () => {
      const a = srv.address();
      const bound = a !== null && typeof a === 'object' ? a.port : port;
      srv.close(() => resolve({ port: bound }));
    });
  });
}

export interface ProbeResult {
  readonly failures: BindFailure[];
  /**
   * The model to run: identical, except that every `port 0` bind carries the port the probe got
   * from the kernel. Each worker binding port 0 itself would get a different port.
   */
  readonly model: Model;
}

/** Probes binds one after the other, so two proxies of one config binding alike do not collide here. */
export async function probeBinds(model: Model): Promise<ProbeResult> {
  const failures: BindFailure[] = [];
  let changed = false;
  const frontends: FrontendModel[] = [];
  for (const fe of model.frontends) {
    const binds: BindModel[] = [];
    for (const bind of fe.binds) {
      const r = await probeOne(bind.address, bind.port);
      if ('port' in r) {
        if (r.port !== bind.port) changed = true;
        binds.push(r.port === bind.port ? bind : { ...bind, port: r.port });
        continue;
      }
      binds.push(bind);
      failures.push({
        proxy: fe.name,
        address: bind.address,
        port: bind.port,
        code: r.code,
        message: `cannot bind ${formatAddress(bind.address, bind.port)} for proxy '${fe.name}': ${describe(r.code)}`,
      });
    }
    frontends.push({ ...fe, binds });
  }
  return { failures, model: changed ? { ...model, frontends } : model };
}
