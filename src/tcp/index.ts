// mode tcp: the L4 proxy. The worker calls startTcpFrontend() once per tcp frontend.
import type { FrontendModel } from '../config/model';
import type { WorkerContext } from '../worker/context';
import type { Listener } from '../worker/listener';
import { TcpFrontend, TcpListener } from './frontend';

/**
 * Binds every `bind` line of a mode tcp frontend (one net.Server each). Resolves once all listen,
 * with the bound ports (port 0 works); rejects, closing the ones already bound, if any bind fails.
 */
export async function startTcpFrontend(fe: FrontendModel, ctx: WorkerContext): Promise<Listener[]> {
  const frontend = new TcpFrontend(fe, ctx);
  const listeners = fe.binds.map((b) => new TcpListener(frontend, b, ctx.connections));
  const results = await Promise.allSettled(listeners.map((l) => l.listen()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) {
    for (const l of listeners) l.close();
    throw failed.reason;
  }
  return listeners;
}
