// The HTTP subsystem's door: builds the listeners of a mode-http frontend.
import type { FrontendModel } from '../config/model';
import type { Listener } from '../worker/listener';
import type { WorkerContext } from '../worker/context';
import { HttpFrontendRuntime } from './proxy';
import { UpstreamPool } from './upstream';
import type { UpstreamClient } from './upstream';
import { UwsListener } from './fronts/uws-front';
import { NodeListener } from './fronts/node-front';

let sharedPool: UpstreamPool | undefined;

/** One upstream pool per worker: keep-alive connections are shared by every frontend. */
export function upstreamPool(): UpstreamPool {
  sharedPool ??= new UpstreamPool();
  return sharedPool;
}

export async function startHttpFrontend(
  fe: FrontendModel,
  ctx: WorkerContext,
  upstream: UpstreamClient = upstreamPool(),
): Promise<Listener[]> {
  const runtime = new HttpFrontendRuntime(fe, ctx, upstream);
  const started: Listener[] = [];
  try {
    for (const bind of fe.binds) {
      const l =
        bind.front === 'node'
          ? await NodeListener.start(bind, fe, ctx.model.global, runtime, ctx.connections)
          : await UwsListener.start(bind, fe.name, runtime, ctx.model.global.tune.bufsize, ctx.connections);
      started.push(l);
    }
  } catch (err) {
    for (const l of started) l.close();
    throw err;
  }
  return started;
}

export { HttpFrontendRuntime } from './proxy';
export type { Exchange, LocalReply } from './exchange';
