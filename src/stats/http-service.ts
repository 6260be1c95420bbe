// Built-in HTTP services of a frontend: the HTML stats page (`stats uri`) and
// `http-request use-service prometheus-exporter`, matched before the other http-request rules and
// answered with what the primary renders from every worker's counters. The request never reaches
// a backend.
import type { FrontendModel } from '../config/model';
import type { Exchange } from '../http/exchange';
import type { ClientEvents, ClientSide } from '../http/fronts/front';
import { compileCondition } from '../http/rules';
import type { ServiceReply, ServiceRequest } from '../ipc';
import { compileStatsPage, STATS_POST_LIMIT } from './page-request';
import type { WorkerStatsAgent } from './worker-agent';

/** true when a service took the request */
export type ServiceHook = (ex: Exchange, client: ClientSide, bodyExpected: boolean) => boolean;

/** body: the request body (kept only when asked for), null when it went past the limit */
type Respond = (body: string | null) => Promise<ServiceReply>;

class ServiceExchange implements ClientEvents {
  private started = false;
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(
    private readonly client: ClientSide,
    private readonly respond: Respond,
    /** bytes of body to keep (admin form posts); 0 = read and drop */
    private readonly keep: number,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    const body = this.size > this.keep ? null : Buffer.concat(this.chunks).toString('utf8');
    this.chunks = [];
    void this.respond(body).then((r) => {
      if (!this.client.aborted) this.client.sendLocal({ status: r.status, headers: r.headers, body: r.body });
    });
  }

  // the reply goes once the body has ended, so the connection stays usable for the next request
  onClientBody(chunk: Buffer, last: boolean): boolean {
    this.size += chunk.length;
    // copied: a front may reuse the chunk's memory once this returns
    if (this.size <= this.keep) this.chunks.push(Buffer.from(chunk));
    else this.chunks = [];
    if (last) this.start();
    return false;
  }

  onClientAborted(): void {
    this.started = true;
  }

  onClientError(): void {
    this.started = true;
  }

  onClientWritable(): void {}
}

function serve(client: ClientSide, bodyExpected: boolean, respond: Respond, keep = 0): true {
  const sx = new ServiceExchange(client, respond, keep);
  client.attach(sx);
  if (!bodyExpected) sx.start();
  return true;
}

function statsPageHook(fe: FrontendModel, agent: WorkerStatsAgent): ServiceHook | null {
  const page = compileStatsPage(fe);
  if (page === null) return null;
  const uri = page.model.uri;
  return (ex, client, bodyExpected) => {
    if (!ex.url.startsWith(uri)) return false;
    const denied = page.deny(ex);
    if (denied !== null) return serve(client, bodyExpected, () => Promise.resolve(denied));
    const admin = page.admin(ex);
    const post = ex.method === 'POST';
    return serve(
      client,
      bodyExpected,
      (body) =>
        post && admin && body === null
          ? Promise.resolve({ status: 303, headers: ['location', `${uri};st=EXCD`], body: '' })
          : agent.render({
              service: 'stats',
              frontend: fe.name,
              url: ex.url,
              method: ex.method,
              admin,
              body: post && admin ? (body ?? '') : '',
            }),
      post && admin ? STATS_POST_LIMIT : 0,
    );
  };
}

function useServiceHook(fe: FrontendModel, agent: WorkerStatsAgent): ServiceHook | null {
  const rules = fe.services ?? [];
  if (rules.length === 0) return null;
  const compiled = rules.map((r) => ({ service: r.service, test: compileCondition(r.cond) }));
  return (ex, client, bodyExpected) => {
    const hit = compiled.find((c) => c.test(ex));
    if (hit === undefined) return false;
    const req: ServiceRequest = {
      service: hit.service,
      frontend: fe.name,
      url: ex.url,
      method: ex.method,
      admin: false,
      body: '',
    };
    return serve(client, bodyExpected, () => agent.render(req));
  };
}

export function compileServices(fe: FrontendModel, agent: WorkerStatsAgent | undefined): ServiceHook | null {
  if (agent === undefined) return null;
  const page = statsPageHook(fe, agent);
  const rules = useServiceHook(fe, agent);
  if (page === null) return rules;
  if (rules === null) return page;
  return (ex, client, bodyExpected) => page(ex, client, bodyExpected) || rules(ex, client, bodyExpected);
}
