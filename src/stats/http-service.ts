// Built-in HTTP services of a frontend (`http-request use-service prometheus-exporter`): matched
// before the other http-request rules, answered with what the primary renders from every worker's
// counters. The request never reaches a backend.
import type { FrontendModel } from '../config/model';
import type { Exchange } from '../http/exchange';
import type { ClientEvents, ClientSide } from '../http/fronts/front';
import { compileCondition } from '../http/rules';
import type { ServiceRequest } from '../ipc';
import type { WorkerStatsAgent } from './worker-agent';

/** true when a service took the request */
export type ServiceHook = (ex: Exchange, client: ClientSide, bodyExpected: boolean) => boolean;

class ServiceExchange implements ClientEvents {
  private started = false;
  constructor(
    private readonly agent: WorkerStatsAgent,
    private readonly client: ClientSide,
    private readonly req: ServiceRequest,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.agent.render(this.req).then((r) => {
      if (!this.client.aborted) this.client.sendLocal({ status: r.status, headers: r.headers, body: r.body });
    });
  }

  // the services take no body: it is read and dropped, and the reply goes once it has ended
  onClientBody(_chunk: Buffer, last: boolean): void {
    if (last) this.start();
  }

  onClientAborted(): void {
    this.started = true;
  }

  onClientWritable(): void {}
}

export function compileServices(fe: FrontendModel, agent: WorkerStatsAgent | undefined): ServiceHook | null {
  const rules = fe.services ?? [];
  if (rules.length === 0 || agent === undefined) return null;
  const compiled = rules.map((r) => ({ service: r.service, test: compileCondition(r.cond) }));
  return (ex, client, bodyExpected) => {
    const hit = compiled.find((c) => c.test(ex));
    if (hit === undefined) return false;
    const sx = new ServiceExchange(agent, client, {
      service: hit.service,
      frontend: fe.name,
      url: ex.url,
      method: ex.method,
      admin: false,
      body: '',
    });
    client.attach(sx);
    if (!bodyExpected) sx.start();
    return true;
  };
}
