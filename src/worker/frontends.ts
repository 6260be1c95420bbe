// Starts the listeners of one frontend with the implementation its mode calls for.
import type { FrontendModel } from '../config/model';
import { startHttpFrontend } from '../http';
import type { ListenerInfo } from '../ipc';
import { startTcpFrontend } from '../tcp';
import type { WorkerContext } from './context';
import type { Listener } from './listener';

export interface StartedListener {
  readonly listener: Listener;
  readonly info: ListenerInfo;
}

export async function startFrontend(fe: FrontendModel, ctx: WorkerContext): Promise<StartedListener[]> {
  const listeners = fe.mode === 'http' ? await startHttpFrontend(fe, ctx) : await startTcpFrontend(fe, ctx);
  return listeners.map((listener, i) => ({
    listener,
    info: {
      proxy: listener.proxy,
      kind: fe.mode,
      address: listener.address,
      port: listener.port,
      // Fronts return one listener per bind line, in order.
      front: fe.mode === 'tcp' ? 'net' : (fe.binds[i]?.front ?? 'uws'),
    },
  }));
}
