// Binds every configured address once, exclusively, before any worker exists. uWS workers bind
// with SO_REUSEPORT, so without this a second sluice started on the same ports would silently
// share them with the first (and a reuseport-holding program would too). Linux refuses a plain
// bind on a port held by reuseport sockets, which turns both cases into a clear EADDRINUSE.
import { createServer } from 'node:net';
import type { Model } from '../config/model';

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

function probeOne(address: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    srv.listen({ host: address, port, exclusive: true }, () => srv.close(() => resolve(null)));
  });
}

/** Probes binds one after the other, so two proxies of one config binding alike do not collide here. */
export async function probeBinds(model: Model): Promise<BindFailure[]> {
  const failures: BindFailure[] = [];
  for (const fe of model.frontends) {
    for (const bind of fe.binds) {
      // Port 0 asks the kernel for any free port: nothing can be in use.
      if (bind.port === 0) continue;
      const code = await probeOne(bind.address, bind.port);
      if (code === null) continue;
      failures.push({
        proxy: fe.name,
        address: bind.address,
        port: bind.port,
        code,
        message: `cannot bind ${formatAddress(bind.address, bind.port)} for proxy '${fe.name}': ${describe(code)}`,
      });
    }
  }
  return failures;
}
